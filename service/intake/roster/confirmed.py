"""A confirmed mapping as it is remembered and laid on the next file with the same headers.

It is remembered by header text in column order ([[header, field or None], …], blank headers left
out), as mapping_key fingerprints the headers: the same key means the same texts in the same order,
wherever the table starts, so the mapping goes back onto this file's column letters one for one.
Only the columns where it differs from what the labels and values detect are passed to read_roster
as the caller's mapping; every other column keeps detection's own explanation of why.
"""
from __future__ import annotations

from .labels import FIELD_LABELS
from .memory import header_text

REMEMBERED = "按上次确认的对应关系"
GIVEN = "按指定的对应关系"  # how columns.py explains a column read by the caller's mapping


def remembered(columns: list[dict]) -> list[list]:
    """What is kept of a confirmed mapping: [[header, field or None], …] for each column with a header."""
    return [[header_text(c["header"]), c["field"]] for c in columns if header_text(c["header"])]


def recalled(columns: list[dict], kept: list) -> dict[str, str | None] | None:
    """{column letter: field or None} of a remembered mapping on this file's columns; None when its
    headers are not this file's or it names a field the contract no longer has."""
    headed = [c for c in columns if header_text(c["header"])]
    if not isinstance(kept, list) or len(kept) != len(headed):
        return None
    out = {}
    for column, item in zip(headed, kept):
        if not (isinstance(item, list) and len(item) == 2 and item[0] == header_text(column["header"])):
            return None
        if item[1] is not None and item[1] not in FIELD_LABELS:
            return None
        out[column["column"]] = item[1]
    return out


def overrides(detected: list[dict], wanted: dict[str, str | None]) -> dict[str, str | None]:
    """The part of `wanted` ({letter: field or None}) that detection did not find by itself."""
    found = {c["column"]: c["field"] for c in detected}
    return {letter: field for letter, field in wanted.items() if letter in found and found[letter] != field}


def as_remembered(columns: list[dict], letters: set[str]) -> None:
    """Columns read by a remembered mapping say so, not that the caller gave it."""
    for column in columns:
        if column["column"] in letters and column["why"].startswith(GIVEN):
            column["why"] = REMEMBERED + column["why"][len(GIVEN):]
