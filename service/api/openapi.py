"""The OpenAPI document: flask-smorest with the contract's own schemas, and only the answers that are sent.

The JSON Schema of the request body comes from the marshmallow schemas in schemas/ (their fields carry
patterns, lengths and descriptions as metadata); this module only adjusts how apispec spells three things
for OpenAPI 3.0 (a nullable object or union, an object whose Meta has a description, an optional field
that takes blank text as absent) and documents the responses: the one error body of errors.py, the
/validate report and the workbook read-back.
"""
from __future__ import annotations

import re

from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_instance
from apispec.ext.marshmallow.openapi import OpenAPIConverter
from flask_smorest import Api
from marshmallow import EXCLUDE, INCLUDE, Schema, fields, validate

from schemas.fields import BLANK_PATTERN, ChineseMessages
from service.domain import catalog, figures, register, rules
from service.http.errors import ErrorItemSchema, ErrorSchema


# ---- the request body: apispec, adjusted -------------------------------------------------------------


def null_branch(type_: str) -> dict:
    """The OpenAPI 3.0.3 way to admit null next to a $ref or in a union: `nullable` counts only beside
    an explicit `type`, and the `enum` keeps every other value of that type out."""
    return {"type": type_, "nullable": True, "enum": [None]}


def nullable_unions(self, field, ret: dict, **kwargs) -> dict:
    """apispec writes a nullable Nested as anyOf [{type: object, nullable: true}, {$ref}], whose first
    branch admits any object at all; and a nullable field with its own anyOf (MonthDate) gets a
    `nullable` beside the union that the union's branches do not share. Both become
    anyOf [..., null only]."""
    if "anyOf" not in ret or not field.allow_none:
        return {}
    branches = [b for b in ret["anyOf"] if b != {"type": "object", "nullable": True}]
    kind = "object" if isinstance(field, fields.Nested) else "string"
    ret.pop("nullable", None)
    ret.pop("type", None)
    ret["anyOf"] = branches + [null_branch(kind)]
    return {}


def admit_blank(prop: dict) -> None:
    """An optional contract field takes blank text as absent (schemas.fields.ChineseMessages): its schema
    admits it too — in the pattern of a text field, else as one more branch of a union."""
    blank = {"type": "string", "pattern": BLANK_PATTERN}
    if "pattern" in prop and not {"enum", "format", "anyOf"} & set(prop):
        if not (re.search(prop["pattern"], "") and re.search(prop["pattern"], " ")):
            prop["pattern"] = f"(?:{prop['pattern']})|(?:{BLANK_PATTERN})"
        return
    if "anyOf" in prop:
        null = [b for b in prop["anyOf"] if b.get("enum") == [None]]
        prop["anyOf"] = [b for b in prop["anyOf"] if b not in null] + [blank] + null
        return
    annotations = {k: prop.pop(k) for k in ("description", "default", "example") if k in prop}
    branch = dict(prop)
    prop.clear()
    prop.update(annotations, anyOf=[branch, blank])


class ContractConverter(OpenAPIConverter):
    def init_attribute_functions(self):
        super().init_attribute_functions()
        self.add_attribute_function(nullable_unions)

    def schema2jsonschema(self, schema):
        """Every object says additionalProperties as its Meta.unknown does (apispec drops it when Meta has a
        description), and Meta.example becomes the schema's example."""
        jsonschema = super().schema2jsonschema(schema)
        instance = resolve_schema_instance(schema)
        for name, field in instance.load_fields.items():
            if isinstance(field, ChineseMessages) and not field.required:
                admit_blank(jsonschema["properties"][field.data_key or name])
        if instance.unknown != EXCLUDE:
            jsonschema["additionalProperties"] = instance.unknown == INCLUDE
        example = getattr(getattr(schema, "Meta", None), "example", None)
        if example is not None:
            jsonschema["example"] = example
        return jsonschema


class ContractPlugin(MarshmallowPlugin):
    Converter = ContractConverter


class PaichaApi(Api):
    """flask-smorest documenting the error body errors.py sends, and no response it does not send.

    flask-smorest would add a `default` response to every operation, an `Error` schema of its own
    ({code: integer, status: string, errors: object}) and unused pagination and ETag components.
    """

    ERROR_SCHEMA = ErrorSchema
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_responses(self):
        pass  # each operation lists its own error responses (error_responses)

    def _register_etag_headers(self):
        pass

    def _register_pagination_header(self):
        pass


