"""The documented answers of the branch, version, review and verify operations (documentation only:
the handlers send the plain dicts service.store builds; tests/test_api_openapi.py holds them to these)."""
from __future__ import annotations

from marshmallow import fields, validate

from service.domain import catalog, deadlines, register
from service.domain.review import DECISIONS, LABELS as DECISION_LABELS, STATE_LABELS as REVIEW_STATES
from service.store.models import SOURCES

from .openapi import FiguresSchema, FindingSchema, Strict


def _text(description: str, **kwargs) -> fields.String:
    return fields.String(required=True, metadata={"description": description}, **kwargs)


def _maybe(field_cls, description: str, **kwargs):
    return field_cls(required=True, allow_none=True, metadata={"description": description}, **kwargs)


def _count(description: str) -> fields.Integer:
    return fields.Integer(required=True, validate=validate.Range(min=0), metadata={"description": description})


class FindingsCountSchema(Strict):
    by_rule = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                          metadata={"description": "各三查三核规则的提示条数（规则编号 → 条数；为 0 的不列）"})
    by_severity = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                              metadata={"description": "各级别的提示条数（W：提示）"})


class VersionLineSchema(Strict):
    version = fields.Integer(required=True, validate=validate.Range(min=1), metadata={"description": "版本号（每个支部从 1 起）"})
    valid = fields.Boolean(required=True, metadata={"description": "是否通过校验"})
    source = _text("来源：api（接口）、upload（党务干事上传）、batch、import", validate=validate.OneOf(SOURCES))
    actor = _maybe(fields.String, "报送人（自由文本，账号功能上线前）")
    submitted_at = fields.DateTime(required=True, metadata={"description": "收到时间（UTC）"})
    verification_code = _maybe(fields.String, "校验码（通过校验的版本），如 7F3A-92C1")
    content_hash = _text("内容的 SHA-256：通过校验的为规范化数据包的，未通过的为原始输入的")
    errors = _count("错误条数（未通过校验的版本）")
    findings = _count("三查三核提示条数")
    in_scope = _maybe(fields.Integer, "纳入排查的党员人数（通过校验的版本）")


class ReviewStateSchema(Strict):
    state = _text("none：尚无通过校验的版本；pending：待核查；verified：已核查；returned：退回修改",
                  validate=validate.OneOf(tuple(REVIEW_STATES)))
    label = _text("中文状态", validate=validate.OneOf(tuple(REVIEW_STATES.values())))
    version = _maybe(fields.Integer, "所核查的版本：该支部最新的通过校验的版本")
    reason = _maybe(fields.String, "退回原因或说明")
    reviewer = _maybe(fields.String, "核查人")
    reviewed_at = _maybe(fields.DateTime, "核查时间（UTC）")


class ReviewSchema(Strict):
    version = fields.Integer(required=True, metadata={"description": "所核查的版本"})
    decision = _text("verified：已核查；returned：退回修改", validate=validate.OneOf(DECISIONS))
    label = _text("中文结论", validate=validate.OneOf(tuple(DECISION_LABELS.values())))
    reason = _maybe(fields.String, "退回原因或说明")
    reviewer = _maybe(fields.String, "核查人")
    reviewed_at = fields.DateTime(required=True, metadata={"description": "核查时间（UTC）"})


class ReviewedSchema(ReviewSchema):
    code = _text("支部编号")


class DeliverableSchema(Strict):
    deliverable = _text("报送材料", validate=validate.OneOf(catalog.DELIVERABLE_IDS))
    deadline = fields.Date(required=True, metadata={"description": "报送期限（区委教育工委的排查日程；缺省为通知的期限）"})
    status = _text("on_time：按时报送；late：逾期报送；not_due：未报送、未到期；overdue：逾期未报",
                   validate=validate.OneOf(tuple(deadlines.LABELS)))
    label = _text("中文状态", validate=validate.OneOf(tuple(deadlines.LABELS.values())))
    version = _maybe(fields.Integer, "当前报送的版本；未报送（或退回修改后待重新报送）时为 null")
    submitted_at = _maybe(fields.DateTime, "报送时间（UTC）；期限按北京时间的日期比较")
    verification_code = _maybe(fields.String, "所报送版本的校验码")
    resent = fields.Boolean(required=True, metadata={"description": "已重新报送：当前报送替换了更早的一次报送"})


