"""Which rows below a roster's header can hold members, before any column is mapped.

Not members: empty rows, a row numbering the columns (1 2 3 … or (1) (2) (3) …), the header
repeated on a later page, and trailing totals and notes (合计, 填表人, 注： …). The mapping confirms
columns by these rows' values only, so a note under the table cannot outvote the names above it.
"""
from __future__ import annotations

import re

from .header import Header
from .sheets import Sheet

_NOTE = re.compile(r"^\s*(合\s*计|总\s*计|小\s*计|共\s*计|填表人|制表人|填报人|审核人|负责人|填表说明|填报说明|"
                   r"填表日期|填报日期|制表日期|说明\s*[:：]|注\s*[:：]|备注\s*[:：]|联系人\s*[:：]|单位\s*[（(]?盖章)")
_COUNTER = re.compile(r"^[(（]?(\d{1,2})[)）]?$")


def data_rows(sheet: Sheet, header: Header) -> list[int]:
    """The 1-based rows below the header that are neither blank, numbering, a repeated header nor a note."""
    labels = {c.column: c.parts[-1] for c in header.columns if c.parts}
    return [row for row in range(header.first_data_row, len(sheet.rows) + 1)
            if not _not_a_member(sheet.rows[row - 1], labels)]


def _not_a_member(cells: list, labels: dict[int, str]) -> bool:
    """`labels`: the header's texts by column, repeated as they are on a later page."""
    filled = [(i + 1, v) for i, v in enumerate(cells) if v is not None]
    if not filled:
        return True
    first_text = next((v for _, v in filled if isinstance(v, str)), "")
    if _NOTE.match(first_text):
        return True
    repeated = sum(1 for c, v in filled if isinstance(v, str) and labels.get(c) == " ".join(v.split()))
    return repeated >= 2 or _numbering(filled)


def _numbering(filled: list) -> bool:
    """1 2 3 … across the row: the columns' numbers under a printed form's header."""
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
