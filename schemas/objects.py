"""One schema per contract object (contract.md), unknown keys refused.

The schemas load to plain dicts; only DatasetSchema turns the whole tree into model objects, after
every check has run, so that cross-field rules always see the same shape of data.
"""
from __future__ import annotations

import json

from marshmallow import RAISE, Schema, ValidationError, post_dump, validate, validates_schema

from . import rules, vocab
from .fields import (
    Boolean, Date, Enum, Ethnicity, IdNumber, List, MaxLength, MonthDate, Nested, Pattern, Phone, SafeString,
    max_items, text_pattern,
)

UNKNOWN = "__unknown_field__"  # replaced by a message naming the key (errors.py)


def _doc(description: str, **keywords) -> dict:
    """Field metadata for the OpenAPI document: a description and any JSON Schema keywords."""
    return {"description": description, **keywords}


NAME = {"maxLength": rules.MAX_NAME}  # rules.name_length

# Length limits of the free text, each chosen from what real data of a Wujin school branch needs, with
# room to spare; the reason is in each field's description. Up to them every document keeps its shape.
ORG_FULL = 50  # 党组织全称 / 接收、流入地党组织: the longest real one ≈ 35 字
PLACE = 20  # 国家、省、市、县名: the longest ≈ 15 字（双江拉祜族佤族布朗族傣族自治县）
SHORT = 30  # 岗位、查找方式、活动证编号、阶段名
LINE = 50  # 一句话的情况：原因、去向、详细地点、联系方式
ADDRESS = 60
REMARKS = 100
PARAGRAPH = 1000  # 工作方案、小结、总结中替换拟定内容的一段


def _req(field_cls, *args, **kwargs):
    return field_cls(*args, required=True, **kwargs)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