def make_api(app, description: str) -> Api:
    from service.access.openapi import AccessPlugin  # security and 401/403/429 from the access policy

    api = PaichaApi(app, spec_kwargs={"marshmallow_plugin": ContractPlugin(), "extra_plugins": [AccessPlugin()],
                                      "info": {"description": description}})
    api.spec.components.schema("Error", schema=ErrorSchema)
    return api


# ---- responses ----------------------------------------------------------------------------------------


def json_content(schema_name: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}}


RETRY_AFTER = {
    "description": "秒数：多久后可重试；在 PDF 转换繁忙（code=busy）、LibreOffice 已停止（code=pdf_unavailable）、数据库暂时不可用（code=store_unavailable）或任务队列无法连接（code=queue_unavailable）时发送",
    "schema": {"type": "integer", "minimum": 0},
}


def error_responses(described: dict[int, str]) -> dict:
    """{status: description} → OpenAPI responses with the error body (and Retry-After on 503)."""
    out = {}
    for status, description in described.items():
        response = {"description": description, "content": json_content("Error")}
        if status == 503:
            response["headers"] = {"Retry-After": RETRY_AFTER}
        out[str(status)] = response
    return out


CONTENT_DISPOSITION = {
    "description": "attachment；filename 为 ASCII 备用名，filename* 为中文文件名（RFC 6266/5987）",
    "required": True,
    "schema": {"type": "string"},
}


def file_response(description: str, extensions) -> dict:
    content = {catalog.MIMETYPES[ext]: {"schema": {"type": "string", "format": "binary"}}
               for ext in dict.fromkeys(extensions)}
    return {"description": description, "content": content, "headers": {"Content-Disposition": CONTENT_DISPOSITION}}


# ---- what a schema cannot say -------------------------------------------------------------------------

# the one wording of a 503 for a database that does not answer (every operation that reads or writes it)
STORE = "数据库暂时不可用（code=store_unavailable，带 Retry-After）"
REFUSALS = "跨字段规则（JSON Schema 表达不了：符合本文档的请求也会因下列规则被拒绝）："
DATASET_RULES = "数据包须符合 Dataset 说明所列的跨字段规则（422，code=invalid_dataset；errors 的 path 指向所列字段）"
EMPTY_QUERY = "查询参数不需要时请省略：给了却为空（如 ?format=）或写法不对，为 400（code=bad_query）"


def refusals(*rules: str) -> str:
    """An operation's description of the requests its schemas admit and it refuses, each rule with its
    status and code: 「…（400，code=unsupported_format）」 (tests/test_api_openapi.py reads them)."""
    return REFUSALS + "\n" + "\n".join(f"- {rule}" for rule in rules)


