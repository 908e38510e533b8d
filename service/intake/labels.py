"""A contract path as the people who fill the workbook know it: 「党员名册 · 联系电话」.

The district reads what changed between two versions (service.domain.diff) in the words of the
workbook its branches fill in — sheet and column — rather than in JSON paths; the labels come
from the workbook's own layout (spec.SHEETS), so they cannot drift from it. A path the workbook
has no cell for keeps its JSON form.
"""
from __future__ import annotations

import functools
import re

from .spec import MEMBER_REF, NAME_CHECK, SHEETS

INDEX = re.compile(r"\[(\d+)\]")


@functools.lru_cache(maxsize=1)
def _labels() -> dict[str, str]:
    """{path with every list index as [] : 「sheet · column」}."""
    out = {}
    for sheet in SHEETS:
        for column in sheet.columns:
            if column.path in (MEMBER_REF, NAME_CHECK):
                continue
            path = f"{sheet.base}.{column.path}" if sheet.layout == "table" else column.path
            out.setdefault(path, f"{sheet.name} · {column.header}")
    return out


def label(path: str, member: bool = False) -> str:
    """The sheet and column of a contract path (relative to one member when `member`), with the
    record's number when it is one of several (第2条)."""
    full = f"members[].{path}" if member else path
    numbers = [int(n) + 1 for n in INDEX.findall(full)]
    key = INDEX.sub("[]", full)
    labels = _labels()
    while key not in labels and key.endswith("[]"):  # one line of a multi-line cell
        key = key[:-2]
    if key not in labels:
        return path
    return labels[key] + "".join(f"（第{n}条）" for n in numbers)