class Base(Schema):
    """Shared behaviour: unknown keys are errors; dumping leaves out what is not set."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": UNKNOWN, "type": "应为 JSON 对象"}

    @post_dump
    def _drop_none(self, data, **kwargs):
        return {k: v for k, v in data.items() if v is not None}


class DestinationSchema(Base):
    country = SafeString(single_line=True, load_default="中国", validate=MaxLength(PLACE), metadata=_doc("国家（地区），默认 中国；上限20字，最长的国名约12字"))
    province = SafeString(single_line=True, validate=MaxLength(PLACE), metadata=_doc("省份；country 为 中国 时必填；上限20字（最长的如 新疆维吾尔自治区 8字，外国的州、省名译名更长）"))
    city = SafeString(single_line=True, validate=MaxLength(PLACE), metadata=_doc("市；上限20字（如 克孜勒苏柯尔克孜自治州 11字）"))
    county = SafeString(single_line=True, validate=MaxLength(PLACE), metadata=_doc("县（区）；上限20字（最长的 双江拉祜族佤族布朗族傣族自治县 15字）"))
    detail = SafeString(validate=MaxLength(LINE), metadata=_doc("详细地点，如 单位或学校名称；上限50字（一个单位全称加门牌足够）"))

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _province(self, data, original, **kwargs):
        _raise(rules.destination_errors(data, original))


class OutgoingSchema(Base):
    class Meta(Base.Meta):
        description = "外出流动党员（附件5、附件6）；本区内/市内跨区/省内跨市/跨省/出国（境）由 destination 推算"

    left_date = _req(MonthDate, metadata=_doc("外出时间"))
    destination = _req(Nested, DestinationSchema, metadata=_doc("外出地点"))
    reason = _req(Enum, vocab.OUTGOING_REASONS, metadata=_doc("外出原因"))
    fixed_place = _req(Boolean, metadata=_doc("外出地点相对固定（决定是否应转移组织关系）"))
    has_flow_card = _req(Boolean, metadata=_doc("持有《中国共产党流动党员活动证》"))
    flow_card_no = SafeString(validate=MaxLength(SHORT), metadata=_doc("活动证编号；上限30字（实际编号约15字）"))
    host_org = SafeString(validate=MaxLength(ORG_FULL), metadata=_doc("流入地参加组织生活的党组织；上限50字，与党组织全称相同（最长的实际全称约35字）"))
    in_contact = _req(Boolean, metadata=_doc("与党支部保持联系"))
    contact = SafeString(validate=MaxLength(LINE), metadata=_doc("联系方式；上限50字（如 微信、电话号码及联系人，一两种方式）"))
    relation_action = Enum(vocab.RELATION_ACTIONS, metadata=_doc("组织关系处理；缺省时按规则拟定"))


class SearchAttemptSchema(Base):
    date = _req(Date, metadata=_doc("查找日期"))
    method = _req(SafeString, validate=MaxLength(SHORT), metadata=_doc("查找方式，如 走访原住址及亲属；上限30字（实际约8–15字）"))
    result = _req(SafeString, validate=MaxLength(LINE), metadata=_doc("查找情况，如 亲属称多年未联系；上限50字（一句话的结果）"))


class LostContactSchema(Base):
    class Meta(Base.Meta):
        description = "排查前已失去联系（6个月及以上）的党员：取得联系的入附件7，无法取得联系的入附件8"

    since = MonthDate(metadata=_doc("失去联系时间；缺省为 last_org_life_date 与 last_dues_date 中较晚者，二者至少有一"))
    situation = _req(Enum, vocab.LOST_SITUATIONS, metadata=_doc("失去联系情形（①–⑦）"))
    situation_note = SafeString(validate=MaxLength(LINE), metadata=_doc("具体情形；当且仅当 situation 为「其他」时填写；上限50字（一句话的情形）"))
    outcome = _req(Enum, vocab.LOST_OUTCOMES, metadata=_doc("排查结果：决定入附件7 或附件8"))
    search_end_date = Date(metadata=_doc("查找结束日；缺省为 campaign.search_end_date"))
    contacted_date = Date(metadata=_doc("取得联系时间；当且仅当「取得联系」时填写"))
    current_whereabouts = SafeString(validate=MaxLength(LINE), metadata=_doc("现工作单位或居住地（附件7）/最后已知去向（附件8）；上限50字（单位全称或住址）"))
    contact = SafeString(validate=MaxLength(LINE), metadata=_doc("联系方式；上限50字（如 电话号码及联系人，一两种方式）"))
    search_record = List(Nested(SearchAttemptSchema, required=True), validate=max_items(6),
                         metadata=_doc("查找方式及情况；当且仅当「无法取得联系」时至少一条；至多6条"
                                       "（电话、走访、亲属、原单位、社区、公安协查各一次已足，附件8 每人一行）"))
    handling = Enum(vocab.ALL_LOST_HANDLING, metadata=_doc(
        "处理情况；取得联系的为 " + "、".join(vocab.LOST_HANDLING[vocab.CONTACTED]) + "，无法取得联系的为 "
        + "、".join(vocab.LOST_HANDLING[vocab.UNREACHABLE]) + "；缺省时按规则拟定"))

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _conditions(self, data, original, **kwargs):
        _raise(rules.lost_contact_errors(data, original))


class HangingSchema(Base):
    class Meta(Base.Meta):
        description = "组织关系“空挂”的党员"

    reason = _req(SafeString, validate=MaxLength(LINE), metadata=_doc("空挂原因，如 已调离本校，组织关系未转出；上限50字（一句话的原因）"))
    resolved = _req(Boolean, metadata=_doc("已理顺"))
    resolution = SafeString(validate=MaxLength(LINE), metadata=_doc("理顺情况；当且仅当 resolved 为 true 时填写，如 已转至某某党支部；上限50字（一个党组织全称加一句话）"))
    resolved_date = Date(metadata=_doc("理顺日期；当且仅当 resolved 为 true 时填写"))

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _conditions(self, data, original, **kwargs):
        _raise(rules.hanging_errors(data, original))


class AbroadSchema(Base):
    class Meta(Base.Meta):
        description = "出国（境）的党员"

    kind = _req(Enum, vocab.ABROAD_KINDS, metadata=_doc("出国（境）类别"))
    since = _req(MonthDate, metadata=_doc("出国（境）时间"))
    country = _req(SafeString, single_line=True, validate=MaxLength(PLACE), metadata=_doc("所在国家（地区）；上限20字，最长的国名约12字"))
    procedures_done = _req(Boolean, metadata=_doc("已按规定办理手续"))
    handling = Enum(vocab.ABROAD_HANDLING, metadata=_doc("组织关系处理；缺省时按规则拟定"))


class TransferOutSchema(Base):
    class Meta(Base.Meta):
        description = "组织关系已转出、等待回执"

    date = _req(Date, metadata=_doc("转出日期"))
    to_org = _req(SafeString, validate=MaxLength(ORG_FULL), metadata=_doc("接收党组织；上限50字，与党组织全称相同（最长的实际全称约35字）"))
    receipt_received = _req(Boolean, metadata=_doc("回执已收到"))


class MemberSchema(Base):
    class Meta(Base.Meta):
        description = "组织关系在本支部（或排查前在本支部）的一名党员"

    name = _req(SafeString, single_line=True, validate=rules.name_length, metadata=_doc(
        "姓名；可含 ·（如 阿依古丽·买买提）和基本多文种平面以外的字符", **NAME))
    gender = _req(Enum, vocab.GENDERS, metadata=_doc("性别；须与公民身份号码第17位一致（奇数为男）"))
    ethnicity = _req(Ethnicity, vocab.ETHNICITIES, metadata=_doc("民族"))
    id_number = _req(IdNumber, metadata=_doc(
        "公民身份号码：18位，第7–14位为真实的出生日期，末位为 GB 11643 校验码（x 按 X 处理）；本支部内不得重复"))
    birth_date = Date(metadata=_doc("出生日期；填写时须与公民身份号码第7–14位一致，缺省时由其推算"))
    education = _req(Enum, vocab.EDUCATIONS, metadata=_doc("学历"))
    member_type = _req(Enum, vocab.MEMBER_TYPES, metadata=_doc("党员类别"))
    join_date = _req(Date, metadata=_doc("入党时间（支部大会通过之日）；须年满18周岁"))
    full_member_date = Date(metadata=_doc(
        "转正时间；当且仅当正式党员时填写，晚于 join_date 且至多晚2年（预备期1年，至多延长1年）"))
    person_category = _req(Enum, vocab.PERSON_CATEGORIES, metadata=_doc("人员类别"))
    job_post = SafeString(validate=MaxLength(SHORT), metadata=_doc("工作岗位（职务），如 专任教师、教导主任；上限30字（兼任的如 党支部书记、副校长兼教导主任 约15字）"))
    phone = Phone()
    home_address = SafeString(validate=MaxLength(ADDRESS), metadata=_doc("家庭住址；上限60字（省市区镇、小区、幢号室约40字）"))
    party_status = Enum(vocab.PARTY_STATUSES, load_default="正常", metadata=_doc("党籍状态"))
    last_org_life_date = Date(metadata=_doc("最后一次参加组织生活"))
    last_dues_date = MonthDate(metadata=_doc("最后一次交纳党费（可只到月份 YYYY-MM）"))
    verified = Boolean(load_default=False, metadata=_doc("已核实（三查已完成）"))
    corrections = List(SafeString(required=True, validate=MaxLength(LINE)), validate=max_items(10), metadata=_doc(
        "排查中发现有误并已更正的信息，每条一项；每条上限50字（如 身份证号码第17位有误，已按户口簿更正），至多10条"))
    remarks = SafeString(validate=MaxLength(REMARKS), metadata=_doc("备注；上限100字（两三句话）"))
    outgoing = Nested(OutgoingSchema, metadata={"description": "该党员为外出流动党员；无则不填或为 null"})
    lost_contact = Nested(LostContactSchema, metadata={"description": "该党员排查前已失去联系（6个月及以上）；无则不填或为 null"})
    hanging = Nested(HangingSchema, metadata={"description": "该党员组织关系空挂；无则不填或为 null"})
    abroad = Nested(AbroadSchema, metadata={"description": "该党员出国（境）；无则不填或为 null"})
    transfer_out = Nested(TransferOutSchema, metadata={"description": "组织关系已转出、等待回执（转出待回执）；无则不填或为 null"})


class OrgSchema(Base):
    class Meta(Base.Meta):
        description = "学校党组织（本支部）"

    code = _req(Pattern, r"^[A-Za-z0-9]{1,16}$", "学校党组织编号应为1–16位字母或数字，现为「{input}」",
                metadata=_doc("学校党组织编号（区里统一编号）：1–16位字母或数字"))
    name = _req(SafeString, single_line=True, validate=[rules.file_name_safe, MaxLength(SHORT)], metadata=_doc(
        "学校党组织名，用于文件名，如 湖塘桥实验小学党支部；上限30字（简称，实际约10–20字）；不能含 \\ / : * ? \" < > |",
        pattern=text_pattern(single_line=True, required=True, forbidden=vocab.FILE_NAME_FORBIDDEN)))
    full_name = _req(SafeString, single_line=True, validate=MaxLength(ORG_FULL), metadata=_doc("全称（与印章一致），如 中共常州市武进区湖塘桥实验小学支部委员会；上限50字（最长的实际全称如 中共常州市武进区湖塘镇某某中心小学与某某幼儿园联合总支部委员会 约35字）"))
    unit_name = _req(SafeString, single_line=True, validate=MaxLength(ORG_FULL), metadata=_doc("学校名称，如 常州市武进区湖塘桥实验小学；上限50字（最长的实际校名约25字）"))
    org_type = _req(Enum, vocab.ORG_TYPES, metadata=_doc("党组织类别"))
    secretary = _req(SafeString, single_line=True, validate=rules.name_length, metadata=_doc("书记；姓名，上限与党员姓名相同", **NAME))
    contact_person = _req(SafeString, single_line=True, validate=rules.name_length, metadata=_doc("联系人（党务干事）；姓名，上限与党员姓名相同", **NAME))
    contact_phone = _req(Phone)
    filled_by = SafeString(single_line=True, validate=rules.name_length, metadata=_doc("填表人；缺省为 contact_person；姓名，上限与党员姓名相同", **NAME))
    reviewed_by = SafeString(single_line=True, validate=rules.name_length, metadata=_doc("审核人；缺省为 secretary；姓名，上限与党员姓名相同", **NAME))
    fill_date = Date(metadata=_doc("填报日期；缺省为当天"))


class DeadlinesSchema(Base):
    class Meta(Base.Meta):
        description = "各项材料的报送期限"

    work_plan = Date(metadata={"description": "默认 2023-06-20"})
    tables = Date(metadata={"description": "默认 2023-07-15"})
    stage_summary = Date(metadata={"description": "默认 2023-07-25"})
    final_report = Date(metadata={"description": "默认 2023-10-15"})


class CampaignSchema(Base):
    class Meta(Base.Meta):
        description = "排查工作设置；每项缺省时按2023年通知"

    cutoff_date = Date(metadata=_doc("入党截止日，默认 2023-06-30：此后入党的不属本次排查对象（附件3 不列）"))
    stats_date = Date(metadata=_doc("统计截止日期，默认 2023-06-30：汇总表所印日期，外出、失联时长算至此日"))
    search_end_date = Date(metadata=_doc("查找结束日，默认 2023-07-15"))
    superior_org = SafeString(single_line=True, validate=MaxLength(ORG_FULL), metadata=_doc(
        "上级党组织，默认 中共常州市武进区委教育工作委员会；上限50字，与党组织全称相同"))
    deadlines = Nested(DeadlinesSchema, metadata={"description": (
        "报送期限；缺省为 work_plan 2023-06-20、tables 2023-07-15、stage_summary 2023-07-25、final_report 2023-10-15")})


class GroupMemberSchema(Base):
    name = _req(SafeString, single_line=True, validate=rules.name_length, metadata=_doc("姓名", **NAME))
    role = _req(Enum, vocab.GROUP_ROLES, metadata=_doc("在工作小组中的职务"))
    duty = SafeString(validate=MaxLength(LINE), metadata=_doc("分工，如 信息核对与材料报送；上限50字（一句话）"))


class PhaseSchema(Base):
    phase = _req(SafeString, validate=MaxLength(SHORT), metadata=_doc("阶段，如 动员部署；上限30字"))
    start = _req(Date, metadata=_doc("开始日期"))
    end = _req(Date, metadata=_doc("结束日期；不早于 start"))
    tasks = SafeString(validate=MaxLength(300), metadata=_doc("工作任务；上限300字（一个阶段的几项任务）"))

    @validates_schema(skip_on_field_errors=False)
    def _order(self, data, **kwargs):
        _raise(rules.phase_errors(data))


class WorkPlanSchema(Base):
    class Meta(Base.Meta):
        description = "工作方案的输入；缺省时由默认内容和数据拟定"

    date = Date(metadata=_doc("成文日期；缺省为报送期限前一天或当天"))
    leading_group = List(Nested(GroupMemberSchema, required=True),
                         metadata=_doc("工作小组；缺省为书记任组长、联系人为成员"))
    schedule = List(Nested(PhaseSchema, required=True), metadata=_doc("工作安排；缺省为通知的四个阶段及日期"))
    extra = SafeString(validate=MaxLength(PARAGRAPH), metadata=_doc("补充到「工作要求」的内容；上限1000字（约一页）"))


class StageSummarySchema(Base):
    class Meta(Base.Meta):
        description = "阶段性小结的输入：所填段落替换拟定的段落，数字始终由数据得出"

    date = Date(metadata=_doc("成文日期；缺省为报送期限前一天或当天"))
    progress = SafeString(validate=MaxLength(PARAGRAPH), metadata=_doc("工作进展；上限1000字（约一页）"))
    checks = SafeString(validate=MaxLength(PARAGRAPH), metadata=_doc("三查三核情况；上限1000字（约一页）"))
    problems = SafeString(validate=MaxLength(PARAGRAPH), metadata=_doc("发现的问题；上限1000字（约一页）"))
    plan = SafeString(validate=MaxLength(PARAGRAPH), metadata=_doc("初步处理方案；上限1000字（约一页）"))
    next_steps = SafeString(validate=MaxLength(PARAGRAPH), metadata=_doc("下一步工作；上限1000字（约一页）"))


class FinalReportSchema(Base):
    class Meta(Base.Meta):
        description = "工作总结的输入：所填部分替换拟定的部分，数字始终由数据得出"

    date = Date(metadata=_doc("成文日期；缺省为报送期限前一天或当天"))
    work_done = SafeString(validate=MaxLength(PARAGRAPH), metadata=_doc("主要工作；上限1000字（约一页）"))
    results = SafeString(validate=MaxLength(PARAGRAPH), metadata=_doc("排查结果；上限1000字（约一页）"))
    practices = SafeString(validate=MaxLength(PARAGRAPH), metadata=_doc("经验做法；上限1000字（约一页）"))
    shortcomings = SafeString(validate=MaxLength(PARAGRAPH), metadata=_doc("存在不足；上限1000字（约一页）"))
    long_term_measures = List(SafeString(required=True, validate=MaxLength(REMARKS)), validate=max_items(10),
                              metadata=_doc("长效机制，每条一项；每条上限100字（两三句话），至多10条"))


class SchemaVersion(SafeString):
    """Only version "1" exists; anything else is refused by name."""

    documents_text = False  # documented as enum ["1"]

    def _deserialize(self, value, attr, data, **kwargs):
        if value != "1":
            shown = json.dumps(value, ensure_ascii=False)
            raise ValidationError(f"数据包版本（schema_version）应为 \"1\"，现为 {shown}")
        return value


members_validator = validate.Length(min=1, error="至少应有一名党员")
