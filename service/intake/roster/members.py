"""The roster's rows below the header as members, each problem at its cell.

Not members: empty rows, rows with nothing in the imported columns (a template's pre-numbered
序号), a row numbering the columns (1 2 3 …), the header repeated on a later page, and trailing
totals and notes (合计, 填表人, 注： …). A row with data but neither a name nor an ID number is named
as a problem instead of becoming a nameless member.
"""
from __future__ import annotations

import re

from service.intake.values import CellProblem

from .columns import ColumnMap
from .header import Header
from .labels import FIELD_LABELS, fold
from .normalise import against_id, read
from .sheets import Sheet, letter

_NOTE = re.compile(r"^\s*(合\s*计|总\s*计|小\s*计|共\s*计|填表人|制表人|填报人|审核人|负责人|填表说明|填报说明|"
                   r"填表日期|填报日期|制表日期|说明\s*[:：]|注\s*[:：]|备注\s*[:：]|联系人\s*[:：]|单位\s*[（(]?盖章)")
_COUNTER = re.compile(r"^[(（]?(\d{1,2})[)）]?$")
_ORDER = {field: i for i, field in enumerate(FIELD_LABELS)}


def read_members(sheet: Sheet, header: Header, columns: list[ColumnMap]) -> tuple[list[dict], list[dict]]:
    """([{"row", <fields>}], [{"cell", "message"}]) in row order."""
    mapped = [(m.header.column, m.field) for m in columns if m.field]
    header_texts = {m.header.column: fold(m.header.parts[-1]) for m in columns if m.header.parts}
    members, problems, seen_ids = [], [], {}
    for row in range(header.first_data_row, len(sheet.rows) + 1):
        cells = sheet.rows[row - 1]
        if _not_a_member(cells, header_texts) or all(sheet.value(row, c) is None for c, _ in mapped):
            continue
        member, row_problems = _member(sheet, row, mapped)
        if "name" not in member and "id_number" not in member and not row_problems:
            first = next(c for c, _ in mapped if sheet.value(row, c) is not None)
            problems.append({"cell": f"{letter(first)}{row}", "message": "该行没有姓名和公民身份号码，未作为党员读取"})
            continue
        number = member.get("id_number")
        if number in seen_ids:
            column = next(c for c, f in mapped if f == "id_number")
            row_problems.append((column, f"公民身份号码与第{seen_ids[number]}行重复"))
        elif number:
            seen_ids[number] = row
        problems.extend({"cell": f"{letter(c)}{row}", "message": m} for c, m in sorted(row_problems))
        members.append(member)
    return members, problems


def _member(sheet: Sheet, row: int, mapped) -> tuple[dict, list[tuple[int, str]]]:
    values, problems, where = {}, [], {}
    for column, field in mapped:
        where[field] = column
        try:
            value = read(field, sheet.value(row, column))
        except CellProblem as problem:
            problems.append((column, str(problem)))
            continue
        if value is not None:
            values[field] = value
    for field, message in against_id(values).items():
        problems.append((where[field], message))
    member = {"row": row}
    member.update(sorted(values.items(), key=lambda item: _ORDER[item[0]]))
    return member, problems


def _not_a_member(cells: list, header_texts: dict[int, str]) -> bool:
    filled = [(i + 1, v) for i, v in enumerate(cells) if v is not None]
    if not filled:
        return True
    first_text = next((v for _, v in filled if isinstance(v, str)), "")
    if _NOTE.match(first_text):
        return True
    repeated = sum(1 for c, v in filled if isinstance(v, str) and header_texts.get(c) == fold(v) != "")
    return repeated >= 2 or _numbering(filled)


def _numbering(filled: list) -> bool:
    """1 2 3 … (or (1) (2) (3) …) across the row: the columns' numbers under a printed form's header."""
    numbers = []
    for _, value in filled:
        if isinstance(value, bool):
            return False
        if isinstance(value, (int, float)) and float(value).is_integer():
            numbers.append(int(value))
            continue
        match = _COUNTER.match(str(value).strip())
        if not match:
            return False
        numbers.append(int(match.group(1)))
    return len(numbers) >= 3 and all(b == a + 1 for a, b in zip(numbers, numbers[1:]))
