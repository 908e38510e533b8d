"""/api/v1/validate, /documents/<id>, /packages/<id>: thin handlers over schemas and the catalog."""
from __future__ import annotations

from flask import current_app, request
from flask_smorest import Blueprint

import schemas
from service.documents import packages, render
from service.domain import catalog
from service.domain import figures, rules, scope
from service.pdf_runtime import converter_for

from .body import json_body
from .downloads import send_output

blp = Blueprint("documents", __name__, url_prefix="/api/v1", description="校验排查数据包，生成各项文书")

DATASET_BODY = {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dataset"}}}}
FILE_RESPONSES = {
    "200": {"description": "文件（Content-Disposition 带中文文件名）",
            "content": {m: {"schema": {"type": "string", "format": "binary"}} for m in catalog.MIMETYPES.values()}},
    "404": {"description": "没有该文书或材料包", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PaichaError"}}}},
    "422": {"description": "数据未通过校验（errors 列出每一处）", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PaichaError"}}}},
    "503": {"description": "PDF 转换不可用或繁忙", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PaichaError"}}}},
}


def report(data) -> dict:
    """What /validate answers: errors, warnings (三查三核 findings), figures and scope."""
    ds, errors = schemas.validate(data)
    if ds is None:
        return {"valid": False, "errors": errors, "warnings": [], "figures": None, "in_scope": 0, "excluded": []}
    return {
        "valid": True,
        "errors": [],
        "warnings": [f.as_dict() for f in rules.findings(ds)],
        "figures": {"outgoing_summary": figures.outgoing_summary(ds), "campaign_summary": figures.campaign_summary(ds)},
        "in_scope": len(scope.in_scope(ds)),
        "excluded": [{"name": m.name, "join_date": m.join_date.isoformat()} for m in scope.excluded(ds)],
    }


@blp.route("/validate", methods=["POST"])
@blp.doc(requestBody=DATASET_BODY, responses={"200": {"description": "校验结果：valid、errors、warnings、figures、in_scope、excluded"}})
def validate():
    """校验数据包：返回全部错误、三查三核提示和附件6/附件9的各项数字"""
    return report(json_body())


@blp.route("/documents/<doc_id>", methods=["POST"])
@blp.doc(requestBody=DATASET_BODY, responses=FILE_RESPONSES,
         parameters=[{"in": "query", "name": "format", "schema": {"type": "string", "enum": ["docx", "xlsx", "pdf"]}}])
def document(doc_id: str):
    """生成一份文书（工作方案、附件3–9、阶段性小结、工作总结、核查情况）"""
    render.document(doc_id)  # 404 before reading the body
    ds = schemas.load_dataset(json_body())
    fmt = request.args.get("format") or None
    converter = converter_for(current_app) if fmt == "pdf" else None
    return send_output(render.render_document(ds, doc_id, fmt, converter))


@blp.route("/packages/<package_id>", methods=["POST"])
@blp.doc(requestBody=DATASET_BODY, responses=FILE_RESPONSES,
         parameters=[{"in": "query", "name": "format", "schema": {"type": "string", "enum": ["office", "pdf"]}}])
def package(package_id: str):
    """生成一项报送材料（work_plan、tables、stage_summary、final_report、all；print 为附件4–9 打印版 PDF）"""
    packages.package(package_id)  # 404 before reading the body
    ds = schemas.load_dataset(json_body())
    fmt = request.args.get("format") or None
    needs_pdf = fmt == "pdf" or package_id == "print"
    converter = converter_for(current_app) if needs_pdf else None
    return send_output(packages.render_package(ds, package_id, fmt, converter))
