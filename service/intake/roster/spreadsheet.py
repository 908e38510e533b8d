"""The default roster Reader: workbooks through calamine, CSV through the text reader.

calamine (Rust) reads .xlsx, .xlsb, .xls (Excel 97 and WPS's BIFF8 .et) and .ods into plain values,
Excel dates as dates, with the merged ranges of .xlsx and .xls; it reads a 3,000-row roster in a
tenth of the time openpyxl takes. It lays a sheet out densely, so how far the cells reach is checked
first (bounds.py). It has no number formats, which only matter for month-precision
dates: a date on the 1st in a month field is read as that month (normalise.py).
"""
from __future__ import annotations

import io
from datetime import time, timedelta

import python_calamine

from service.errors import BadRoster

from .bounds import check_ods, check_xls, check_xlsx
from .delimited import csv_sheet
from .filetypes import CSV, ODS, PASSWORD, XLS, XLSX, identify
from .sheets import Sheet, Value

MAX_ROWS = 20_000  # a whole district has about 3,000 members
UNREADABLE = "无法读取该工作簿：文件可能已损坏，或不是 Excel/WPS 保存的表格。请在 Excel 或 WPS 中打开后另存为 .xlsx 再上传"


class SpreadsheetReader:
    """Reader for every format a clerk's roster comes in, told apart by content (filetypes.identify)."""

    def read(self, content: bytes, filename: str = "") -> list[Sheet]:
        kind = identify(content)
        if kind == XLSX:
            check_xlsx(content)
        elif kind == XLS:
            check_xls(content, PASSWORD)
        elif kind == ODS:
            check_ods(content)
        sheets = [csv_sheet(content, filename)] if kind == CSV else _workbook(content)
        for sheet in sheets:
            if len(sheet.rows) > MAX_ROWS:
                raise BadRoster(f"工作表「{sheet.name}」有 {len(sheet.rows)} 行，超过 {MAX_ROWS} 行的上限；"
                                "请只上传党员名册")
        return sheets


def _workbook(content: bytes) -> list[Sheet]:
    try:
        with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content)) as book:
            return [_sheet(book, meta.name) for meta in book.sheets_metadata
                    if meta.typ == python_calamine.SheetTypeEnum.WorkSheet]
    except python_calamine.PasswordError as exc:
        raise BadRoster(PASSWORD) from exc
    except Exception as exc:  # calamine's own errors, and what a damaged file makes its parser raise
        raise BadRoster(UNREADABLE) from exc
    except BaseException as exc:  # a Rust panic inside calamine surfaces as pyo3's PanicException
        if type(exc).__name__ != "PanicException":
            raise
        raise BadRoster(UNREADABLE) from exc


def _sheet(book, name: str) -> Sheet:
    data = book.get_sheet_by_name(name)
    rows = [[_value(v) for v in row] for row in data.to_python(skip_empty_area=False)]
    merged = tuple((r0 + 1, c0 + 1, r1 + 1, c1 + 1) for (r0, c0), (r1, c1) in (data.merged_cell_ranges or ()))
    return Sheet(name, rows, merged)


def _value(value) -> Value:
    """calamine's value as a cell value: blank text is empty; times and durations are text."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, (time, timedelta)):
        return str(value)
    return value
