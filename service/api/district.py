"""/api/v1/district/…: the district's totals over every branch's newest valid version — thin handlers
over service.documents.district (files) and service.store.district + service.domain.district (JSON)."""
from __future__ import annotations

from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import fields, validate

from service.documents import district as files
from service.domain import catalog, district, rules
from service.http.downloads import send_output
from service.http.query import format_of
from service.pdf.runtime import converter_for
from service.store import artifacts_of, database, gc_pause, now
from service.store import district as queries

from .openapi import EMPTY_QUERY, STORE, Strict, error_responses, file_response, json_content

blp = Blueprint("district", __name__, url_prefix="/api/v1/district",
                description="全区汇总（区委教育工委）：附件6、附件9 全区汇总表，三查三核情况一览，各支部核查情况打包")

PDF = ("需要 PDF 而不能转换：未启用 LibreOffice，或已停止且未能重新启动（code=pdf_unavailable，后者带 Retry-After）、转换繁忙（code=busy，带 Retry-After）"
       "或转换失败（code=pdf_failed）；")
COVERS = ("每个已报送有效数据的党组织一行（按编号排序，取其最新一次通过校验的版本、报送时已存的数字，不重新校验），"
          "末行为合计（各行之和）；尚未报送有效数据的党组织不列行，在合计下的说明中计数。")


def format_parameter(offered: tuple[str, ...], description: str) -> dict:
    return {"in": "query", "name": "format", "required": False, "description": f"{description}。{EMPTY_QUERY}",
            "schema": {"type": "string", "enum": list(offered)}}


def table_doc(doc_id: str) -> dict:
    title = catalog.DOCUMENTS[doc_id].title
    return {
        "parameters": [format_parameter(files.TABLE_FORMATS, "xlsx（缺省，Excel）或 pdf")],
        "responses": {
            "200": file_response(f"全区「{title}」：{COVERS}文件名如「"
                                 f"{catalog.DISTRICT.file_prefix}-{catalog.file_title(doc_id)}-20230710.xlsx」",
                                 files.TABLE_FORMATS),
            **error_responses({400: "查询参数 format 为空（code=bad_query）或不是所列的格式（code=unsupported_format）",
                               503: PDF + STORE}),
        },
    }


def _table(doc_id: str):
    fmt = format_of(request.args)
    app = current_app._get_current_object()
    converter = converter_for(app) if fmt == "pdf" else None
    return send_output(files.table(database(app), artifacts_of(app), doc_id, fmt, converter, now(app)))


@blp.route("/outgoing_summary", methods=["GET"])
@blp.doc(**table_doc("outgoing_summary"))
def outgoing_summary():
    """全区附件6 外出流动党员情况汇总表：每个党组织一行，加合计"""
    return _table("outgoing_summary")


@blp.route("/campaign_summary", methods=["GET"])
@blp.doc(**table_doc("campaign_summary"))
def campaign_summary():
    """全区附件9 党员组织关系排查工作情况汇总表：每个党组织一行，加合计"""
    return _table("campaign_summary")


# ---- the findings overview ----------------------------------------------------------------------------

RULE_IDS = tuple(rules.RULES)


def _by_rule(description: str) -> fields.Dict:
    return fields.Dict(keys=fields.String(validate=validate.OneOf(RULE_IDS)),
                       values=fields.Integer(validate=validate.Range(min=1)), required=True,
                       metadata={"description": description})


def _count(description: str) -> fields.Integer:
    return fields.Integer(required=True, validate=validate.Range(min=0), metadata={"description": description})


