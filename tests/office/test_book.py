"""The print packet's workbook: 附件4–9 filled and joined as one workbook, a sheet each, read back.

Every cell of every sheet looks as it does in the table's own workbook (value, font, fill, border,
alignment, number format), and so do the rows, columns, merges, print titles, breaks, orientation
and footer; page numbers restart on each sheet and the footer prints each sheet's own total.
"""
from __future__ import annotations

import io
from copy import copy

import pytest
from openpyxl import load_workbook

from schemas import load_dataset
from service.documents import render
from service.domain import catalog
from service.office import book
from tools.synthetic import synthetic_branch

LOOKS = ("value", "font", "fill", "border", "alignment", "number_format", "protection", "quotePrefix")


def parts(ds):
    return [(render.document(d).template, render.context(ds, render.document(d))) for d in catalog.PRINT_IDS]


@pytest.fixture(scope="module", params=["sample", "synthetic60"])
def ds(request):
    from tests.conftest_pdf import sample_dataset_once

    return sample_dataset_once() if request.param == "sample" else load_dataset(synthetic_branch(60))


def test_each_table_is_a_sheet_that_looks_as_in_its_own_workbook(ds):
    joined = load_workbook(io.BytesIO(book.render_book(parts(ds)).data))
    assert joined.sheetnames == [catalog.DOCUMENTS[d].name for d in catalog.PRINT_IDS]
    for doc_id, ws in zip(catalog.PRINT_IDS, joined.worksheets):
        alone = load_workbook(io.BytesIO(render.render_office(ds, doc_id))).worksheets[0]
        for row in alone.iter_rows():
            for cell in row:
                other = ws[cell.coordinate]
                assert [copy(getattr(cell, a)) for a in LOOKS] == [copy(getattr(other, a)) for a in LOOKS], \
                    (doc_id, cell.coordinate)
        assert {k: d.height for k, d in alone.row_dimensions.items()} == \
               {k: ws.row_dimensions[k].height for k in alone.row_dimensions}
        assert {k: d.width for k, d in alone.column_dimensions.items()} == \
               {k: ws.column_dimensions[k].width for k in alone.column_dimensions}
        assert sorted(map(str, alone.merged_cells.ranges)) == sorted(map(str, ws.merged_cells.ranges))
        assert (alone.print_title_rows, str(alone.print_area)) == (ws.print_title_rows, str(ws.print_area))
        assert [b.id for b in alone.row_breaks.brk] == [b.id for b in ws.row_breaks.brk]
        assert (alone.page_setup.orientation, alone.page_setup.paperSize, alone.sheet_properties.pageSetUpPr.fitToPage) \
            == (ws.page_setup.orientation, ws.page_setup.paperSize, ws.sheet_properties.pageSetUpPr.fitToPage)
        assert ws.oddFooter.right.text == alone.oddFooter.right.text  # the 校验码
        assert ws.page_setup.useFirstPageNumber and ws.page_setup.firstPageNumber == 1
    assert [ws.sheet_view.tabSelected for ws in joined.worksheets] == [True] + [False] * 5


def test_the_footer_prints_each_sheets_own_total(ds):
    joined = book.render_book(parts(ds), [3, 2, 1, 1, 1, 1])
    sheets = load_workbook(io.BytesIO(joined.data)).worksheets
    assert [ws.oddFooter.center.text for ws in sheets] == [
        "第 &P 页，共 3 页", "第 &P 页，共 2 页"] + ["第 &P 页，共 1 页"] * 4
    assert joined.totals == [3, 2, 1, 1, 1, 1] and joined.prints_totals


def test_the_book_names_its_sheets_and_the_workbooks_they_came_from(ds):
    joined = book.render_book(parts(ds))
    assert joined.sheets == [catalog.DOCUMENTS[d].name for d in catalog.PRINT_IDS]  # LibreOffice's bookmarks
    assert joined.titles == [catalog.DOCUMENTS[d].title for d in catalog.PRINT_IDS]  # each table's PDF title


def test_the_same_data_gives_the_same_bytes(ds):
    assert book.render_book(parts(ds)).data == book.render_book(parts(ds)).data


def test_the_page_estimate_counts_a_manual_break(ds):
    from openpyxl.worksheet.pagebreak import Break

    from service.office import pagination, spreadsheet

    doc = render.document("outgoing_summary")
    ws = spreadsheet.filled_workbook(doc.template, render.context(ds, doc)).worksheets[0]
    assert pagination.libreoffice_pages(ws) == 1
    ws.row_breaks.append(Break(id=ws.max_row - 1))
    assert pagination.libreoffice_pages(ws) == 2
