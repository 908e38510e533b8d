"""What the clerk's mapping table shows of each column: its first few values, as the file holds them.

A column that holds (or is taken to hold) ID numbers or phones shows them masked; any other value
that looks like one (an ID typed into 备注) is masked too. Nothing here is a member's whole number.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from service.domain import disclosure, idcard

from .header import find_header
from .rows import data_rows
from .sheets import Sheet, Value, letter

SHOWN = 3
_NUMBER = re.compile(r"[+\d\s().\-Xx]+")  # a value that is a number and nothing else
SENSITIVE = frozenset({"id_number", "phone"})


def column_samples(sheet: Sheet, sensitive: set[str], count: int = SHOWN) -> dict[str, list[str]]:
    """{column letter: the first `count` filled values below the header, as text}; `sensitive`: the
    letters whose values are all masked (their column is mapped, or detected, as ID number or phone)."""
    header = find_header(sheet)
    if header is None:
        return {}
    rows = data_rows(sheet, header)
    out = {}
    for column in header.columns:
        code = letter(column.column)
        values = []
        for row in rows:
            value = sheet.value(row, column.column)
            if value is not None and str(value).strip():
                values.append(shown(value, code in sensitive))
                if len(values) == count:
                    break
        out[code] = values
    return out


def shown(value: Value, sensitive: bool) -> str:
    """The value as a clerk reads it in the sheet, masked where it is or may be personal."""
    text = _text(value)
    if sensitive or (_NUMBER.fullmatch(text) and disclosure.find(text)):
        return masked(text)
    return disclosure.redact(text)  # a number inside other text: its digits go


def masked(text: str) -> str:
    """An ID number as the district's lists show it; anything else: its first 3 and last 4 characters."""
    plain = "".join(text.split())
    if len(plain) == 18:
        return idcard.mask(plain)
    if len(plain) >= 9:
        return plain[:3] + "*" * (len(plain) - 7) + plain[-4:]
    return "*" * len(plain)


def _text(value: Value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes") if value.time() != datetime.min.time() \
            else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())
