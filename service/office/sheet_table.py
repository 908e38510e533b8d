"""A filled sheet's table as the width plan (column_widths.py) sees it: the record rows' values,
type and alignment per column, what its header needs, the room a row has on an A4 page at the
sheet's print scale; and the plan's widths set back on the sheet.
"""
from __future__ import annotations

import math
import re

from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter

from . import cell_text, column_widths
from .column_widths import Column, Table

A4_PT = (595.28, 841.89)
LO_UNIT_PT = cell_text.LO_UNIT_PT  # what LibreOffice fits the sheet's width with
ORG_LINE_PT = 16  # a long 党组织名称 may take a second line above the table once it is filled


def fit_widths(ws, rep: int, rows: list[tuple], base: float | None) -> None:
    """Set the widths of the table whose records are `rows` (cells of rows rep…) when a plan pays."""
    header = _header_rows(ws, rep)
    if not rows or header is None or any(d.min != d.max for d in ws.column_dimensions.values() if d.min):
        return
    spanned = {c for r in ws.merged_cells.ranges if r.max_col > r.min_col  # a grouped header or a merged cell
               and (r.min_row <= rep <= r.max_row or (header[0] <= r.max_row and r.min_row <= header[1]))
               for c in range(r.min_col, r.max_col + 1)}
    columns = [_column(ws, col, rows, header, col in spanned) for col in range(1, len(rows[0]) + 1)]
    rooms = _rooms(ws, rep, header, len(rows), sum(c.width for c in columns))
    widths = column_widths.plan(Table(columns, base or 15, rooms))
    if widths is None:
        return
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _rooms(ws, rep: int, header: tuple[int, int], count: int, units: float) -> list[float] | None:
    """The height (pt, as the sheet sets it) each record row may take: the first shares page 1 with
    the title and the header, the others a page with the repeated header. None unless the sheet is
    A4 fitted to the page width (the scale is LibreOffice's, in whole percents)."""
    setup = ws.page_setup
    if int(setup.paperSize or 9) != 9 or not (ws.sheet_properties.pageSetUpPr and
                                              ws.sheet_properties.pageSetUpPr.fitToPage):
        return None
    short, long = A4_PT
    width, height = (long, short) if setup.orientation == "landscape" else (short, long)
    m = ws.page_margins
    scale = min(1.0, math.floor((width - (m.left + m.right) * 72) / (units * LO_UNIT_PT) * 100) / 100)
    page = (height - (m.top + m.bottom) * 72) / scale

    def tall(first: int, last: int) -> float:
        return sum(ws.row_dimensions[r].height or 15 for r in range(first, last + 1))

    later = page - tall(*header)
    return [page - tall(1, rep - 1) - ORG_LINE_PT] + [later] * (count - 1)


def _header_rows(ws, rep: int) -> tuple[int, int] | None:
    """The print title rows (the header repeated on every page) above the record row."""
    found = re.fullmatch(r"\$?(\d+):\$?(\d+)", ws.print_title_rows or "")
    if not found:
        return None
    first, last = int(found.group(1)), int(found.group(2))
    return (first, last) if last < rep else None


def _column(ws, col: int, rows: list[tuple], header: tuple[int, int], spanned: bool) -> Column:
    """A column of the sheet as the plan sees it."""
    cell = rows[0][col - 1]
    dim = ws.column_dimensions.get(get_column_letter(col))
    width = dim.width if dim is not None and dim.width else 8.43
    size = float(cell.font.sz or 11)
    cells = [r[col - 1] for r in rows]
    fixed = (spanned or isinstance(cell, MergedCell) or not cell.alignment.wrap_text
             or any(not isinstance(c.value, (str, type(None))) for c in cells))  # a figure keeps its width
    values = tuple(c.value if isinstance(c.value, str) else "" for c in cells)
    floor, stacks = 0.0, False
    for r in range(header[0], header[1] + 1):
        head = ws.cell(row=r, column=col)
        if isinstance(head.value, str) and head.value:
            em = max(sum(cell_text.char_em(ch) for ch in line) for line in head.value.split("\n"))
            floor = max(floor, cell_text.column_units(em * float(head.font.sz or 11) / size, size))
            stacks = stacks or "\n" in head.value.strip()
    return Column(width, size, float(cell.alignment.indent or 0), floor, values, fixed, stacks)
