"""The Excel filler on small hand-made templates: what moves, what stays, what is never evaluated."""
from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from openpyxl.styles import Border, Font, Side
from openpyxl.worksheet.pagebreak import Break

from service.office import spreadsheet

THIN = Side(style="thin")


@pytest.fixture
def template(tmp_path, monkeypatch):
    """A small template: header, a repeat row with a merged pair, totals and a merged footer."""
    monkeypatch.setattr(spreadsheet, "TEMPLATES", tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "标题 {{ org.name }}"
    ws.merge_cells("A1:D1")
    ws["A2"], ws["B2"], ws["D2"] = "序号", "姓名", "数量"
    ws.merge_cells("B2:C2")
    ws["A3"], ws["B3"], ws["D3"] = "{{ row.seq }}", "{{ row.name }}", "{{ row.count }}"
    for col in "ABCD":
        ws[f"{col}3"].border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
        ws[f"{col}3"].font = Font(name="仿宋_GB2312", sz=11)
    ws.merge_cells("B3:C3")
    ws.row_dimensions[3].height = 20
    ws["A4"] = "{{ total }}"
    ws.merge_cells("A4:D4")
    ws.row_dimensions[4].height = 33
    ws["A5"] = "填表人：{{ footer.by }}"
    ws.merge_cells("A5:D6")
    ws.row_dimensions[6].height = 44
    ws.print_title_rows = "2:2"
    ws.print_area = "A1:D6"
    ws.row_breaks.append(Break(id=4))
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    wb.save(tmp_path / "t.xlsx")
    return "t.xlsx"


def context(rows):
    return {"org": {"name": "星河"}, "rows": rows, "total": f"合计：{len(rows)} 人",
            "footer": {"by": "陈晓燕"}}


def fill(name, ctx):
    data = spreadsheet.render_xlsx(name, ctx)
    return data, openpyxl.load_workbook(io.BytesIO(data)).active


def rows_of(n):
    return [{"seq": i, "name": f"党员{i}", "count": i * 10} for i in range(1, n + 1)]


def test_rows_repeat_and_everything_below_moves(template):
    _, ws = fill(template, context(rows_of(5)))
    assert ws["A1"].value == "标题 星河"
    assert [ws.cell(row=r, column=2).value for r in range(3, 8)] == [f"党员{i}" for i in range(1, 6)]
    assert [ws.cell(row=r, column=4).value for r in range(3, 8)] == [10, 20, 30, 40, 50]
    assert ws["A8"].value == "合计：5 人" and ws["A9"].value == "填表人：陈晓燕"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert merged == {"A1:D1", "B2:C2", "B3:C3", "B4:C4", "B5:C5", "B6:C6", "B7:C7",
                      "A8:D8", "A9:D10"}
    assert ws.row_dimensions[8].height == 33 and ws.row_dimensions[10].height == 44
    assert all(ws.row_dimensions[r].height == 20 for r in range(3, 8))
    assert ws["D7"].border.bottom.style == "thin" and ws["B7"].font.name == "仿宋_GB2312"
    assert ws.print_title_rows == "$2:$2"
    assert ws.print_area == "'Sheet'!$A$1:$D$10"
    assert [b.id for b in ws.row_breaks.brk] == [8]
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.fitToHeight) == 0


def test_no_rows_leaves_one_empty_row(template):
    _, ws = fill(template, context([]))
    assert [ws.cell(row=3, column=c).value for c in (1, 2, 4)] == [None, None, None]
    assert ws["A4"].value == "合计：0 人"


def test_counts_stay_numbers_and_text_stays_text(template):
    rows = [{"seq": 1, "name": "007", "count": 3}]
    _, ws = fill(template, context(rows))
    assert ws["D3"].data_type == "n" and ws["D3"].value == 3
    assert ws["B3"].value == "007" and ws["B3"].data_type == "s"


@pytest.mark.parametrize("hostile", ["=1+1", "+1", "-2", "@SUM(A1:A2)", "=HYPERLINK(\"http://x\")",
                                     "#N/A", "{{ 7*7 }}", "{{ org.name }}", "<b>&</b>"])
def test_user_text_is_stored_as_plain_text(template, hostile):
    rows = [{"seq": 1, "name": hostile, "count": 1}]
    data, ws = fill(template, context(rows))
    assert ws["B3"].value == hostile and ws["B3"].data_type == "s"
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml
    if hostile[0] in "=+-@":
        assert ws["B3"].quotePrefix


def test_multiline_text_wraps_and_the_row_grows(template):
    rows = [{"seq": 1, "name": "一\n二\n三\n四", "count": 1}]
    _, ws = fill(template, context(rows))
    assert ws["B3"].alignment.wrap_text
    assert ws.row_dimensions[3].height >= 4 * 11