class BranchFindingsSchema(Strict):
    code = fields.String(required=True, metadata={"description": "党组织编号"})
    name = fields.String(required=True, allow_none=True, metadata={"description": "党组织名称（简称）"})
    latest_version = fields.Integer(required=True, allow_none=True, metadata={"description": "最新一版的版本号"})
    latest_valid = fields.Boolean(required=True, metadata={"description": "最新一版是否通过校验"})
    latest_submitted_at = fields.String(required=True, allow_none=True,
                                        metadata={"description": "最新一版的报送时间（ISO 8601，UTC）"})
    errors = _count("最新一版未通过校验时的错误数（通过时为 0）")
    valid_version = fields.Integer(required=True, allow_none=True,
                                   metadata={"description": "最新一次通过校验的版本号；从未通过时为 null"})
    valid_submitted_at = fields.String(required=True, allow_none=True, metadata={"description": "其报送时间"})
    in_scope = fields.Integer(required=True, allow_none=True, metadata={"description": "其排查对象人数"})
    warnings = _count("其三查三核提示条数")
    by_rule = _by_rule("其三查三核提示按规则计数（只列有提示的规则）")


class FindingsTotalsSchema(Strict):
    branches = _count("党组织数（报送过数据的）")
    with_valid = _count("有通过校验版本的党组织数")
    without_valid = _count("尚无通过校验版本的党组织数")
    latest_rejected = _count("最新一版未通过校验的党组织数（可能仍有较早的有效版本）")
    errors = _count("各党组织最新一版的错误数之和")
    warnings = _count("三查三核提示总条数")
    by_rule = _by_rule("全区三查三核提示按规则计数")
    branches_by_rule = _by_rule("每条规则有提示的党组织数")
    unidentified = _count("读不出党组织编号的报送（已保存，未归入任何党组织）")


class RuleSchema(Strict):
    title = fields.String(required=True, metadata={"description": "规则名称"})
    severity = fields.String(required=True, validate=validate.OneOf(("E", "W")), metadata={"description": "E 错误，W 提示"})


class DistrictFindingsSchema(Strict):
    generated_at = fields.String(required=True, metadata={"description": "统计时间（ISO 8601，UTC）"})
    branches = fields.List(fields.Nested(BranchFindingsSchema), required=True,
                           metadata={"description": "每个党组织一项，按编号排序"})
    totals = fields.Nested(FindingsTotalsSchema, required=True, metadata={"description": "全区合计"})
    rules = fields.Dict(keys=fields.String(validate=validate.OneOf(RULE_IDS)), values=fields.Nested(RuleSchema),
                        required=True, metadata={"description": "规则编号 → 名称与级别"})


@blp.route("/findings", methods=["GET"])
@blp.doc(responses={"200": {"description": "每个党组织：最新一版的错误数、最新有效版的三查三核提示（按规则）；全区合计",
                            "content": json_content("DistrictFindings")},
                    **error_responses({503: STORE})})
def findings():
    """全区三查三核情况一览：每个党组织的错误数和按规则的提示数，全区合计"""
    app = current_app._get_current_object()
    moment = now(app)
    with database(app).reading() as session, gc_pause.paused():  # thousands of plain rows (see gc_pause)
        overview = district.findings_overview(queries.latest_findings(session))
        overview["totals"]["unidentified"] = queries.unidentified(session)
    return {"generated_at": moment.isoformat(), **overview}


# ---- every branch's 核查情况 -------------------------------------------------------------------------------


@blp.route("/verification_reports", methods=["GET"])
@blp.doc(parameters=[format_parameter(files.REPORT_FORMATS, "docx（缺省，Word）或 pdf")], responses={
    "200": file_response(
        "zip：每个已报送有效数据的党组织一份核查情况（取其最新有效版本），文件名「{编号}-{名称}-核查情况.docx」；"
        f"压缩包名如「{catalog.DISTRICT.file_prefix}-核查情况-20230710.zip」。已生成过的文件直接复用", ["zip"]),
    **error_responses({400: "查询参数 format 为空（code=bad_query）或不是所列的格式（code=unsupported_format）",
                       409: "尚无党组织报送有效数据（code=no_valid_version）", 503: PDF + STORE}),
})
def verification_reports():
    """各党组织核查情况（三查三核结果及初步处理方案）打包下载"""
    fmt = format_of(request.args)
    app = current_app._get_current_object()
    converter = converter_for(app) if fmt == "pdf" else None
    return send_output(files.verification_reports(database(app), artifacts_of(app), fmt, converter, now(app)))
