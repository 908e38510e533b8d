"""The documented answers of roster import (documentation only: the handlers send plain dicts, and
tests/test_api_openapi.py holds them to these)."""
from __future__ import annotations

from marshmallow import fields, validate

from service.intake.roster.labels import FIELD_LABELS, FIELD_TITLES

from .openapi import FindingSchema, Strict

FIELDS = tuple(FIELD_LABELS)
FIELD_LIST = "、".join(f"{f}（{t}）" for f, t in FIELD_TITLES.items())


def _text(description: str, **kwargs) -> fields.String:
    return fields.String(required=True, metadata={"description": description}, **kwargs)


def _maybe(field_cls, description: str, **kwargs):
    return field_cls(required=True, allow_none=True, metadata={"description": description}, **kwargs)


class RosterColumnSchema(Strict):
    column = _text("列字母，如 D")
    header = _maybe(fields.String, "列名（两行表头时上下两格以 / 相连，如「联系电话/手机号」）")
    field = _maybe(fields.String, "对应的党员信息字段；null：不导入", validate=validate.OneOf(FIELDS))
    why = _text("为什么这样对应（按哪个列名、列中的值是否相符），或为什么不导入")


RosterMemberSchema = Strict.from_dict(
    {"row": fields.Integer(required=True, metadata={"description": "花名册中的行号"}),
     **{f: fields.String(metadata={"description": f"{FIELD_TITLES[f]}（契约的写法）"}) for f in FIELDS}},
    name="RosterMemberSchema")


class MaskedMemberSchema(RosterMemberSchema):
    """A member as the preview shows it: the ID number masked."""


class RosterProblemSchema(Strict):
    cell = _text("单元格，如 D7")
    message = _text("中文说明；公民身份号码、电话不出现在说明中")


class RememberedSchema(Strict):
    scope = _text("branch：本支部上次确认的；district：全区最近一次有人对同样列名确认的",
                  validate=validate.OneOf(("branch", "district")))
    confirmed_at = fields.DateTime(required=True, metadata={"description": "确认时间（UTC）"})
    columns = fields.List(fields.String(), required=True,
                          metadata={"description": "与自动识别不同、按记住的对应关系读取的列（列字母）"})


class RosterMappingSchema(Strict):
    sheet = _text("读取的工作表")
    header_rows = fields.List(fields.Integer(), required=True, metadata={"description": "表头所在的行（一行或两行）"})
    columns = fields.List(fields.Nested(RosterColumnSchema), required=True, metadata={"description": "每列一项"})
    problems = fields.List(fields.Nested(RosterProblemSchema), required=True,
                           metadata={"description": "读不出或不合规则的单元格；该项不导入"})
    mapping_source = _text("given：按请求中的 mapping；remembered：按记住的对应关系（同样列名的文件上次确认的）；"
                           "detected：按列名和列中的值自动识别", validate=validate.OneOf(("given", "remembered", "detected")))
    remembered = fields.Nested(RememberedSchema, required=True, allow_none=True,
                               metadata={"description": "用了记住的对应关系时：谁的、何时确认的；否则为 null"})


class RosterReadSchema(RosterMappingSchema):
    members = fields.List(fields.Nested(RosterMemberSchema), required=True,
                          metadata={"description": "读出的党员：行号和能读出的各项（契约的值）"})


class FieldChangeSchema(Strict):
    field = _text("字段", validate=validate.OneOf(FIELDS))
    before = fields.Raw(required=True, allow_none=True, metadata={"description": "原值（原来没有为 null）"})
    after = fields.Raw(required=True, allow_none=True, metadata={"description": "花名册中的值"})


class RosterMemberRefSchema(Strict):
    row = fields.Integer(metadata={"description": "花名册中的行号"})
    name = _maybe(fields.String, "姓名")
    id_number = fields.String(metadata={"description": "公民身份号码（中间10位隐去）"})


class ChangedMemberSchema(Strict):
    member = fields.Nested(RosterMemberRefSchema, required=True)
    fields_ = fields.List(fields.Nested(FieldChangeSchema), required=True, data_key="fields",
                          metadata={"description": "有变化的各项"})


class RosterChangesSchema(Strict):
    added = fields.List(fields.Nested(MaskedMemberSchema), required=True,
                        metadata={"description": "新增的党员（按公民身份号码对不上现有党员的）"})
    changed = fields.List(fields.Nested(ChangedMemberSchema), required=True,
                          metadata={"description": "信息有变化的党员（按公民身份号码对应）"})
    missing = fields.List(fields.Nested(RosterMemberRefSchema), required=True,
                          metadata={"description": "现有数据中有、花名册中没有的党员：保留，不删除"})


class MergeErrorSchema(Strict):
    path = _text("JSON 路径，如 members[12].ethnicity")
    message = _text("中文说明")
    detail = _text("指明是哪位党员：姓名、花名册行号（或沿用原有数据）和字段")


class BasedOnSchema(Strict):
    version = fields.Integer(required=True, metadata={"description": "作为基础的版本"})
    valid = fields.Boolean(required=True, metadata={"description": "该版本是否通过校验（没有通过校验的版本时用最新版本）"})


class RosterImportSchema(RosterMappingSchema):
    code = _text("支部编号")
    based_on = fields.Nested(BasedOnSchema, required=True, allow_none=True,
                             metadata={"description": "花名册叠加在哪个版本上：最新的通过校验的版本，没有时为最新版本；"
                                                      "支部尚无任何版本时为 null"})
    preview = fields.Nested(RosterChangesSchema, required=True)
    valid = fields.Boolean(required=True, metadata={"description": "合并后的数据是否通过校验"})
    errors = fields.List(fields.Nested(MergeErrorSchema), required=True,
                         metadata={"description": "合并后的数据的全部错误（新增党员缺少的信息等），待党员本人或党务干事补全"})
    warnings = fields.List(fields.Nested(FindingSchema), required=True,
                           metadata={"description": "三查三核提示（valid 为 false 时为空）"})


class RosterDryRunSchema(RosterImportSchema):
    dry_run = fields.Boolean(required=True, validate=validate.Equal(True), metadata={"description": "只是预览：什么也没有保存"})


class RosterStoredSchema(RosterImportSchema):
    version = fields.Integer(required=True, metadata={"description": "保存成的新版本的版本号"})
    verification_code = _maybe(fields.String, "校验码（通过校验时）")
    submitted_at = fields.DateTime(required=True, metadata={"description": "收到时间（UTC）"})
    result_url = _text("结果页地址（本服务内的路径）：逐项列出错误，供补全后生成文书")
