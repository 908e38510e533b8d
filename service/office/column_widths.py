"""Column widths that follow the records: when long texts make the rows of a table tall, the short
columns stack their values in two lines (正式/党员, 在岗教/职工) and the long texts (备注, 工作岗位,
查找方式及情况…) share the width where it shortens the rows most.

The template's widths suit typical records and are kept unless the other split prints the rows
clearly shorter (GAIN); the table's total width, and so its print scale and type size, never
changes. The template says which short columns may stack: those whose header is stacked
(党员\\n类别, 失去\\n联系\\n时间); 姓名 or 学历 keep their width, and only free text (left-aligned)
gives width to other free text. A stacking column never gets narrower
than its header's widest line, than a date or a number it holds (those never break), or than two
lines of each of its values (three characters or less: one line). No row gets taller than a page,
and the first one fits on page 1 under the title, so no page is headers alone.

This module plans on plain values; sheet_table.py reads a filled sheet into a Table and sets the
widths it returns.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from . import cell_text

GAIN = 0.95  # the other split is taken when its rows are at most 95 % as tall as the template's
STEP_EM = 0.5  # width is handed out half a character at a time
LONG_EM = 3  # a column of free text never gets narrower than three characters
LOOK_AHEAD = 12  # steps looked ahead for the width where a text loses a line
OVER_PAGE = 50  # what a point of row beyond the page's room costs against a point of height
TIDY = 0.02  # what a point of wrapped text costs: between equally tall rows, fewer lines win


@dataclass
class Column:
    """One column of a table as the plan sees it: its width (units), its data cells' type and values."""

    width: float
    size: float = 12.0
    indent: float = 0.0
    floor: float = 0.0  # the width its header needs (units)
    values: tuple[str, ...] = ()
    fixed: bool = False  # merged, not wrapping, or a figure: keeps its width
    stacks: bool = False  # its header is in lines (党员\n类别): its values may be too
    _lines: dict = field(default_factory=dict, repr=False)
    _heights: dict = field(default_factory=dict, repr=False)
    _widest: float | None = field(default=None, repr=False)

    def lines(self, width: float) -> list[int]:
        """Printed lines of each value at `width` (cached: the plan asks for the same widths often)."""
        key = round(width, 2)
        if key not in self._lines:  # each distinct value counted once (a column of 是/否, —)
            count = {v: cell_text.lines(v, width, self.size, self.indent) if v else 1 for v in set(self.values)}
            self._lines[key] = [count[v] for v in self.values]
        return self._lines[key]

    def heights(self, width: float, base: float) -> list[float]:
        key = (round(width, 2), base)
        if key not in self._heights:
            self._heights[key] = [cell_text.wrapped_height(n, self.size) if n > 1 else base for n in self.lines(width)]
        return self._heights[key]

    def text(self, width: float) -> float:
        """The height of all its values' lines at `width` (pt)."""
        return sum(self.lines(width)) * self.size * cell_text.LINE_EM

    def step(self) -> float:
        return STEP_EM * self.size / cell_text.EXCEL_UNIT_PT

    def narrowest(self) -> float:
        """A stacking column's narrowest width: every value whole and in two lines (or the lines it
        takes in the template's width), no character alone on its last line (在岗教职/工); a value of
        three characters or less stays on one line."""
        if self.fixed or not self.stacks:
            return self.width
        limit = [n if len(v) <= 3 else max(2, n) for v, n in zip(self.values, self.lines(self.width))]
        em = 1.0
        while (width := cell_text.column_units(em, self.size, self.indent > 0)) < self.width:
            if (self._whole(width) and all(n <= m for n, m in zip(self.lines(width), limit))
                    and not any(cell_text.widowed(v, width, self.size, self.indent) for v in self.values)):
                return width
            em += STEP_EM
        return self.width

    def least(self) -> float:
        """Where a long column starts when the room is shared. Free text (left-aligned: 备注, 去向)
        from LONG_EM, its header and its widest date or number; a centred column (姓名,
        流入地党组织) never gets narrower than it would stacking."""
        if self.indent <= 0:
            return self.narrowest()
        return min(self.width, max(self.floor, cell_text.column_units(max(LONG_EM, self.widest()), self.size, True)))

    def widest(self) -> float:
        """Its widest date, number or word (em): never broken."""
        if self._widest is None:
            self._widest = max((cell_text.widest_piece(v) for v in set(self.values)), default=0.0)
        return self._widest

    def _whole(self, width: float) -> bool:
        return width >= self.floor and cell_text.line_room(width, self.size, self.indent) >= self.widest()


@dataclass
class Table:
    """The records' columns, the height of a one-line row, and the room a row has on a page."""

    columns: list[Column]
    base: float = 15.0
    rooms: list[float] | None = None  # per row (pt); None: no page limit known

    def rows(self, widths: list[float], skip: tuple[int, ...] = ()) -> list[float]:
        """Each row as tall as its tallest cell (pt), leaving out the columns `skip`."""
        out = [self.base] * len(self.columns[0].values)
        for i, (column, width) in enumerate(zip(self.columns, widths)):
            if i not in skip:
                out = [max(a, b) for a, b in zip(out, column.heights(width, self.base))]
        return out

    def height(self, widths: list[float]) -> float:
        return sum(self.rows(widths))

    def cost(self, widths: list[float], rest: list[float] | None = None, moved: tuple[int, ...] = ()) -> float:
        """What the plan minimises: the rows' height, rows over a page's room many times over, and
        (a little) the lines of text, so that between equally tall rows the texts wrap less.
        `rest`: the rows without the columns `moved`, when the caller tries several of their widths."""
        rows = self.rows(widths, moved) if rest is None else rest
        for i in moved:
            rows = [max(a, b) for a, b in zip(rows, self.columns[i].heights(widths[i], self.base))]
        return self.cost_of_rows(rows) + TIDY * sum(c.text(w) for c, w in zip(self.columns, widths) if not c.fixed)

    def cost_of_rows(self, rows: list[float]) -> float:
        rooms = self.rooms or [math.inf] * len(rows)
        return sum(h + OVER_PAGE * max(0.0, h - room) for h, room in zip(rows, rooms))


