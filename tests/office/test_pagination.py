"""Manual page breaks of a long filled sheet: pages that fit, headers counted, 合计 never alone."""
from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from service.domain import district, figures
from service.domain.district import BranchFigures
from service.office import pagination, spreadsheet

TEMPLATE = "campaign_summary_district.xlsx"


def filled(count: int, name: str = "星河实验小学党支部"):
    """The district 附件9 with `count` rows, paginated; (sheet as saved, the records' rows)."""
    figs = {"outgoing_summary": dict.fromkeys(figures.OUTGOING_LABELS, 1),
            "campaign_summary": dict.fromkeys(figures.CAMPAIGN_LABELS, 1)}
    rows = [BranchFigures(f"WJ{i:03d}", name, 1, figs, date(2023, 6, 30)) for i in range(count)]
    ctx = district.table_context("campaign_summary", rows, 0, date(2023, 7, 12))
    seen = {}

    def finish(ws, records):
        pagination.keep_end_with_rows(ws, records)
        seen["records"] = records

    data = spreadsheet.render_xlsx(TEMPLATE, ctx, finish)
    return openpyxl.load_workbook(io.BytesIO(data)).active, seen["records"]


def pages(ws) -> list[range]:
    ends = [b.id for b in ws.row_breaks.brk] + [ws.max_row]
    starts = [1] + [end + 1 for end in ends[:-1]]
    return [range(s, e + 1) for s, e in zip(starts, ends)]


def height(ws, row) -> float:
    return ws.row_dimensions[row].height or 15


@pytest.mark.parametrize("count", [1, 12, 40, 150])
def test_every_page_fits_with_its_repeated_header(count):
    ws, records = filled(count)
    room = pagination.page_room(ws)
    titles = sum(height(ws, r) for r in range(4, 7))
    assert ws.print_title_rows == "$4:$6" and records == range(7, 7 + count)
    for n, page in enumerate(pages(ws)):
        used = sum(height(ws, r) for r in page) + (titles if n else 0)
        assert used <= room + 0.01, (count, n)
        assert n == 0 or page.start in records  # a page starts with a record, never inside the closing rows
    assert (len(pages(ws)) == 1) == (count == 1)
    assert len(pages(ws)) >= count // 11


def test_the_total_is_never_alone_on_the_last_page():
    carried = 0
    for count in range(8, 60):
        ws, records = filled(count)
        last = records.stop - 1
        assert last in pages(ws)[-1], count  # the last record prints with 合计
        assert ws.cell(row=records.stop, column=1).value == "合计"
        natural = pagination.natural_breaks(ws)
        carried += bool(natural) and natural[-1] >= last  # pages as they fall would have left 合计 alone
    assert carried > 0


def test_the_scale_is_the_larger_of_the_two_suites():
    ws, _ = filled(3)
    widths = sum(ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width for c in range(1, ws.max_column + 1))
    room = 841.9 - (ws.page_margins.left + ws.page_margins.right) * 72
    assert pagination.print_scale(ws) == int(room / (widths * 5.25) * 100) / 100 < 1