class BranchIdentitySchema(Strict):
    code = _text("支部编号（学校党组织编号）")
    name = _maybe(fields.String, "学校党组织名（取自最新的通过校验的版本；尚无时取自报送的原始数据）")
    full_name = _maybe(fields.String, "党组织全称")
    unit_name = _maybe(fields.String, "学校名称")
    contact_person = _maybe(fields.String, "联系人")
    contact_phone = _maybe(fields.String, "联系电话")
    registered = fields.Boolean(required=True, metadata={"description": "在区委教育工委的党组织名单中"})
    register_state = _maybe(fields.String, "名单中的状态：active 在册，withdrawn 撤销，merged 合并；不在名单中为 null",
                            validate=validate.OneOf(register.STATES))
    flag = _maybe(fields.String, "已有名单而该编号不在其中时：「编号不在区委教育工委的党组织名单中」；否则为 null")


class BranchSummarySchema(BranchIdentitySchema):
    versions = _count("报送的版本数（含未通过校验的）")
    rejected = _count("未通过校验的版本数")
    latest = fields.Nested(VersionLineSchema, required=True, allow_none=True,
                           metadata={"description": "最新的版本（不论是否通过校验）"})
    latest_valid = fields.Nested(VersionLineSchema, required=True, allow_none=True,
                                 metadata={"description": "最新的通过校验的版本"})
    findings = fields.Nested(FindingsCountSchema, required=True, allow_none=True,
                             metadata={"description": "最新的通过校验的版本的三查三核提示条数"})
    lost_contact = _maybe(fields.Integer, "最新的通过校验的版本中“失联”党员人数（附件9 E1）；尚无时为 null",
                          validate=validate.Range(min=0))
    review = fields.Nested(ReviewStateSchema, required=True)
    deliverables = fields.List(fields.Nested(DeliverableSchema), required=True,
                               metadata={"description": "四项报送材料各自的报送情况"})


class BranchListSchema(Strict):
    as_of = fields.DateTime(required=True, metadata={"description": "判断是否到期所用的当前时间（UTC）"})
    branches = fields.List(fields.Nested(BranchSummarySchema), required=True, metadata={"description": "按编号排列"})


class ProblemSchema(Strict):
    """An error of a stored version: its JSON path, and its cell when it came from a workbook."""

    path = _maybe(fields.String, "JSON 路径")
    message = _text("中文说明（工作簿上传的含工作表、行、列和单元格）")
    sheet = fields.String(allow_none=True, metadata={"description": "工作表"})
    row = fields.Integer(allow_none=True, metadata={"description": "行号"})
    column = fields.String(allow_none=True, metadata={"description": "列标题"})
    cell = fields.String(allow_none=True, metadata={"description": "单元格"})
    detail = fields.String(allow_none=True, metadata={"description": "问题本身"})
    rule = fields.String(allow_none=True, metadata={"description": "规则编号"})


class VersionEntrySchema(VersionLineSchema):
    review = fields.Nested(ReviewSchema, required=True, allow_none=True, metadata={"description": "对该版本的最近一次核查"})


class CurrentVersionSchema(VersionLineSchema):
    figures = fields.Nested(FiguresSchema, required=True, metadata={"description": "附件6、附件9 的各项数字"})
    warnings = fields.List(fields.Nested(FindingSchema), required=True, metadata={"description": "三查三核提示"})
    findings_count = fields.Nested(FindingsCountSchema, required=True)


class FigureMoveSchema(Strict):
    code = _text("栏号（附件6 为 1–18，附件9 为 A1–G3）")
    label = _text("栏目")
    before = fields.Integer(required=True, metadata={"description": "原版本的数字"})
    after = fields.Integer(required=True, metadata={"description": "新版本的数字"})


class FigureMovesSchema(Strict):
    outgoing_summary = fields.List(fields.Nested(FigureMoveSchema), required=True, metadata={"description": "附件6"})
    campaign_summary = fields.List(fields.Nested(FigureMoveSchema), required=True, metadata={"description": "附件9"})


class ChangeSchema(Strict):
    path = _text("字段路径，如 phone、outgoing.destination.city、lost_contact.search_record[1].result")
    before = fields.Raw(required=True, allow_none=True, metadata={"description": "原值（原来没有为 null）"})
    after = fields.Raw(required=True, allow_none=True, metadata={"description": "新值（已删除为 null）"})