def plan(table: Table) -> list[float] | None:
    """Widths that print the rows clearly shorter than the template's (same total), or None."""
    columns = table.columns
    template = [c.width for c in columns]
    if not columns or not columns[0].values or all(max(c.lines(c.width)) <= 2 for c in columns if not c.fixed):
        return None  # no record wraps beyond two lines: the template's widths are right
    before = table.rows(template)
    if sum(h - table.base for h in before) < (1 - GAIN) * table.cost_of_rows(before):
        return None  # even one-line rows throughout would not gain enough (a few long records)
    widths = [c.narrowest() for c in columns]
    grow = [i for i, c in enumerate(columns) if not c.fixed and max(c.lines(widths[i])) > 2]
    for i in grow:  # the long columns share the room afresh
        widths[i] = columns[i].least()
    spare = sum(template) - sum(widths)
    if not grow or spare <= 0:
        return None
    least = list(widths)
    level = _levelled(table, widths, grow, spare)
    tries = [_trade(table, _hand_out(table, start, grow, sum(template) - sum(start)), least, grow)
             for start in (widths, level)]
    widths = [math.floor(w * 100) / 100 for w in min(tries, key=lambda w: (table.cost(w), w))]
    if table.cost_of_rows(table.rows(widths)) > GAIN * table.cost_of_rows(before):
        return None
    return widths


def _hand_out(table: Table, widths: list[float], grow: list[int], spare: float) -> list[float]:
    """The spare width handed out where it lowers the cost most for the width it takes.

    Each round looks up to LOOK_AHEAD steps ahead in every long column, since a text loses a line
    only at some widths (six search records of four lines each need one more character apiece).
    """
    widths = list(widths)
    while spare > 0.01:
        now, best = table.cost(widths), None  # best: (-(gain per unit), column, width taken)
        for i in grow:
            rest = table.rows(widths, (i,))
            for k in range(1, LOOK_AHEAD + 1):
                take = min(k * table.columns[i].step(), spare)
                gain = now - table.cost(widths[:i] + [widths[i] + take] + widths[i + 1:], rest, (i,))
                if gain > 0 and (best is None or (-gain / take, i, take) < best):
                    best = (-gain / take, i, take)
                if take >= spare:
                    break
        if best is None:  # nothing lowers it any more: the rest goes to the last long column
            best = (0, grow[-1], spare)
        _, i, take = best
        widths[i] += take
        spare -= take
    return widths


def _levelled(table: Table, widths: list[float], grow: list[int], spare: float) -> list[float]:
    """The long columns just wide enough for their texts to take at most L lines, L the fewest the
    spare width allows: where several columns are as tall in the same rows, widening one alone
    shortens nothing, and handing out step by step would not see it."""
    def need(cap: int) -> list[float] | None:
        out = list(widths)
        for i in grow:
            column = table.columns[i]
            lo, hi = 0, int(spare / column.step())
            if max(column.lines(widths[i] + hi * column.step())) > cap:
                return None
            while lo < hi:  # the fewest steps that bring the column to `cap` lines
                mid = (lo + hi) // 2
                lo, hi = (mid + 1, hi) if max(column.lines(widths[i] + mid * column.step())) > cap else (lo, mid)
            out[i] = widths[i] + lo * column.step()
        return out if sum(out) - sum(widths) <= spare else None

    lo, hi = 1, max(max(table.columns[i].lines(widths[i])) for i in grow)
    while lo < hi:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if need(mid) is not None else (mid + 1, hi)
    return need(lo) or list(widths)


def _trade(table: Table, widths: list[float], least: list[float], grow: list[int]) -> list[float]:
    """Width moved from one long column to another while that lowers the cost: handing out can
    give a column width early that another needed to reach the width where it loses a line."""
    widths, now = list(widths), table.cost(widths)
    while True:
        best = None  # (cost, giver, taker, width moved)
        for i in grow:
            for j in (j for j in grow if j != i):
                rest = table.rows(widths, (i, j))
                for k in range(1, LOOK_AHEAD + 1):
                    move = min(k * table.columns[i].step(), widths[i] - least[i])
                    if move <= 0.01:
                        break
                    trial = list(widths)
                    trial[i], trial[j] = trial[i] - move, trial[j] + move
                    cost = table.cost(trial, rest, (i, j))
                    if cost < now - 0.5 and (best is None or (cost, i, j, move) < best):
                        best = (cost, i, j, move)
                    if move < k * table.columns[i].step():
                        break
        if best is None:
            return widths
        now, i, j, move = best
        widths[i], widths[j] = widths[i] - move, widths[j] + move
