"""/api/v1/workbook: the clerk's 数据采集表 — blank, filled from a dataset, or read back into one."""
from __future__ import annotations

from flask import Response, current_app, request
from flask_smorest import Blueprint

import schemas
from service.documents.render import Output
from service.errors import BadUpload
from service.http.body import json_body
from service.http.downloads import send_output
from service.intake import upload
from service.intake.check import check_json, check_workbook
from service.intake.spec import WORKBOOK_ASCII_NAME, WORKBOOK_NAME
from service.intake.workbook import blank_workbook, filled_workbook

from .documents import DATASET_BODY, INVALID, NOT_JSON, TOO_LARGE
from .openapi import DATASET_RULES, error_responses, file_response, json_content, refusals

blp = Blueprint("workbook", __name__, url_prefix="/api/v1/workbook",
                description="数据采集表（Excel）：下载空表、由数据包生成已填表、读取已填表")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_RESPONSE = {"200": file_response("数据采集表.xlsx（Content-Disposition 带中文文件名）", ["xlsx"])}


UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary",
                            "description": "已填写的数据采集表（.xlsx），或 JSON 数据包"}}}}}}


def send_xlsx(data: bytes) -> Response:
    return send_output(Output(data, WORKBOOK_NAME, WORKBOOK_ASCII_NAME, XLSX))


@blp.route("", methods=["GET"])
@blp.doc(responses=XLSX_RESPONSE)
def blank():
    """下载空白数据采集表（含填写说明、下拉选项和示例行）"""
    return send_xlsx(blank_workbook())


@blp.route("", methods=["POST"])
@blp.doc(requestBody=DATASET_BODY, description=refusals(DATASET_RULES),
         responses={**XLSX_RESPONSE, **error_responses({400: NOT_JSON, 413: TOO_LARGE, 422: INVALID})})
def filled():
    """由 JSON 数据包生成已填好的数据采集表（读回即得同一数据包）"""
    data = json_body()
    schemas.load_dataset(data)  # 422 with every error before anything is written
    return send_xlsx(filled_workbook(data))


@blp.route("/read", methods=["POST"])
@blp.doc(requestBody=UPLOAD_BODY, description=refusals(
    "file 须是一个 .xlsx 数据采集表或一个 JSON 数据包（按内容判断）：其他内容、损坏的文件或疑似压缩炸弹"
    "（400，code=bad_upload）；读出的数据有错时仍是 200，错误在 errors 中"), responses={
    "200": {"description": "dataset：读出的 JSON 数据包；errors：阻止生成文书的错误（工作表、行、列、单元格、说明）；"
                           "warnings：三查三核提示等，不阻止生成",
            "content": json_content("WorkbookRead")},
    **error_responses({
        400: "没有上传文件（表单字段 file），不是 .xlsx/.json，或文件损坏、疑似压缩炸弹（code=bad_upload）",
        413: "文件过大（code=too_large）",
    }),
})
def read():
    """读取已填写的数据采集表：返回数据包和全部错误（每条指明工作表、行、列和单元格）"""
    storage = request.files.get("file")
    if storage is None:
        raise BadUpload("请在表单字段 file 中上传数据采集表（.xlsx）或数据包（.json）")
    content = storage.read()
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or upload.MAX_BYTES
    kind = upload.check(content, storage.filename or "", limit)
    checked = check_workbook(content) if kind == "xlsx" else check_json(upload.check_json(content))
    return checked.as_dict()