def test_a_long_org_name_wraps_in_its_merged_line_and_the_row_grows(template):
    wb = openpyxl.load_workbook(spreadsheet.TEMPLATES / template)
    ws = wb.active
    ws["A1"].alignment = openpyxl.styles.Alignment(wrap_text=True)
    ws.row_dimensions[1].height = 26
    wb.save(spreadsheet.TEMPLATES / template)
    _, short = fill(template, context(rows_of(3)))
    assert short.row_dimensions[1].height == 26  # one line: as built
    ctx = context(rows_of(3))
    ctx["org"]["name"] = "中共常州市武进区湖塘镇某某中心小学与某某幼儿园联合总支部委员会" * 2
    _, ws = fill(template, ctx)
    width = sum(spreadsheet._col_width(ws, c) for c in range(1, 5))
    lines = spreadsheet._lines(ws["A1"].value, width, 11)
    assert lines >= 2 and ws.row_dimensions[1].height >= lines * 11 * spreadsheet.LINE_EM
    assert ws.row_dimensions[8].height == 44  # the footer block's own rows keep theirs (moved down)


def test_an_unknown_placeholder_is_an_error(template):
    ctx = context(rows_of(1))
    del ctx["footer"]
    with pytest.raises(KeyError, match="footer.by"):
        spreadsheet.render_xlsx(template, ctx)


def test_two_marked_rows_is_a_template_error(template, tmp_path):
    wb = openpyxl.load_workbook(tmp_path / template)
    wb.active["A7"] = "{{ row.seq }}"
    wb.save(tmp_path / "two.xlsx")
    with pytest.raises(ValueError, match="row"):
        spreadsheet.render_xlsx("two.xlsx", context(rows_of(2)))


def test_placeholders_lists_top_level_names(template):
    assert spreadsheet.placeholders(template) == {"org", "row", "total", "footer"}


def test_same_input_same_bytes(template):
    ctx = context(rows_of(30))
    assert spreadsheet.render_xlsx(template, ctx) == spreadsheet.render_xlsx(template, ctx)


def test_real_templates_are_editable_workbooks():
    for path in sorted(spreadsheet.TEMPLATES.glob("*.xlsx")):
        ws = openpyxl.load_workbook(path).active
        marked = {c.row for r in ws.iter_rows() for c in r
                  if isinstance(c.value, str) and "{{ row." in c.value}
        assert len(marked) == 1, path.name
        assert ws.freeze_panes, path.name
        assert ws["A2"].font.name == "方正小标宋简体", path.name


def test_line_estimate_counts_the_indent_and_half_width_digits():
    assert spreadsheet._lines("320404198610193865", 19.6, 11) == 1  # 18 digits
    assert spreadsheet._lines("大学专科", 9.2, 11) == 1
    assert spreadsheet._lines("江苏省常州市武进区", 20.2, 10.5, indent=1) == 1
    assert spreadsheet._lines("江苏省常州市武进区", 20.2, 10.5, indent=3) == 2
    assert spreadsheet._lines("一\n二", 5, 11) == 2


def test_line_estimate_keeps_numbers_whole_and_punctuation_with_its_word():
    id_x = "32041219950321045X"  # the check letter is as narrow as a digit
    assert spreadsheet._lines(id_x, 21.16, 12) == 1
    assert spreadsheet._lines(id_x, 20.5, 12) == 2
    # 10.2 em in lines of 5.2 em: two lines if the date could break, three since it moves whole
    assert spreadsheet._lines("电话 2023.07.03 已停机", 11.5, 11) == 3
    # a comma never starts a line: 失联，已取得联系 in a 2-em column is 失联， / 已取 / 得联 / 系
    assert spreadsheet._lines("失联，已取得联系", (2 * 11 + 3 + 2) / 5.25, 11) >= 4


def test_wrapped_row_height_counts_lines_of_the_cell_font(template):
    rows = [{"seq": 1, "name": "阿依古丽·买买提\n" + "阿依古丽·买买提" * 3, "count": 1}]  # \n: wraps
    _, ws = fill(template, context(rows))
    width = spreadsheet._col_width(ws, 2) + spreadsheet._col_width(ws, 3)
    lines = spreadsheet._lines(rows[0]["name"], width, 11)
    assert lines >= 3
    assert ws.row_dimensions[3].height == round(lines * 11 * spreadsheet.LINE_EM + 11 / 2 + 2, 1)


def test_page_footer_placeholders_are_filled_and_ampersands_stay_text(template, tmp_path):
    """The 校验码 travels in the page footer's text: filled there, and a value's `&` never turns into
    one of Excel's header codes (&P page number, &"font" …)."""
    wb = openpyxl.load_workbook(tmp_path / template)
    ws = wb.active
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.right.text = "{{ verification }}"
    ws.oddFooter.right.size = 9
    ws.evenHeader.left.text = "{{ org.name }}"
    wb.save(tmp_path / "margins.xlsx")
    assert spreadsheet.placeholders("margins.xlsx") == {"org", "row", "total", "footer", "verification"}
    data, out = fill("margins.xlsx", {**context(rows_of(2)), "verification": "校验码 7F3A-92C1",
                                      "org": {"name": "星河&P"}})
    assert out.oddFooter.right.text == "校验码 7F3A-92C1" and out.oddFooter.right.size == 9
    assert out.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert out.evenHeader.left.text == "星河&&P"  # printed as 星河&P, not 星河 and a page number
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "{{" not in sheet
