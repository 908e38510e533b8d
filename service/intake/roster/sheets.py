"""The roster Reader seam: a file in, sheets of cells out, whatever the file format.

A cell is its plain value, and the value's type is its kind: text (str), number (int or float; an
ID number typed as a number arrives as one, its last digits already lost), Excel date (date) or date
with time (datetime), bool, or empty (None). Merged ranges come along where the format keeps them
(xlsx, xls), because two-row headers are built from them; rows and columns count from 1, as in Excel.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from openpyxl.utils import get_column_letter

Value = str | int | float | bool | date | datetime | None
Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (1-based, inclusive)


def kind(value: Value) -> str:
    """text, number, date, datetime, bool or empty."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    return "text"


def letter(column: int) -> str:
    """A column's letters as Excel shows them (1 → A, 28 → AB), for problem cells."""
    return get_column_letter(column)


@dataclass
class Sheet:
    """One sheet: `rows[0]` is row 1, `rows[r][0]` column A; rows may be shorter than others."""

    name: str
    rows: list[list[Value]]
    merged: tuple[Merge, ...] = ()
    _owner: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        for first_row, first_col, last_row, last_col in self.merged:
            for r in range(first_row, last_row + 1):
                for c in range(first_col, last_col + 1):
                    self._owner[(r, c)] = (first_row, first_col)

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    def value(self, row: int, column: int) -> Value:
        """The cell's own value (None outside the sheet or under a merge)."""
        if row < 1 or column < 1 or row > len(self.rows):
            return None
        cells = self.rows[row - 1]
        return cells[column - 1] if column <= len(cells) else None

    def shown(self, row: int, column: int) -> Value:
        """What the cell shows: a merged range shows its first cell's value everywhere."""
        return self.value(*self._owner.get((row, column), (row, column)))

    def is_empty(self) -> bool:
        return not any(value is not None for row in self.rows for value in row)


class Reader(Protocol):
    """Reads any roster file into its sheets (BadRoster when it cannot)."""

    def read(self, content: bytes, filename: str = "") -> list[Sheet]: ...
