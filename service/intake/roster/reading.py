"""A roster file read for a branch: the file parsed once, the columns detected, and the mapping to use
— the caller's, else the one confirmed last time for the same headers, else detection's own.

`recall(key)` is how the caller looks up a remembered mapping (the store does it; no database here):
it answers the kept [[header, field], …] and what to say of it ({"scope", "confirmed_at"}), or None.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from . import read_roster
from .confirmed import as_remembered, overrides, recalled
from .memory import mapping_key
from .samples import SENSITIVE, column_samples
from .sheets import Sheet
from .spreadsheet import SpreadsheetReader

Recall = Callable[[str], Optional[tuple[list, dict]]]


class _Parsed:
    """The Reader seam holding sheets already read: the file is parsed once however often it is mapped."""

    def __init__(self, sheets: list[Sheet]):
        self.sheets = sheets

    def read(self, content: bytes, filename: str = "") -> list[Sheet]:
        return self.sheets


@dataclass
class RosterReading:
    answer: dict  # read_roster's answer, with "mapping_source" and "remembered"
    detected: list[dict]  # the columns as labels and values alone map them
    key: str  # mapping_key of the headers
    sheets: list[Sheet] = field(repr=False)

    @property
    def sheet(self) -> Sheet:
        return next(s for s in self.sheets if s.name == self.answer["sheet"])

    def sheet_names(self) -> list[str]:
        """The sheets that hold anything, for the page's choice of sheet."""
        return [s.name for s in self.sheets if not s.is_empty()]

    def samples(self, chosen: dict[str, str | None] | None = None) -> dict[str, list[str]]:
        """The first values of each column, masked where the column is or is taken for ID number or phone."""
        fields = [{c["column"]: c["field"] for c in self.detected}, {c["column"]: c["field"] for c in self.answer["columns"]},
                  chosen or {}]
        sensitive = {letter for mapping in fields for letter, f in mapping.items() if f in SENSITIVE}
        return column_samples(self.sheet, sensitive)


def read_for_branch(content: bytes, filename: str, mapping: dict | None = None, sheet: str | None = None,
                    recall: Recall | None = None, confirmed: dict | None = None) -> RosterReading:
    """The roster read with the caller's mapping (`mapping`: some columns, as the API takes it;
    `confirmed`: every column, as the page's table sends it), or the remembered one, or detection's
    alone (BadRoster as read_roster)."""
    parsed = _Parsed(SpreadsheetReader().read(content, filename))
    detected = read_roster(content, filename, sheet=sheet, reader=parsed)
    key = mapping_key(c["header"] for c in detected["columns"])
    answer, source, about = detected, "detected", None
    if confirmed is not None:
        mapping = overrides(detected["columns"], confirmed)
    if mapping is not None:
        answer, source = read_roster(content, filename, mapping=mapping, sheet=sheet, reader=parsed), "given"
    elif recall is not None and (found := recall(key)) is not None:
        letters = recalled(detected["columns"], found[0])
        if letters is not None:
            changed = overrides(detected["columns"], letters)
            answer = read_roster(content, filename, mapping=changed, sheet=sheet, reader=parsed) if changed \
                else _copy(detected)
            as_remembered(answer["columns"], set(changed))
            source, about = "remembered", {**found[1], "columns": sorted(changed, key=lambda c: (len(c), c))}
    answer = {**answer, "mapping_source": source, "remembered": about}
    return RosterReading(answer, detected["columns"], key, parsed.sheets)


def _copy(answer: dict) -> dict:
    return {**answer, "columns": [dict(c) for c in answer["columns"]]}
