"""Where a roster's header is: below its title rows, on one row or two.

The header row is the row among the first ones with the most cells that read as column labels
(labels.py), at least two of them a member field's. A second header row is the one below (or above)
when merged cells join the two: a label spanning both rows (姓名 over rows 3–4), or a group label
spanning sub-labels (联系电话 over 手机号 and 固定电话). A CSV keeps no merges: there a row right
under the header made only of labels, with fewer cells, is its second row. Each column's header is
its texts top to bottom, joined by / (「联系电话/手机号」); the sub-label decides its field.
"""
from __future__ import annotations

from dataclasses import dataclass

from service.errors import BadRoster

from .labels import is_field_label, is_label
from .normalise import hide_numbers
from .sheets import Sheet, kind, letter

SCAN_ROWS = 30
MIN_FIELD_LABELS = 2


@dataclass(frozen=True)
class HeaderColumn:
    column: int  # 1-based
    parts: tuple[str, ...]  # the header's texts, top row first

    @property
    def letter(self) -> str:
        return letter(self.column)

    @property
    def text(self) -> str:
        return "/".join(self.parts)


@dataclass(frozen=True)
class Header:
    rows: tuple[int, ...]  # 1-based
    columns: tuple[HeaderColumn, ...]

    @property
    def first_data_row(self) -> int:
        return self.rows[-1] + 1


def _text(value) -> str | None:
    if kind(value) != "text":
        return None
    text = " ".join(str(value).split())
    return text or None


def _scores(sheet: Sheet, row: int) -> tuple[int, int]:
    """(cells proposing a member field, cells that are any known label) of one row."""
    texts = [_text(v) for v in (sheet.rows[row - 1] if row <= len(sheet.rows) else [])]
    texts = [t for t in texts if t]
    return sum(map(is_field_label, texts)), sum(map(is_label, texts))


def find_header(sheet: Sheet) -> Header | None:
    """The sheet's header, or None when no row among the first ones looks like one."""
    best, best_score = None, (0, 0)
    for row in range(1, min(len(sheet.rows), SCAN_ROWS) + 1):
        score = _scores(sheet, row)
        if score[0] >= MIN_FIELD_LABELS and score > best_score:
            best, best_score = row, score
    if best is None:
        return None
    rows = _header_rows(sheet, best)
    return Header(rows, _columns(sheet, rows))


def _header_rows(sheet: Sheet, row: int) -> tuple[int, ...]:
    if row > 1 and _joined(sheet, row - 1, row):
        return (row - 1, row)
    if row < len(sheet.rows) and (_joined(sheet, row, row + 1) or _grouped(sheet, row, row + 1)
                                  or _sub_labels(sheet, row, row + 1)):
        return (row, row + 1)
    return (row,)


def _joined(sheet: Sheet, top: int, below: int) -> bool:
    """A label merged down over both rows."""
    return any(m[0] == top and m[2] >= below for m in sheet.merged)


def _grouped(sheet: Sheet, top: int, below: int) -> bool:
    """A label merged across columns, with labels under it."""
    return any(m[0] == m[2] == top and m[3] > m[1]
               and any(is_label(_text(sheet.value(below, c))) for c in range(m[1], m[3] + 1))
               for m in sheet.merged)


def _sub_labels(sheet: Sheet, top: int, below: int) -> bool:
    """Without merges (CSV, ODS): a sparser row of labels only, right under the header."""
    if sheet.merged:
        return False
    cells = [v for v in sheet.rows[below - 1] if v is not None]
    above = [v for v in sheet.rows[top - 1] if v is not None]
    return (bool(cells) and len(cells) < len(above)
            and all(is_label(_text(v), exact=True) for v in cells))


def _columns(sheet: Sheet, rows: tuple[int, ...]) -> tuple[HeaderColumn, ...]:
    out = []
    group = None  # a CSV's group label stretches over the sub-labels to its right
    for column in range(1, sheet.width + 1):
        parts = []
        for row in rows:
            text = _text(sheet.shown(row, column))
            if text and text not in parts:
                parts.append(text)
        if len(rows) == 2 and not sheet.merged:
            top, sub = _text(sheet.value(rows[0], column)), _text(sheet.value(rows[1], column))
            group = top if top and sub else (group if sub and not top else None)
            if group and sub and not top:
                parts = [group, sub]
        if parts or _has_data(sheet, rows[-1] + 1, column):
            out.append(HeaderColumn(column, tuple(parts)))
    return tuple(out)


def _has_data(sheet: Sheet, first_row: int, column: int) -> bool:
    return any(sheet.value(row, column) is not None for row in range(first_row, len(sheet.rows) + 1))


def found_text(sheet: Sheet, limit: int = 3) -> str:
    """The first rows' text, for a message saying what was found instead of a header; ID numbers
    and phones are hidden."""
    lines = []
    for row in sheet.rows:
        texts = [str(v).strip() for v in row if v is not None and str(v).strip()][:6]
        if texts:
            shown = "、".join(f"「{hide_numbers(t)[:20]}」" for t in texts)
            lines.append(shown)
        if len(lines) == limit:
            break
    return "；".join(lines)


def no_header(sheet: Sheet) -> BadRoster:
    return BadRoster(
        f"工作表「{sheet.name}」中没有找到表头：前几行是 {found_text(sheet)}。"
        "表头应有「姓名」「公民身份号码」「性别」「入党时间」等列名，请检查是否选错了文件或工作表")
