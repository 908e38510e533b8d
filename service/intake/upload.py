"""Uploaded files: accept only a real XLSX or a JSON object, refuse zip bombs, with a Chinese reason.

What is uploaded is kept as a submission (service.intake.received, service.store), refused or not.
MAX_CONTENT_LENGTH (the app's request limit, 5 MB) is passed in by the callers; `check` enforces it again.
"""
from __future__ import annotations

import json
import re

from service.errors import BadUpload, TooLarge

from .zipped import ZipRefused, open_measured

MAX_BYTES = 5 * 1024 * 1024
SPREADSHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def size_message(limit: int) -> str:
    return f"文件太大：上传文件不能超过 {limit // (1024 * 1024)} MB。数据采集表一般只有几十 KB，请确认选择的是正确的文件"


def check(content: bytes, filename: str = "", limit: int = MAX_BYTES) -> str:
    """'xlsx' or 'json' for an acceptable upload; BadUpload/TooLarge with a Chinese reason otherwise."""
    if len(content) > limit:
        raise TooLarge(size_message(limit))
    if not content:
        raise BadUpload("上传的文件是空的，请重新选择文件")
    if content.startswith(b"PK\x03\x04"):
        check_xlsx(content)
        return "xlsx"
    if content.startswith(OLE_MAGIC):
        raise BadUpload("这是旧版 Excel 97-2003（.xls）或加密的文件，请在 Excel/WPS 中“另存为”Excel 工作簿（.xlsx）后再上传")
    stripped = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith((b"{", b"[")) or filename.lower().endswith(".json"):
        check_json(content)
        return "json"
    raise BadUpload("只能上传数据采集表（.xlsx）或数据包（.json），该文件不是这两种格式")


def check_xlsx(content: bytes) -> None:
    """A zip holding a spreadsheet, small enough when unpacked."""
    try:
        archive = open_measured(content)
    except ZipRefused as refused:
        raise BadUpload({
            "damaged": "文件已损坏，无法作为 Excel 工作簿打开，请重新保存后上传",
            "entries": f"文件结构异常（包含 {refused.count} 个内部文件），不像是数据采集表，已拒绝",
            "bomb": "文件解压后异常巨大（疑似“压缩炸弹”），已拒绝。请上传正常填写的数据采集表"}[refused.kind]) from None
    try:
        types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except KeyError:
        raise BadUpload("这不是 Excel 工作簿（.xlsx），请上传本系统下载的数据采集表") from None
    if MACRO_MAIN in types:
        raise BadUpload("这是启用宏的工作簿（.xlsm），请“另存为”普通 Excel 工作簿（.xlsx）后再上传")
    if SPREADSHEET_MAIN not in types:
        raise BadUpload("这不是 Excel 工作簿（可能是 Word 文档或其他压缩文件），请上传数据采集表（.xlsx）")


def check_json(content: bytes):
    """A UTF-8 JSON object; returns it."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadUpload("JSON 文件不是 UTF-8 编码，请以 UTF-8 保存后再上传") from None
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        line = getattr(exc, "lineno", "?")
        raise BadUpload(f"JSON 格式错误（第{line}行附近），无法读取") from None
    if not isinstance(data, dict):
        raise BadUpload("JSON 数据包应为一个对象（以 { 开头），请按接口说明提供")
    return data


def safe_name(filename: str) -> str:
    """The clerk's file name, for display and the download back; no paths or control characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r'[\x00-\x1f\x7f<>:"|?*]', "", name).strip()
    return name[:120]
