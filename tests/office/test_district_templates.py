"""The district variants of 附件6/附件9: the branch template's layout and styles, with the district's
填报单位 line and a note under 合计 — built by the same function of tools/build_xlsx_templates.py."""
from __future__ import annotations

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from service.domain import catalog
from service.office import pagination, spreadsheet

HEADER_ROWS = range(4, 7)


def load(name: str):
    return openpyxl.load_workbook(spreadsheet.template_path(name)).active


def style(cell) -> tuple:
    return (cell.font.name, cell.font.sz, cell.font.b, cell.alignment.horizontal, cell.border.left.style)


@pytest.mark.parametrize("doc_id", catalog.DISTRICT_TABLE_IDS)
def test_the_district_variant_keeps_the_branch_layout(doc_id):
    branch = load(catalog.DOCUMENTS[doc_id].template)
    district = load(catalog.DISTRICT_TEMPLATE.format(id=doc_id))
    assert branch.max_column == district.max_column
    for row in [1, 2, *HEADER_ROWS, 7, 8]:  # 附件N, title, the headers, the row and 合计
        for col in range(1, branch.max_column + 1):
            a, b = branch.cell(row=row, column=col), district.cell(row=row, column=col)
            assert (a.value, style(a)) == (b.value, style(b)), (row, col)
    assert {str(r) for r in branch.merged_cells.ranges if r.min_row <= 8} == \
        {str(r) for r in district.merged_cells.ranges if r.min_row <= 8}
    assert branch.print_title_rows == district.print_title_rows and branch.freeze_panes == district.freeze_panes
    assert branch["A3"].value == "党组织名称（盖章）：{{ org.full_name }}"
    assert district["A3"].value == "填报单位（盖章）：{{ org.full_name }}"
    assert branch["A9"].value.startswith("填表人：")
    assert district["A9"].value == "{{ note }}" and district["A10"].value == branch["A9"].value
    assert spreadsheet.placeholders(catalog.DISTRICT_TEMPLATE.format(id=doc_id)) == \
        spreadsheet.placeholders(catalog.DOCUMENTS[doc_id].template) | {"note"}


def widths(ws) -> list[float]:
    return [ws.column_dimensions[get_column_letter(c)].width for c in range(1, ws.max_column + 1)]


@pytest.mark.parametrize("doc_id", catalog.DISTRICT_TABLE_IDS)
def test_figures_print_as_large_as_the_forms_ask(doc_id):
    """附件9's district names get 8 characters a line instead of 5: its figures still print ≥ 10 pt and its
    headers ≥ 9 pt in LibreOffice (5.5 pt units), as the branch table's do."""
    branch = load(catalog.DOCUMENTS[doc_id].template)
    district = load(catalog.DISTRICT_TEMPLATE.format(id=doc_id))
    assert widths(district)[1:] == widths(branch)[1:]
    assert widths(district)[0] >= widths(branch)[0]
    room = 841.9 - (district.page_margins.left + district.page_margins.right) * 72
    scale = min(100, int(room / (sum(widths(district)) * 5.5) * 100)) / 100
    assert min(c.font.sz for c in district[7]) * scale >= 10
    assert min(c.font.sz for r in HEADER_ROWS for c in district[r] if c.value) * scale >= 9
    assert pagination.print_scale(district) >= scale  # the breaks are counted at the larger scale
