"""Page breaks for a long filled sheet, so its closing rows never print alone on a last page.

A spreadsheet cannot keep rows together: with 150 branch rows, 合计, the note and the signature
line may fall onto a page of their own under the repeated headers, far from the rows they add up.
keep_end_with_rows sets manual row breaks where the sheet would break anyway, page by page, from
the heights the filler gave its rows and the scale it prints at when fitted to one page wide, and
moves the last break up when the last page would hold no record. The scale taken is the larger
of Excel's and LibreOffice's (Excel's column unit is narrower, so it prints larger and fits fewer
rows), with a little to spare, so that no suite needs a break of its own between two of ours.
"""
from __future__ import annotations

import math
import re

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break, RowBreak

A4 = (595.3, 841.9)  # pt, portrait
UNITS_PT = (5.5, 5.25)  # a column-width unit in LibreOffice and in Excel (仿宋 11 default font)
DEFAULT_ROW_PT = 15.0
SPARE = 0.97  # of a page's height, for the rounding of row heights by each suite
# How LibreOffice itself pages a sheet fitted to one page wide, for counting its pages (not for
# placing breaks): its column unit, and how much more than the page's body (at its scale) a page
# takes. Fitted on LibreOffice 7.4 against 附件4–9 of nine branches (the sample, the stress branch,
# 25–250 members): every table's page count right, with a margin on both sides of both values.
LO_UNIT_PT = 5.56
LO_FILL = 1.02


def print_scale(ws) -> float:
    """The larger of the scales Excel and LibreOffice print the sheet at, fitted to one page wide."""
    widths = sum(_width(ws, c) for c in range(1, ws.max_column + 1))
    margins = ws.page_margins
    room = _paper(ws)[0] - (margins.left + margins.right) * 72
    return min(1.0, max(math.floor(room / (widths * unit) * 100) / 100 for unit in UNITS_PT))


def page_room(ws) -> float:
    """Sheet points one printed page holds (its body, at the print scale)."""
    margins = ws.page_margins
    return (_paper(ws)[1] - (margins.top + margins.bottom) * 72) / print_scale(ws) * SPARE


def keep_end_with_rows(ws, records: range) -> None:
    """Manual row breaks: pages filled row by row; the rows after `records` (合计, notes, signatures)
    share the last page with at least the last record."""
    if not records:
        return
    breaks = natural_breaks(ws)
    last = records.stop - 1
    if breaks and breaks[-1] >= last:  # the closing rows would start a page, or be split
        breaks = [b for b in breaks if b < last - 1]
        if last > records.start:
            breaks.append(last - 1)  # the last record goes over with them
    ws.row_breaks = RowBreak()
    for row in breaks:
        ws.row_breaks.append(Break(id=row))


def natural_breaks(ws) -> list[int]:
    """The rows after which pages end when each page takes rows while they fit (print titles
    repeated from page 2 on)."""
    room, titles = page_room(ws), _title_rows(ws)
    repeated = sum(_height(ws, r) for r in titles)
    breaks, used = [], 0.0
    for row in range(1, ws.max_row + 1):
        height = _height(ws, row)
        if used + height > room and used > repeated and row > 1:
            breaks.append(row - 1)  # the page ends after the row above
            used = repeated if titles and row > titles.stop - 1 else 0.0
        used += height
    return breaks


def libreoffice_pages(ws) -> int:
    """How many pages LibreOffice prints the sheet on, estimated from its row heights: each page
    takes rows while they fit, and a manual break ends it; the print titles repeated from page 2 on."""
    margins = ws.page_margins
    paper = _paper(ws)
    widths = sum(_width(ws, c) for c in range(1, ws.max_column + 1))
    scale = min(1.0, (paper[0] - (margins.left + margins.right) * 72) / (widths * LO_UNIT_PT))
    room = (paper[1] - (margins.top + margins.bottom) * 72) / scale * LO_FILL
    titles = _title_rows(ws)
    repeated = sum(_height(ws, r) for r in titles)
    manual = {brk.id for brk in ws.row_breaks.brk}
    pages, used = 1, 0.0
    for row in range(1, ws.max_row + 1):
        height = _height(ws, row)
        if used + height > room and used > repeated or row - 1 in manual:
            pages, used = pages + 1, repeated
        used += height
    return pages


def _title_rows(ws) -> range:
    """The rows printed at the top of every page (print titles), as a range; empty when none."""
    found = re.fullmatch(r"\$?(\d+):\$?(\d+)", ws.print_title_rows or "")
    return range(int(found[1]), int(found[2]) + 1) if found else range(0)


def _paper(ws) -> tuple[float, float]:
    """(width, height) in pt of the printed page: A4, turned when landscape."""
    short, long = A4
    return (long, short) if ws.page_setup.orientation == "landscape" else (short, long)


def _height(ws, row: int) -> float:
    dim = ws.row_dimensions.get(row)
    return float(dim.height) if dim is not None and dim.height else DEFAULT_ROW_PT


def _width(ws, col: int) -> float:
    dim = ws.column_dimensions.get(get_column_letter(col))
    return float(dim.width) if dim is not None and dim.width else 8.43
