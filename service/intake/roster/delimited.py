"""A CSV (or tab-separated text) roster as one sheet of text cells.

Systems and Excel save CSV in UTF-8 (with or without a BOM), in the Windows code page (GBK), or as
“Unicode text” (UTF-16 with a BOM, tab-separated). UTF-8 is tried strictly first, then GB18030, which
is a superset of GBK and also holds the characters outside it (𠮷): a GBK file never decodes as UTF-8
by accident in practice, so the order decides without guessing.
"""
from __future__ import annotations

import csv
import io
import re

from .filetypes import not_a_roster
from .sheets import Sheet

_DELIMITERS = ",\t;|"
_MARKUP = re.compile(r"^\s*<")
_SPREADSHEET_XML = "urn:schemas-microsoft-com:office:spreadsheet"


def decode(content: bytes) -> str:
    """The file's text; BadRoster when it is no text at all."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise not_a_roster("它以 UTF-16 文本开头，但内容无法解码") from None
    if b"\x00" in content[:4096]:
        raise not_a_roster("它是无法识别的二进制文件")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise not_a_roster("它既不是 Excel 或 WPS 工作簿，也不是 UTF-8 或 GBK 编码的文本")


def _refuse_markup(text: str) -> None:
    """Systems that export “.xls” as a web page or as Excel 2003 XML: say so instead of misreading it."""
    if not _MARKUP.match(text):
        return
    head = text[:4096].lower()
    if _SPREADSHEET_XML in head:
        raise not_a_roster("它是 Excel 2003 XML 表格；请在 Excel 或 WPS 中打开，另存为 Excel 工作簿（.xlsx）后上传")
    if "<table" in head or "<html" in head:
        raise not_a_roster("它是网页（HTML），只是扩展名像 Excel 文件；请在 Excel 或 WPS 中打开，另存为 Excel 工作簿（.xlsx）后上传")
    raise not_a_roster("它是 XML 文本")


def _dialect(text: str):
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
    except csv.Error:
        counts = {d: sample.count(d) for d in _DELIMITERS}
        best = max(counts, key=counts.get)

        class Plain(csv.excel):
            delimiter = best if counts[best] else ","
        return Plain


def csv_sheet(content: bytes, filename: str = "") -> Sheet:
    """One sheet named after the file, every cell text (None when blank)."""
    text = decode(content)
    _refuse_markup(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), _dialect(text)))
    except csv.Error:
        raise not_a_roster("它像 CSV 文本，但无法按行、列读取（引号不成对或含有二进制内容）") from None
    rows = [[value if value.strip() else None for value in record] for record in records]
    stem = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return Sheet(stem or "CSV", rows)
