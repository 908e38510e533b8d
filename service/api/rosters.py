"""/api/v1/rosters/read and /api/v1/branches/<code>/roster: a school's own roster read onto the contract's
member fields, previewed over a branch's data, or stored as its next version."""
from __future__ import annotations

import json
import re

from flask import current_app, request, url_for
from flask_smorest import Blueprint

from service.access import guard
from service.errors import BadQuery, BadRoster, BadUpload, TooLarge, UnknownBranch
from service.intake import upload
from service.store import database, now, roster_import

from .branch_params import BRANCH_CODE, CODE_PATTERN
from .openapi import STORE, error_responses, json_content, refusals

blp = Blueprint("rosters", __name__, url_prefix="/api/v1",
                description="从学校已有的花名册导入党员信息：读取、预览、保存为支部的新版本")

FORMATS = ".xlsx、.xls（Excel 97–2003 或 WPS）、.et、.ods 或 .csv（UTF-8 或 GBK/GB18030）"
UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {
        "file": {"type": "string", "format": "binary", "description": f"花名册：{FORMATS}，按内容识别格式"},
        "mapping": {"type": "string", "description": "可选，JSON 对象 {列字母或列名: 字段名或 null}，如 "
                    "{\"D\": \"id_number\", \"备注\": null}；给出的列按它读取，其余列自动识别；{} 表示全部自动识别。"
                    "不给时用同样列名的文件上次确认的对应关系（本支部的，没有时用全区最近一次的），都没有时自动识别。"
                    "保存（不是 dry_run）时，按给出的 mapping 读取的对应关系会被记住"},
        "sheet": {"type": "string", "description": "可选，工作表名；不给时读第一个有表头的工作表"}}}}}}
BAD_ROSTER = ("不是花名册（不是表格文件、没有可识别的表头、工作表是空的、有密码保护），或 mapping、sheet 有误"
              "（code=bad_roster）：message 说明找到了什么")
NO_FILE = "没有上传文件（表单字段 file）（code=bad_upload）"
TOO_LARGE = "文件过大（code=too_large）"
# A multipart body that keeps the document (any bytes in file, any text in mapping and sheet) is still
# refused when the bytes are no roster: the one rule a schema cannot say.
ROSTER_RULE = refusals("file 须是一份花名册（按内容判断，不看扩展名）：其他文件、空文件、加密的工作簿、没有可识别表头的工作表，"
                       "以及不是 JSON 对象的 mapping、工作簿中没有的 sheet（422，code=bad_roster；message 说明找到了什么）")
DRY_RUN = {"in": "query", "name": "dry_run", "required": False,
           "description": "true：只预览（新增、变化、花名册中没有的党员，以及合并后的错误），什么也不保存",
           "schema": {"type": "boolean", "default": False}}
TRUE, FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off", "")


def _file() -> tuple[bytes, str]:
    storage = request.files.get("file")  # 413 beyond MAX_CONTENT_LENGTH
    if storage is None:
        raise BadUpload(f"请在表单字段 file 中上传花名册（{FORMATS}）")
    content = storage.read()
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or upload.MAX_BYTES
    if len(content) > limit:
        raise TooLarge(f"文件太大：花名册不能超过 {limit // (1024 * 1024)} MB")
    return content, storage.filename or ""


def _mapping() -> dict | None:
    text = (request.form.get("mapping") or "").strip()
    if not text:
        return None
    try:
        mapping = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise BadRoster("对应关系（mapping）不是有效的 JSON，应为 {\"列字母或列名\": \"字段名\" 或 null} 形式的对象",
                        [{"path": "mapping", "message": "不是有效的 JSON"}]) from None
    if not isinstance(mapping, dict):
        raise BadRoster("对应关系（mapping）应为 {列字母或列名: 字段名或 null} 形式的对象",
                        [{"path": "mapping", "message": "应为 JSON 对象"}])
    return mapping


def _sheet() -> str | None:
    return (request.form.get("sheet") or "").strip() or None


def _dry_run() -> bool:
    raw = (request.args.get("dry_run") or "").strip().lower()
    if raw not in TRUE + FALSE:
        raise BadQuery("参数 dry_run 应为 true 或 false", [{"path": "dry_run", "message": "应为 true 或 false"}])
    return raw in TRUE


@blp.route("/rosters/read", methods=["POST"])
@blp.doc(requestBody=UPLOAD_BODY, description=ROSTER_RULE, responses={
    "200": {"description": "读出的党员和所用的对应关系；每个读不出的单元格列在 problems 中",
            "content": json_content("RosterRead")},
    **error_responses({400: NO_FILE, 413: TOO_LARGE, 422: BAD_ROSTER})})
def read():
    """读取花名册：找到表头，把每列对应到党员信息字段，读出每名党员（不保存任何内容）"""
    content, filename = _file()
    app = current_app._get_current_object()
    who = guard.principal()
    code = who.sole_branch() if who is not None else None
    return roster_import.read(database(app), content, filename, code, _mapping(), _sheet()).answer


@blp.route("/branches/<code>/roster", methods=["POST"], parameters=[BRANCH_CODE])
@blp.doc(requestBody=UPLOAD_BODY, parameters=[DRY_RUN], description=ROSTER_RULE, responses={
    "200": {"description": "dry_run=true：预览，什么也没有保存", "content": json_content("RosterDryRun")},
    "201": {"description": "已保存为支部的新版本（未通过校验的也保存：errors 列出要补全的信息，结果页逐项列出）",
            "content": json_content("RosterStored")},
    **error_responses({400: f"{NO_FILE}；或 dry_run 不是 true/false（code=bad_query）",
                       404: "地址中的支部编号无效（code=unknown_branch）；什么也不保存", 413: TOO_LARGE, 422: BAD_ROSTER,
                       503: STORE})})
def branch_roster(code: str):
    """从花名册导入一个支部的党员：按公民身份号码对应现有党员，花名册中有的更新，没有的保留；dry_run=true 只预览"""
    if not re.match(CODE_PATTERN, code):
        raise UnknownBranch(f"支部编号「{code}」无效：应为1–16位字母或数字（学校党组织编号）")
    dry_run = _dry_run()
    content, filename = _file()
    app = current_app._get_current_object()
    db = database(app)
    reading = roster_import.read(db, content, filename, code, _mapping(), _sheet())
    if dry_run:
        guard.note(detail="预览，未保存")
        merged, base = roster_import.preview(db, code, reading)
        return {**_answer(code, reading, merged, base), "dry_run": True}
    kept, merged, base = roster_import.store(
        db, code, reading, content, filename, now(app), guard.actor(),
        lambda session, sub: guard.audit_within(session, 201, version=sub.version))
    return {**_answer(code, reading, merged, base), "version": kept.version,
            "verification_code": kept.verification_code, "submitted_at": kept.created_at.isoformat(),
            "result_url": url_for("web.result", token=kept.token)}, 201


def _answer(code: str, reading, merged, base) -> dict:
    """The mapping used and the preview; the members themselves only masked, in the preview."""
    mapping = {k: v for k, v in reading.answer.items() if k != "members"}
    return {"code": code, **mapping, "based_on": base.as_dict(), "preview": merged.preview,
            "valid": merged.dataset is not None, "errors": merged.errors, "warnings": merged.warnings}
