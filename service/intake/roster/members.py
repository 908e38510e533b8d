"""The roster's data rows (rows.py) as members, each problem at its cell.

A row with nothing in the imported columns (a template's pre-numbered 序号) is no member; a row with
data but neither a name nor an ID number is named as a problem instead of becoming a nameless member.
"""
from __future__ import annotations

from service.intake.values import CellProblem

from .columns import ColumnMap
from .labels import FIELD_LABELS
from .normalise import Memo, against_id
from .sheets import Sheet, letter

_ORDER = {field: i for i, field in enumerate(FIELD_LABELS)}


def read_members(sheet: Sheet, rows: list[int], columns: list[ColumnMap], memo: Memo) -> tuple[list[dict], list[dict]]:
    """([{"row", <fields>}], [{"cell", "message"}]) in row order, from the data rows (rows.data_rows)."""
    mapped = [(m.header.column, m.field) for m in columns if m.field]
    members, problems, seen_ids = [], [], {}
    for row in rows:
        if all(sheet.value(row, c) is None for c, _ in mapped):
            continue
        member, row_problems = _member(sheet, row, mapped, memo)
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


def _member(sheet: Sheet, row: int, mapped, memo: Memo) -> tuple[dict, list[tuple[int, str]]]:
    values, problems, where = {}, [], {}
    for column, field in mapped:
        where[field] = column
        try:
            value = memo.read(field, sheet.value(row, column))
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