def format_rule(offers: dict[str, tuple[str, ...]], what: str) -> str:
    """The format an id comes in, as one refusal rule: ids grouped by the formats they share."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for key, formats in offers.items():
        groups.setdefault(formats, []).append(key)
    said = "；".join(f"{'、'.join(keys)} 只提供 {'、'.join(formats)}" for formats, keys in groups.items())
    return f"format 须是该{what}提供的格式：{said}（400，code=unsupported_format）"


DOCUMENT_FORMATS = format_rule({d.id: d.formats for d in catalog.DOCUMENT_LIST}, "文书")
PACKAGE_FORMATS = format_rule({p.id: p.formats for p in catalog.PACKAGE_LIST}, "材料包")


def document_extensions() -> list[str]:
    """What /documents/<id> can send: each document in its own format or as PDF."""
    return [fmt for doc in catalog.DOCUMENT_LIST for fmt in doc.formats]


def package_extensions() -> list[str]:
    """What /packages/<id> can send: a single document in its format, a zip, or one PDF."""
    out = []
    for pkg in catalog.PACKAGE_LIST:
        if pkg.shape == "single":
            doc = catalog.DOCUMENTS[pkg.members[0]]
            out += [doc.kind if fmt == catalog.OFFICE else catalog.PDF for fmt in pkg.formats]
        else:
            out.append("zip" if pkg.shape == "zip" else "pdf")
    return out


# ---- response bodies (documentation only: the handlers build plain dicts) --------------------------------


class Strict(Schema):
    """A documented answer: exactly these keys (additionalProperties false)."""


def _count(label: str) -> fields.Integer:
    return fields.Integer(required=True, validate=validate.Range(min=0), metadata={"description": label})


OutgoingSummarySchema = Schema.from_dict(
    {code: _count(label) for code, label in figures.OUTGOING_LABELS.items()}, name="OutgoingSummarySchema")
CampaignSummarySchema = Schema.from_dict(
    {code: _count(label) for code, label in figures.CAMPAIGN_LABELS.items()}, name="CampaignSummarySchema")


class FiguresSchema(Strict):
    outgoing_summary = fields.Nested(OutgoingSummarySchema, required=True,
                                     metadata={"description": "附件6 外出流动党员情况汇总表的各项数字（栏号 1–18）"})
    campaign_summary = fields.Nested(CampaignSummarySchema, required=True,
                                     metadata={"description": "附件9 党员组织关系排查工作情况汇总表的各项数字"})


class FindingSchema(Strict):
    rule = fields.String(required=True, validate=validate.OneOf(tuple(rules.RULES) + register.NOTICE_RULES),
                         metadata={"description": "三查三核规则编号；保存的数据另有 not_registered（编号不在区委教育工委的"
                                                  "党组织名单中）、campaign_differs（排查工作安排与区里设定的不一致）"})
    severity = fields.String(required=True, validate=validate.OneOf(sorted({r.severity for r in rules.RULES.values()})),
                             metadata={"description": "W：提示，不阻止生成文书"})
    path = fields.String(required=True, metadata={"description": "JSON 路径，如 members[3].outgoing"})
    message = fields.String(required=True, metadata={"description": "提示（含党员姓名、依据和处理建议）"})


class ExcludedSchema(Strict):
    name = fields.String(required=True, metadata={"description": "姓名"})
    join_date = fields.Date(required=True, metadata={"description": "入党时间（晚于 campaign.cutoff_date）"})


class ValidationReportSchema(Strict):
    valid = fields.Boolean(required=True, metadata={"description": "数据包符合契约，可生成文书"})
    errors = fields.List(fields.Nested(ErrorItemSchema), required=True,
                         metadata={"description": "全部错误（valid 为 false 时非空），每条给出 JSON 路径"})
    warnings = fields.List(fields.Nested(FindingSchema), required=True,
                           metadata={"description": "三查三核提示（valid 为 false 时为空）"})
    figures = fields.Nested(FiguresSchema, required=True, allow_none=True,
                            metadata={"description": "附件6、附件9 的各项数字；valid 为 false 时为 null"})
    in_scope = fields.Integer(required=True, validate=validate.Range(min=0),
                              metadata={"description": "本次排查对象人数（入党截止日前入党的党员）"})
    excluded = fields.List(fields.Nested(ExcludedSchema), required=True,
                           metadata={"description": "入党截止日后入党、不属本次排查对象的党员"})
    verification_code = fields.String(
        required=True, allow_none=True, validate=validate.Regexp(r"^[0-9A-F]{4}-[0-9A-F]{4}$"),
        metadata={"description": "校验码：由数据包内容算出，印在每份文书每一页的页脚（「校验码 7F3A-92C1」），"
                                 "用来核对纸质稿与电子数据是否一致；同一内容总是同一校验码，任何改动都会改变它；"
                                 "valid 为 false 时为 null", "example": "7F3A-92C1"})


class CellErrorSchema(Strict):
    sheet = fields.String(required=True, allow_none=True, metadata={"description": "工作表（JSON 上传为 null）"})
    row = fields.Integer(required=True, allow_none=True, metadata={"description": "行号"})
    column = fields.String(required=True, allow_none=True, metadata={"description": "列标题"})
    cell = fields.String(required=True, allow_none=True, metadata={"description": "单元格，如 E7"})
    path = fields.String(required=True, allow_none=True, metadata={"description": "对应的数据包 JSON 路径"})
    message = fields.String(required=True, metadata={"description": "完整的定位说明"})
    detail = fields.String(required=True, metadata={"description": "问题本身"})
    rule = fields.String(metadata={"description": "提示所依据的三查三核规则编号（仅 warnings）"})


class WorkbookReadSchema(Strict):
    dataset = fields.Dict(required=True, metadata={
        "description": "读出的 JSON 数据包（有错误时也给出，便于对照）", "additionalProperties": True})
    errors = fields.List(fields.Nested(CellErrorSchema), required=True,
                         metadata={"description": "阻止生成文书的错误，每条指明工作表、行、列和单元格"})
    warnings = fields.List(fields.Nested(CellErrorSchema), required=True,
                           metadata={"description": "三查三核提示等，不阻止生成文书"})