class MemberRefSchema(Strict):
    name = _text("姓名")
    id_number = _text("公民身份号码（中间10位隐去）")


class MemberChangeSchema(MemberRefSchema):
    fields_ = fields.List(fields.Nested(ChangeSchema), required=True, data_key="fields",
                          metadata={"description": "逐项变化"})


class MemberChangesSchema(Strict):
    added = fields.List(fields.Nested(MemberRefSchema), required=True, metadata={"description": "新增的党员"})
    removed = fields.List(fields.Nested(MemberRefSchema), required=True, metadata={"description": "删去的党员"})
    changed = fields.List(fields.Nested(MemberChangeSchema), required=True,
                          metadata={"description": "信息有变化的党员（按公民身份号码对应）"})


class DiffSchema(Strict):
    members = fields.Nested(MemberChangesSchema, required=True)
    fields_ = fields.List(fields.Nested(ChangeSchema), required=True, data_key="fields",
                          metadata={"description": "党员名册以外的变化（org、campaign、文稿素材）"})
    figures = fields.Nested(FigureMovesSchema, required=True, metadata={"description": "有变化的附件6、附件9数字"})


class SinceReturnedSchema(Strict):
    from_version = fields.Integer(required=True, metadata={"description": "被退回的版本"})
    to_version = fields.Integer(required=True, metadata={"description": "最新的通过校验的版本"})
    diff = fields.Nested(DiffSchema, required=True)


class BranchDetailSchema(BranchIdentitySchema):
    versions = fields.List(fields.Nested(VersionEntrySchema), required=True, metadata={"description": "全部版本，新的在前"})
    latest_valid = fields.Nested(CurrentVersionSchema, required=True, allow_none=True,
                                 metadata={"description": "最新的通过校验的版本：附件6/附件9 数字和三查三核提示"})
    latest_errors = fields.List(fields.Nested(ProblemSchema), required=True,
                                metadata={"description": "最新的版本未通过校验时的全部错误，否则为空"})
    review = fields.Nested(ReviewStateSchema, required=True)
    reviews = fields.List(fields.Nested(ReviewSchema), required=True, metadata={"description": "全部核查记录，早的在前"})
    deliverables = fields.List(fields.Nested(DeliverableSchema), required=True)
    since_returned = fields.Nested(SinceReturnedSchema, required=True, allow_none=True,
                                   metadata={"description": "退回修改后又报送了新版本时：新版本相对被退回版本的变化"})


class VersionDiffSchema(DiffSchema):
    code = _text("支部编号")
    from_version = fields.Integer(required=True, metadata={"description": "原版本"})
    to_version = fields.Integer(required=True, metadata={"description": "新版本"})


class AcceptedSchema(Strict):
    code = _text("支部编号")
    version = fields.Integer(required=True, metadata={"description": "新版本的版本号"})
    valid = fields.Boolean(required=True, validate=validate.Equal(True), metadata={"description": "通过校验"})
    verification_code = _text("校验码：印在每页文书上，可用 GET /api/v1/verify/{code} 查回本版本")
    submitted_at = fields.DateTime(required=True, metadata={"description": "收到时间（UTC）"})
    warnings = fields.List(fields.Nested(FindingSchema), required=True, metadata={"description": "三查三核提示"})


class VerifiedBranchSchema(Strict):
    code = _text("支部编号")
    name = _maybe(fields.String, "学校党组织名")
    full_name = _maybe(fields.String, "党组织全称")
    version = fields.Integer(required=True, metadata={"description": "带此校验码的最早的版本"})
    versions = fields.List(fields.Integer(), required=True, metadata={"description": "带此校验码的全部版本"})
    submitted_at = fields.DateTime(required=True, metadata={"description": "该版本的收到时间（UTC）"})
    is_latest_valid = fields.Boolean(required=True, metadata={"description": "纸质稿与该支部最新的通过校验的版本内容一致"})
    latest_valid_version = fields.Integer(required=True, metadata={"description": "该支部最新的通过校验的版本"})
    latest_valid_at = fields.DateTime(required=True, metadata={"description": "其收到时间（UTC）"})


class VerificationSchema(Strict):
    verification_code = _text("规范写法的校验码，如 7F3A-92C1")
    matches = fields.List(fields.Nested(VerifiedBranchSchema), required=True,
                          metadata={"description": "带此校验码的支部（几乎总是一个）"})
