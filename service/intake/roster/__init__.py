"""Rosters from the spreadsheets schools already have, read onto the contract's member fields.

`read_roster(content, filename, mapping, sheet)` answers {"sheet", "header_rows", "columns",
"members", "problems"}: the file is read through a Reader (sheets.py; any format, told by content),
the header found below any title rows (header.py), each column mapped by its label and confirmed by
its values (columns.py), and each row read onto the contract's values (normalise.py), every problem
at its cell. `merge_roster` lays the members over a branch's data (merge.py); `mapping_key`
fingerprints the headers to remember a confirmed mapping (memory.py). No Flask here.
"""
from __future__ import annotations

from service.errors import BadRoster

from .columns import map_columns
from .header import Header, find_header, no_header
from .labels import fold
from .members import read_members
from .memory import mapping_key
from .merge import merge_roster
from .normalise import Memo
from .rows import data_rows
from .sheets import Reader, Sheet
from .spreadsheet import SpreadsheetReader

__all__ = ["read_roster", "merge_roster", "mapping_key", "Reader", "Sheet", "SpreadsheetReader"]


def read_roster(content: bytes, filename: str = "", mapping: dict | None = None, sheet: str | None = None,
                reader: Reader | None = None) -> dict:
    """The roster's members in the contract's values, with the mapping used and every cell problem;
    BadRoster when the file cannot be read as a roster at all."""
    sheets = (reader or SpreadsheetReader()).read(content, filename)
    chosen, header = _choose(sheets, sheet)
    rows, memo = data_rows(chosen, header), Memo()
    columns = map_columns(chosen, header, rows, memo, mapping)
    members, problems = read_members(chosen, rows, columns, memo)
    return {"sheet": chosen.name, "header_rows": list(header.rows), "columns": [c.as_dict() for c in columns],
            "members": members, "problems": problems}


def _choose(sheets: list[Sheet], name: str | None) -> tuple[Sheet, Header]:
    """The named sheet, or the first with a recognisable header."""
    if name is not None:
        found = next((s for s in sheets if s.name == name), None) or next(
            (s for s in sheets if fold(s.name) == fold(name)), None)
        if found is None:
            raise BadRoster(f"工作簿中没有名为「{name}」的工作表；工作表有：{_names(sheets)}")
        return found, _header_of(found)
    filled = [s for s in sheets if not s.is_empty()]
    if not filled:
        raise BadRoster(f"工作表「{sheets[0].name}」是空的，没有任何内容" if len(sheets) == 1
                        else f"工作簿的 {len(sheets)} 个工作表（{_names(sheets)}）都是空的")
    for candidate in filled:
        header = find_header(candidate)
        if header is not None:
            return candidate, _check_rows(candidate, header)
    error = no_header(filled[0])
    if len(filled) > 1:
        error.message += f"（其他工作表 {_names(filled[1:])} 中也没有表头）"
        error.args = (error.message,)
    raise error


def _header_of(sheet: Sheet) -> Header:
    if sheet.is_empty():
        raise BadRoster(f"工作表「{sheet.name}」是空的，没有任何内容")
    header = find_header(sheet)
    if header is None:
        raise no_header(sheet)
    return _check_rows(sheet, header)


def _check_rows(sheet: Sheet, header: Header) -> Header:
    """A header with nothing below it is an empty roster."""
    below = sheet.rows[header.first_data_row - 1:]
    if not any(v is not None for row in below for v in row):
        raise BadRoster(f"工作表「{sheet.name}」只有表头（第{'、'.join(map(str, header.rows))}行），下面没有党员的数据")
    return header


def _names(sheets: list[Sheet]) -> str:
    return "、".join(f"「{s.name}」" for s in sheets)
