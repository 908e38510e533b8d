"""The district's list of branches from its own spreadsheet (.xlsx, .xls, .et, .ods or .csv in UTF-8 or
GBK): read through the roster's Reader (python-calamine, the CSV decoder), its header row found by the
register's column names (domain.register.COLUMNS), each row loaded by the same schema as
PUT /api/v1/register, and every problem named by its row and column.

`read_register(content, filename)` gives the entries, or raises InvalidRegister listing every bad row:
the district's list is imported whole or not at all (a half-imported list would leave the district
unsure which branches it now has).
"""
from __future__ import annotations

import re
from datetime import date, datetime

from schemas.register import RegisterEntry, load_register
from service.domain import register as reg
from service.errors import BadRoster, InvalidRegister

from .roster.labels import fold
from .roster.sheets import Sheet
from .roster.spreadsheet import SpreadsheetReader

SCAN_ROWS = 30
_LABELS = {fold(label).lower(): name for name, labels in reg.COLUMNS.items() for label in labels}
_PATH = re.compile(r"^branches\[(\d+)\](?:\.(\w+))?")
_SEPARATORS = re.compile(r"[;,；，、\s]+")
NO_HEADER = ("没有找到党组织名单的表头：前 30 行中应有一行写着「编号」和「简称」（其余各列可有：全称、单位名称、党组织类型、"
             "联系人、联系电话、电子邮箱、状态、并入编号）")


def _header(sheet: Sheet) -> tuple[int, dict[int, str]] | None:
    """(header row, {column: field}) of the first row naming at least the code and the name."""
    for row in range(1, min(len(sheet.rows), SCAN_ROWS) + 1):
        columns = {}
        for column, value in enumerate(sheet.rows[row - 1], start=1):
            field = _LABELS.get(fold(value).lower()) if isinstance(value, str) else None
            if field and field not in columns.values():
                columns[column] = field
        if {"code", "name"} <= set(columns.values()):
            return row, columns
    return None


def _text(value) -> str | None:
    """A cell as text: whole numbers without .0 (a code or phone typed as a number), dates in ISO."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).strip() or None


def _row(sheet: Sheet, row: int, columns: dict[int, str]) -> dict:
    out: dict = {}
    for column, field in columns.items():
        text = _text(sheet.value(row, column))
        if text is None:
            continue
        if field == "emails":
            out[field] = [part for part in _SEPARATORS.split(text) if part]
        elif field == "state":
            out[field] = reg.STATE_BY_LABEL.get(text, text)
        else:
            out[field] = text
    return out


def rows_of(content: bytes, filename: str = "") -> tuple[list[int], list[dict]]:
    """(each data row's number, its values by field) of the district's list; InvalidRegister when no
    sheet holds one."""
    try:
        sheets = SpreadsheetReader().read(content, filename)
    except BadRoster as err:
        raise InvalidRegister(err.message.replace("花名册", "党组织名单")) from None
    for sheet in (s for s in sheets if not s.is_empty()):
        found = _header(sheet)
        if found is None:
            continue
        header_row, columns = found
        numbers, rows = [], []
        for row in range(header_row + 1, len(sheet.rows) + 1):
            values = _row(sheet, row, columns)
            if values:
                numbers.append(row)
                rows.append(values)
        if not rows:
            raise InvalidRegister(f"工作表「{sheet.name}」的表头（第{header_row}行）下面没有任何党组织")
        return numbers, rows
    raise InvalidRegister(NO_HEADER)


def read_register(content: bytes, filename: str = "") -> list[RegisterEntry]:
    """The list's entries, or InvalidRegister naming each bad row by its number and column."""
    numbers, rows = rows_of(content, filename)
    try:
        return load_register({"branches": rows})
    except InvalidRegister as err:
        errors = [_located(e, numbers) for e in err.errors]
        bad = len({e["row"] for e in errors if e.get("row")})
        raise InvalidRegister(f"党组织名单中有 {bad} 行有错误（共 {len(errors)} 处），什么也没有导入；"
                              "请按错误列表逐行修改后重新导入", errors) from None


def _located(error: dict, numbers: list[int]) -> dict:
    """An error at branches[i].field as the district reads it: 第5行「联系电话」：…"""
    match = _PATH.match(error.get("path") or "")
    if not match:
        return {**error, "row": None, "column": None}
    row = numbers[int(match.group(1))]
    field = match.group(2)
    column = reg.LABELS.get(field) if field else None
    where = f"第{row}行" + (f"「{column}」" if column else "")
    return {"path": error["path"], "row": row, "column": column, "message": f"{where}：{error['message']}"}
