"""/api/v1/validate, /documents/<id>, /packages/<id>: thin handlers over schemas and the catalog."""
from __future__ import annotations

from flask import current_app, request
from flask_smorest import Blueprint

import schemas
from service.documents import packages, render
from service.domain import catalog
from service.http.body import json_body
from service.http.downloads import send_output
from service.http.query import format_of
from service.intake.report import report
from service.pdf.runtime import pdf_with_room

from .openapi import (DATASET_RULES, DOCUMENT_FORMATS, EMPTY_QUERY, PACKAGE_FORMATS, document_extensions,
                      error_responses, file_response, json_content, package_extensions, refusals)

blp = Blueprint("documents", __name__, url_prefix="/api/v1", description="校验排查数据包，生成各项文书")

DATASET_BODY = {"required": True, "description": "排查数据包（JSON，UTF-8）",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dataset"}}}}
# /validate answers any JSON with its report, so its body is any JSON: a Dataset is what comes back valid
VALIDATE_BODY = {"required": True, "description": (
    "要校验的排查数据包（JSON，UTF-8），结构见 Dataset。任何 JSON 都得到 200 的校验报告：不符合 Dataset 的"
    "（未知字段、缺少或错误的值，甚至不是对象）不拒绝，而由报告的 errors 逐项列出（valid 为 false）"),
    "content": {"application/json": {"schema": {"anyOf": [{"$ref": "#/components/schemas/Dataset"}, {}]}}}}
NOT_JSON = "请求体为空、不是 UTF-8 或不是有效的 JSON（code=bad_json）"
EMPTY_FORMAT = "查询参数 format 为空（code=bad_query）"
TOO_LARGE = "请求体超过大小限制（code=too_large）"
INVALID = "数据包未通过校验（code=invalid_dataset）：errors 列出每一处，path 为 JSON 路径"
PDF = ("需要 PDF 而不能转换：未安装或未启用 LibreOffice，或 LibreOffice 已停止且未能重新启动（code=pdf_unavailable，后者带 Retry-After）、转换繁忙（code=busy，"
       "带 Retry-After）或转换失败（code=pdf_failed）；Word/Excel 格式不受影响")

DOCUMENT_ID = {"in": "path", "name": "doc_id", "required": True, "description": "文书编号",
               "schema": {"type": "string", "enum": list(catalog.DOCUMENT_IDS)}}
PACKAGE_ID = {"in": "path", "name": "package_id", "required": True, "description": "材料包编号",
              "schema": {"type": "string", "enum": list(catalog.PACKAGE_IDS)}}
DOCUMENT_FORMAT = {"in": "query", "name": "format", "required": False,
                   "description": "每份文书只提供其本身的格式（缺省）和 pdf。" + "；".join(
                       f"{kind}：" + "、".join(d.id for d in catalog.DOCUMENT_LIST if d.kind == kind)
                       for kind in dict.fromkeys(d.kind for d in catalog.DOCUMENT_LIST)) + f"。{EMPTY_QUERY}",
                   "schema": {"type": "string", "enum": list(catalog.FORMATS)}}
PDF_ONLY = [p.id for p in catalog.PACKAGE_LIST if p.pdf_only]
PACKAGE_FORMAT = {"in": "query", "name": "format", "required": False,
                  "description": f"office（缺省，Word/Excel；多份时为 zip）或 pdf；{'、'.join(PDF_ONLY)} 只有 pdf（缺省即 pdf）。"
                                 + EMPTY_QUERY,
                  "schema": {"type": "string", "enum": list(catalog.PACKAGE_FORMATS)}}

DOCUMENT_RESPONSES = {
    "200": file_response("文书文件（Content-Disposition 带中文文件名）", document_extensions()),
    **error_responses({
        400: f"{NOT_JSON}，{EMPTY_FORMAT}，或该文书不提供所选格式（code=unsupported_format）",
        404: "没有该编号的文书（code=unknown_document），message 列出可用的编号",
        413: TOO_LARGE, 422: INVALID, 503: PDF,
    }),
}
PACKAGE_RESPONSES = {
    "200": file_response("材料文件：单份文书、zip 压缩包或合并的 PDF（Content-Disposition 带中文文件名）",
                         package_extensions()),
    **error_responses({
        400: f"{NOT_JSON}，{EMPTY_FORMAT}，或该材料包不提供所选格式（code=unsupported_format）",
        404: "没有该编号的材料包（code=unknown_document），message 列出可用的编号",
        413: TOO_LARGE, 422: INVALID, 503: PDF,
    }),
}
VALIDATE_RESPONSES = {
    "200": {"description": "校验结果：数据包有错时也是 200，valid 为 false，errors 列出每一处",
            "content": json_content("ValidationReport")},
    **error_responses({400: NOT_JSON, 413: TOO_LARGE}),
}


@blp.route("/validate", methods=["POST"])
@blp.doc(requestBody=VALIDATE_BODY, responses=VALIDATE_RESPONSES, description=(
    "有意宽松：请求体是 JSON 就回答 200。数据包有任何问题——包括未知字段（如拼错的键）、缺少或错误的值、"
    "Dataset 说明所列的跨字段规则——都不拒绝，而在报告的 errors 中逐项列出（valid 为 false），供修改后再提交。"))
def validate():
    """校验数据包：返回全部错误、三查三核提示和附件6/附件9的各项数字"""
    return report(json_body())


@blp.route("/documents/<doc_id>", methods=["POST"], parameters=[DOCUMENT_ID])
@blp.doc(requestBody=DATASET_BODY, responses=DOCUMENT_RESPONSES, parameters=[DOCUMENT_FORMAT],
         description=refusals(DOCUMENT_FORMATS, DATASET_RULES))
def document(doc_id: str):
    """生成一份文书（工作方案、附件3–9、阶段性小结、工作总结、核查情况）"""
    render.document(doc_id)  # 404 before reading the body
    fmt = format_of(request.args)
    converter = pdf_with_room(current_app) if fmt == "pdf" else None  # a full pool: 503 before the body
    ds = schemas.load_dataset(json_body())
    return send_output(render.render_document(ds, doc_id, fmt, converter))


@blp.route("/packages/<package_id>", methods=["POST"], parameters=[PACKAGE_ID])
@blp.doc(requestBody=DATASET_BODY, responses=PACKAGE_RESPONSES, parameters=[PACKAGE_FORMAT],
         description=refusals(PACKAGE_FORMATS, DATASET_RULES))
def package(package_id: str):
    """生成一项报送材料（work_plan、tables、stage_summary、final_report、all；print 为附件4–9 打印版 PDF）"""
    pkg = packages.package(package_id)  # 404 before reading the body
    fmt = format_of(request.args)
    needs_pdf = fmt == catalog.PDF or pkg.pdf_only
    converter = pdf_with_room(current_app) if needs_pdf else None  # a full pool: 503 before the body
    ds = schemas.load_dataset(json_body())
    return send_output(packages.render_package(ds, package_id, fmt, converter))
