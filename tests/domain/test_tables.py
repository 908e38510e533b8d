"""附件3–附件9 as a clerk opens them: the rows, 序号, dates, 合计, footer and page setup."""
from __future__ import annotations

import copy
import io
import zipfile

import docx
import openpyxl
import pytest

from service.office import cell_text, spreadsheet, word
from service.domain import figures, idcard
from service.domain.catalog import DOCUMENTS, TABLE_IDS
from service.domain.tables import summary_rows, table_context
from tests.conftest import sheet

TEMPLATES = {d: DOCUMENTS[d].template for d in TABLE_IDS}

XLSX_IDS = [d for d, t in TEMPLATES.items() if t.endswith(".xlsx")]
HEADER_ROW = 4  # 附件N, title, org line, then the column headers


def render(ds, doc_id):
    context = table_context(ds, doc_id)
    template = TEMPLATES[doc_id]
    if template.endswith(".docx"):
        return word.render_docx(template, context)
    return spreadsheet.render_xlsx(template, context)


def column(ws, header: str, first_row: int, count: int) -> list:
    """The printed values under a header, for `count` data rows."""
    for row in ws.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.replace("\n", "") == header:
                return [ws.cell(row=first_row + i, column=cell.column).value for i in range(count)]
    raise AssertionError(f"no column {header}")


def find_row(ws, text: str) -> int:
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(text):
                return cell.row
    raise AssertionError(f"{text} not found")


# --- a bigger branch: the sample's members many times over, with awkward text -------------


def _renumber(member: dict, i: int) -> dict:
    """The same member with a new, valid, unique ID number and a distinct name."""
    m = copy.deepcopy(member)
    old = m["id_number"]
    parity = 1 if m["gender"] == "男" else 2
    first17 = old[:14] + f"{i % 100:02d}" + str(parity + 2 * ((i // 100) % 4))
    m["id_number"] = first17 + idcard.check_char(first17)
    m["name"] = f"{m['name']}{i}"
    return m


@pytest.fixture
def big_data(sample_data):
    base = sample_data["members"]
    data = copy.deepcopy(sample_data)
    data["members"] = [_renumber(base[i % len(base)], i) for i in range(150)]
    data["members"][3]["name"] = "=1+1"
    data["members"][4]["job_post"] = "{{ 7*7 }}"
    data["members"][5]["remarks"] = "<b>&</b>"
    late = _renumber(base[0], 777)
    late["name"], late["join_date"] = "晚入党", "2023-07-01"
    late["full_member_date"] = "2024-07-01"
    data["members"].append(late)
    return data


@pytest.fixture
def big_dataset(big_data):
    from schemas import load_dataset

    return load_dataset(big_data)


DATASETS = ["sample_dataset", "big_dataset"]


# --- contexts ----------------------------------------------------------------------------


def test_every_table_has_the_common_lines(sample_dataset):
    for doc_id in TEMPLATES:
        ctx = table_context(sample_dataset, doc_id)
        assert ctx["fill_date"] == "2023年7月10日"
        assert ctx["org"]["full_name"] == "中共常州市武进区星河实验小学支部委员会"
        assert ctx["footer"] == {"filled_by": "陈晓燕", "reviewed_by": "周建华",
                                 "contact_phone": "0519-86310611"}


@pytest.mark.parametrize("doc_id", list(TEMPLATES))
@pytest.mark.parametrize("ds_name", DATASETS)
def test_templates_use_only_what_the_context_provides(doc_id, ds_name, request):
    ds = request.getfixturevalue(ds_name)
    ctx = table_context(ds, doc_id)
    template = TEMPLATES[doc_id]
    if template.endswith(".docx"):
        assert word.placeholders(template) <= set(ctx)
        return
    assert spreadsheet.placeholders(template) - {"row"} <= set(ctx)
    wb = openpyxl.load_workbook(spreadsheet.template_path(template))
    used = {m.group(1) for c in wb.active.iter_rows() for cell in c if isinstance(cell.value, str)
            for m in spreadsheet.PLACEHOLDER.finditer(cell.value)}
    row_keys = {u.split(".")[1] for u in used if u.startswith("row.")}
    for row in ctx["rows"]:
        assert row_keys <= set(row)


def test_roster_remarks_are_computed(sample_dataset):
    rows = {r["name"]: r for r in table_context(sample_dataset, "member_roster")["rows"]}
    assert rows["冯伟"]["remarks"] == "已转出，回执未收到"
    assert rows["吴晓东"]["remarks"] == "空挂，已理顺"
    assert rows["郑雅文"]["remarks"] == "出国（境）留学"
    assert rows["周建华"]["remarks"] == "—"
    assert rows["何静"]["full_member_date"] == "—"


def test_stopped_membership_is_remarked(sample_data):
    from schemas import load_dataset

    sample_data["members"][0]["party_status"] = "停止党籍"
    rows = table_context(load_dataset(sample_data), "member_roster")["rows"]
    assert rows[0]["remarks"] == "停止党籍"


def test_summary_rows_stack_branches_under_one_total():
    a = {"A1": 3, "A2": 2}
    b = {"A1": 4, "A2": 4}
    out = summary_rows([("甲支部", a), ("乙支部", b)], ["A1", "A2", "A3"])
    assert [r["label"] for r in out["rows"]] == ["甲支部", "乙支部"]
    assert out["total"] == {"label": "合计", "A1": 7, "A2": 6, "A3": 0}


# --- the rendered workbooks --------------------------------------------------------------


@pytest.mark.parametrize("ds_name", DATASETS)
def test_member_roster_lists_every_in_scope_member_in_order(ds_name, request):
    ds = request.getfixturevalue(ds_name)
    members = [m for m in ds.members if m.join_date <= ds.campaign.cutoff_date]
    ws = sheet(render(ds, "member_roster"))
    first = HEADER_ROW + 1
    n = len(members)
    assert column(ws, "姓名", first, n) == [m.name for m in members]
    assert column(ws, "序号", first, n) == list(range(1, n + 1))
    assert column(ws, "出生年月", first, 1)[0] == f"{members[0].birth_date:%Y.%m}"
    assert ws.cell(row=first + n, column=1).value == (
        f"合计：{n} 人，其中正式党员 {sum(m.member_type == '正式党员' for m in members)} 人，"
        f"预备党员 {sum(m.member_type == '预备党员' for m in members)} 人")
    footer = ws.cell(row=first + n + 1, column=1).value
    assert footer == "填表人：陈晓燕    审核人：周建华    联系电话：0519-86310611"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {f"A{first + n}:P{first + n}", f"A{first + n + 1}:P{first + n + 1}", "A2:P2"} <= merged
    assert "晚入党" not in column(ws, "姓名", first, n)


def test_sample_roster_prints_what_the_clerk_expects(sample_dataset):
    ws = sheet(render(sample_dataset, "member_roster"))
    row = [c.value for c in ws[HEADER_ROW + 1]]
    assert row == [1, "周建华", "男", "汉族", "1972.04", "320412197204180239", "研究生", "1996.06",
                   "1997.06", "正式党员", "在岗教职工", "校长、党支部书记", "13900087109", "否", "否", "—"]
    assert ws["A3"].value == "党组织名称（盖章）：中共常州市武进区星河实验小学支部委员会"
    assert "填报日期：2023年7月10日" in [c.value for c in ws[3]]


def test_roster_prints_phones_in_canonical_form(sample_data):
    from schemas import load_dataset

    sample_data["members"][0]["phone"] = "+86 139 0008 7109"
    sample_data["org"]["contact_phone"] = "（０５１９）８６３１ ０６１１-8001"
    ws = sheet(render(load_dataset(sample_data), "member_roster"))
    assert column(ws, "联系电话", HEADER_ROW + 1, 1) == ["13900087109"]
    assert "联系电话：0519-86310611转8001" in ws.cell(row=find_row(ws, "填表人"), column=1).value


@pytest.mark.parametrize("doc_id", XLSX_IDS)
@pytest.mark.parametrize("ds_name", DATASETS)
def test_page_setup_survives_filling(doc_id, ds_name, request):
    ws = sheet(render(request.getfixturevalue(ds_name), doc_id))
    assert ws["A1"].value.startswith("附件")
    assert ws["A1"].font.name == "黑体" and ws["A1"].font.sz == 16
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    last_header = 6 if doc_id.endswith("summary") else HEADER_ROW
    assert ws.print_title_rows == f"$4:${last_header}"
    data = ws.cell(row=last_header + 1, column=2)
    assert data.border.left.style == "thin" and data.font.name == "仿宋_GB2312"


def test_outgoing_roster(sample_dataset):
    ws = sheet(render(sample_dataset, "outgoing_roster"))
    first = HEADER_ROW + 1
    assert column(ws, "姓名", first, 2) == ["李志强", "张敏"]
    assert column(ws, "外出地点", first, 2) == ["上海市浦东新区\n随子女居住", "江苏省南京市鼓楼区\n南京师范大学进修"]
    assert column(ws, "外出流向", first, 2) == ["跨省", "省内跨市"]
    assert column(ws, "外出时长", first, 2) == ["21个月", "4个月"]
    assert column(ws, "外出时间", first, 2) == ["2021.09", "2023.02"]
    assert column(ws, "是否持流动党员活动证", first, 2) == ["否", "是"]
    assert column(ws, "组织关系处理", first, 2) == ["应转移\n组织关系", "保留\n组织关系"]
    assert column(ws, "备注", first, 2)[1].startswith("活动证号：\n")
    assert column(ws, "流入地党组织", first, 1) == ["—"]
    assert ws.cell(row=first + 2, column=1).value == "合计：2 人"


def test_lost_registers(sample_dataset):
    ws7 = sheet(render(sample_dataset, "recontacted_register"))
    first = HEADER_ROW + 1
    assert column(ws7, "姓名", first, 1) == ["赵国庆"]
    assert column(ws7, "党组织类别", first, 1) == ["⑤学校"]
    assert column(ws7, "失去联系情形", first, 1) == ["④工作单位改变"]
    assert column(ws7, "处理情况", first, 1) == ["转移组织关系"]
    assert ws7.cell(row=first + 1, column=1).value == "合计：1 人"
    ws8 = sheet(render(sample_dataset, "unreachable_register"))
    assert column(ws8, "姓名", first, 1) == ["孙海燕"]
    assert column(ws8, "失去联系情形", first, 1) == ["⑥居住地改变"]
    assert column(ws8, "失去联系时间", first, 1) == ["2年8个月"]
    assert column(ws8, "处理情况", first, 1) == ["停止党籍"]
    search = column(ws8, "查找方式及情况", first, 1)[0]
    assert search.split("\n") == ["2023.07.03 拨打预留电话：号码已停机",
                                  "2023.07.05 走访原住址及亲属：亲属称多年未联系",
                                  "2023.07.10 请派出所协查：户籍已迁出本市，未获现住址"]
    cell = ws8.cell(row=first, column=12)
    assert cell.alignment.wrap_text
    assert ws8.row_dimensions[first].height >= 3 * 10.5 * 1.2


def _summary_numbers(ws, codes, code_row=6):
    labels = [c.value for c in ws[code_row]]
    assert labels[0] == "甲"
    branch = [c.value for c in ws[code_row + 1]]
    total = [c.value for c in ws[code_row + 2]]
    return labels[1:], branch, total


@pytest.mark.parametrize("ds_name", DATASETS)
def test_outgoing_summary_numbers_are_the_figures(ds_name, request):
    ds = request.getfixturevalue(ds_name)
    fig = figures.outgoing_summary(ds)
    ws = sheet(render(ds, "outgoing_summary"))
    codes, branch, total = _summary_numbers(ws, fig)
    assert codes == [f"({c})" for c in figures.OUTGOING_LABELS]
    assert branch == [ds.org.name] + [fig[c] for c in figures.OUTGOING_LABELS]
    assert total == ["合计"] + [fig[c] for c in figures.OUTGOING_LABELS]
    assert all(ws.cell(row=7, column=i).data_type == "n" for i in range(2, 20))
    header = {c.value.replace("\n", "") for row in ws.iter_rows(min_row=4, max_row=5) for c in row if c.value}
    assert set(figures.OUTGOING_LABELS.values()) <= header
    assert {"其中", "外出流向", "外出时长", "外出原因"} <= header
    assert {"C4:D4", "E4:I4", "J4:K4", "L4:O4", "B4:B5", "A4:A5"} <= {str(r) for r in ws.merged_cells.ranges}


@pytest.mark.parametrize("ds_name", DATASETS)
def test_campaign_summary_numbers_are_the_figures(ds_name, request):
    ds = request.getfixturevalue(ds_name)
    fig = figures.campaign_summary(ds)
    ws = sheet(render(ds, "campaign_summary"))
    codes, branch, total = _summary_numbers(ws, fig)
    assert codes == list(figures.CAMPAIGN_LABELS)
    assert branch == [ds.org.name] + [fig[c] for c in figures.CAMPAIGN_LABELS]
    assert total[1:] == branch[1:]
    header = {c.value.replace("\n", "") for row in ws.iter_rows(min_row=4, max_row=5) for c in row if c.value}
    assert set(figures.CAMPAIGN_LABELS.values()) <= header
    assert {"基本情况", "信息核实", "流动党员", "空挂党员", "失联党员", "组织处置", "出国（境）"} <= header
    assert "统计截止日期：2023年6月30日" in " ".join(str(c.value) for c in ws[3])


def test_a_district_rollup_stacks_branches_and_moves_the_total(sample_dataset):
    fig = figures.campaign_summary(sample_dataset)
    ctx = table_context(sample_dataset, "campaign_summary")
    ctx.update(summary_rows([(f"第{i}支部", fig) for i in range(1, 41)], list(figures.CAMPAIGN_LABELS)))
    ws = sheet(spreadsheet.render_xlsx("campaign_summary.xlsx", ctx))
    assert [ws.cell(row=7 + i, column=1).value for i in range(40)] == [f"第{i}支部" for i in range(1, 41)]
    assert ws.cell(row=47, column=1).value == "合计"
    assert ws.cell(row=47, column=2).value == 40 * fig["A1"]
    assert ws.cell(row=48, column=1).value.startswith("填表人：")
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A48:AE48" in merged and "B4:G4" in merged and "A4:A5" in merged
    assert ws.print_title_rows == "$4:$6"


# --- hostile text ------------------------------------------------------------------------


def test_user_text_is_never_a_formula_or_template(big_dataset):
    data = render(big_dataset, "member_roster")
    ws = sheet(data)
    names = column(ws, "姓名", HEADER_ROW + 1, 10)
    cell = ws.cell(row=HEADER_ROW + 1 + names.index("=1+1"), column=2)
    assert cell.value == "=1+1" and cell.data_type == "s"
    assert "{{ 7*7 }}" in column(ws, "工作岗位（职务）", HEADER_ROW + 1, 10)
    assert "失联，已取得联系；<b>&</b>" in column(ws, "备注", HEADER_ROW + 1, 10)
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml


def test_register_prints_hostile_text_literally(big_dataset):
    d = docx.Document(io.BytesIO(render(big_dataset, "member_register")))
    texts = [c.text for t in forms(d)[3:6] for row in t.rows for c in row.cells]
    assert "=1+1" in texts and "{{ 7*7 }}" in texts
    assert "失联，已取得联系；<b>&</b>" in texts


ESCAPES = "备注含{_{和}_}及{_%与%_}"  # docxtpl's escapes for {{ }} {% %}: in user text, printed as typed


def test_register_prints_docxtpl_escapes_as_typed(sample_data):
    from schemas import load_dataset

    sample_data["members"][0]["remarks"] = ESCAPES
    d = docx.Document(io.BytesIO(render(load_dataset(sample_data), "member_register")))
    texts = [c.text for row in forms(d)[0].rows for c in row.cells]
    assert any(ESCAPES in t for t in texts), texts
    assert not any("{{" in t or "{%" in t for t in texts)


# --- 附件3 --------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def forms(d):
    """The register tables (label | value | label | value), one per member; not the org lines."""
    return [t for t in d.tables if len(t._tbl.tblGrid.findall(W + "gridCol")) == 4]


@pytest.mark.parametrize("ds_name", DATASETS)
def test_register_has_one_page_per_member(ds_name, request):
    ds = request.getfixturevalue(ds_name)
    members = [m for m in ds.members if m.join_date <= ds.campaign.cutoff_date]
    data = render(ds, "member_register")
    d = docx.Document(io.BytesIO(data))
    assert len(forms(d)) == len(members)
    assert [t.rows[0].cells[1].text for t in forms(d)] == [m.name for m in members]
    heads = [p for p in d.paragraphs if p.text == "附件3"]
    assert len(heads) == len(members)
    breaks = [bool(p.paragraph_format.page_break_before) for p in heads]
    assert breaks == [False] + [True] * (len(members) - 1)
    body = d.element.body
    last = [el for el in body if not el.tag.endswith("sectPr")][-1]
    assert last.tag.endswith("}p") and "本表由党员本人填写" in "".join(last.itertext())
    assert b"w:type=\"page\"" not in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    section = d.sections[0]
    assert section.page_height > section.page_width


def test_register_fields_for_a_member(sample_dataset):
    d = docx.Document(io.BytesIO(render(sample_dataset, "member_register")))
    table = forms(d)[6]  # 孙海燕, lost contact
    cells = {}
    for row in table.rows:
        texts = [c.text for c in row.cells]
        for i in range(0, len(texts) - 1, 2):
            cells.setdefault(texts[i], texts[i + 1])
    assert cells["姓名"] == "孙海燕"
    assert cells["公民身份号码"] == "320412198303080342"
    assert cells["所在党支部"] == "中共常州市武进区星河实验小学支部委员会"
    assert cells["是否失联党员"] == "是" and cells["失去联系日期"] == "2020.10"
    assert cells["是否流动党员"] == "否" and cells["外出流向"] == "—"
    assert cells["入党时间"] == "2008.11"
    labels = [row.cells[0].text for row in table.rows]
    assert labels[-3:] == ["党员本人签字", "党支部审核意见", "党支部书记签字"]
    sign = table.rows[-1].cells[1].text
    assert "党组织（盖章）" in sign and "年　　月　　日" in sign
    grid = table._tbl.tblGrid.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}gridCol")
    assert len(grid) == 4 and all(int(g.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w")) > 1000 for g in grid)


# --- determinism -------------------------------------------------------------------------


@pytest.mark.parametrize("doc_id", list(TEMPLATES))
def test_rendering_twice_gives_the_same_bytes(sample_dataset, doc_id):
    assert render(sample_dataset, doc_id) == render(sample_dataset, doc_id)


# --- layout: what the printed forms look like (forms.md §2) ------------------------------

UNIT_PT = 5.25  # Excel's width unit (7 px); LibreOffice's, with the 仿宋 11 default font, is 5.5 pt
PRINTABLE_PT = 297 / 25.4 * 72 - 2 * 0.51 * 72  # A4 landscape less the 1.3 cm side margins


def em(text: str) -> float:
    import unicodedata

    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


def widths(ws) -> dict[str, float]:
    return {letter: dim.width for letter, dim in ws.column_dimensions.items() if dim.width}


def header_cells(ws, doc_id):
    last = 5 if doc_id.endswith("summary") else HEADER_ROW
    return [c for row in ws.iter_rows(min_row=HEADER_ROW, max_row=last) for c in row
            if isinstance(c.value, str) and c.value]


def template(doc_id):
    return openpyxl.load_workbook(spreadsheet.template_path(TEMPLATES[doc_id])).active


@pytest.mark.parametrize("doc_id", XLSX_IDS)
def test_page_is_a4_landscape_one_page_wide_with_narrow_margins(doc_id):
    ws = template(doc_id)
    m = ws.page_margins
    assert 0.45 <= m.left == m.right <= 0.6 and 0.5 <= m.top == m.bottom <= 0.6  # 1.3–1.5 cm
    assert ws.print_options.horizontalCentered
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # the width unit follows the default font: 仿宋_GB2312 11 in every suite, not a missing Calibri
    default = ws.parent._fonts[0]
    assert default.name == "仿宋_GB2312" and default.sz == 11
    assert ws["A2"].font.sz == 22  # the title prints 18–22 pt at the scales below


# forms.md §2: cells print at 10.5–12 pt. The sheets are fitted to the page width, so what prints
# is the template's size × LibreOffice's scale (whole percents, from the widths in 5.5 pt units).
# 附件9 has 31 columns: its figures print at 10 pt at least and its headers at 9.
MIN_PRINTED = {"campaign_summary": (10, 9)}  # (data cells, headers); 10.5 and 10 otherwise


def printed_scale(ws) -> float:
    return min(100, int(PRINTABLE_PT / (sum(widths(ws).values()) * 5.5) * 100)) / 100


def data_row(doc_id) -> int:
    return HEADER_ROW + (3 if doc_id.endswith("summary") else 1)


@pytest.mark.parametrize("doc_id", XLSX_IDS)
def test_cells_print_at_least_10_5_pt_and_headers_at_10(doc_id):
    ws = template(doc_id)
    scale = printed_scale(ws)
    data_pt, header_pt = MIN_PRINTED.get(doc_id, (10.5, 10))
    assert min(c.font.sz for c in ws[data_row(doc_id)]) * scale >= data_pt, scale
    assert min(c.font.sz for c in header_cells(ws, doc_id)) * scale >= header_pt, scale
    assert all(10.5 <= c.font.sz <= 12 for c in ws[data_row(doc_id)])  # the sizes forms.md names
    assert 18 <= ws["A2"].font.sz * scale <= 22  # the title


@pytest.mark.parametrize("doc_id", XLSX_IDS)
def test_every_header_line_fits_its_column(doc_id):
    """Headers break explicitly (工作岗位\\n（职务）), so no lone fragment like 「）」 wraps."""
    ws = template(doc_id)
    merged = {r.min_col: r.max_col for r in ws.merged_cells.ranges if r.min_row >= HEADER_ROW}
    for cell in header_cells(ws, doc_id):
        span = range(cell.column, merged.get(cell.column, cell.column) + 1)
        width = sum(ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width for c in span)
        for line in cell.value.split("\n"):
            assert em(line) * cell.font.sz <= width * UNIT_PT - 3, (doc_id, cell.value)


def test_headers_break_at_word_boundaries():
    roster = [c.value for c in header_cells(template("member_roster"), "member_roster")]
    assert "工作岗位\n（职务）" in roster and "是否\n流动\n党员" in roster and "序\n号" in roster
    assert "工作\n岗位\n（原\n职业）" in [c.value for c in header_cells(template("outgoing_roster"), "x")]
    six = [c.value for c in header_cells(template("outgoing_summary"), "outgoing_summary")]
    assert "出国\n（境）" in six
    nine = [c.value for c in header_cells(template("campaign_summary"), "campaign_summary")]
    assert "出国\n（境）\n党员" in nine and "取消\n或\n不再\n保留\n预备\n党员\n资格" in nine
    for doc_id in ("recontacted_register", "unreachable_register"):
        labels = [c.value for c in header_cells(template(doc_id), doc_id)]
        assert "党组织\n类别" in labels and "失去\n联系\n时间" in labels


def _col(ws, header):
    for cell in ws[HEADER_ROW]:
        if isinstance(cell.value, str) and cell.value.replace("\n", "") == header:
            return cell.column_letter
    raise AssertionError(header)


def one_line(ws, header, text) -> bool:
    """Whether `text` prints on one line under `header`, by the filler's own count (Excel's units)."""
    cell = ws[f"{_col(ws, header)}{HEADER_ROW + 1}"]
    return spreadsheet._lines(text, widths(ws)[cell.column_letter], cell.font.sz, cell.alignment.indent) == 1


# typical values print on one line; the rare long ones wrap (and their rows grow, below). Where a
# table's rows are several lines anyway (附件5: place and detail; 附件7: 现工作单位或居住地; 附件8:
# the search record), short columns take two or three lines (出国/（境）, 失去联系情形, 停止/党籍) so
# that the free text gets the room: TWO_LINES lists those
TWO_LINES = {
    "outgoing_roster": {"外出流向": ["出国（境）"]},
    "recontacted_register": {"失去联系情形": ["②单位改制或破产"], "失去联系时间": ["2年8个月", "3年11个月"]},
    "unreachable_register": {"失去联系情形": ["③毕业后去向不明"], "处理情况": ["停止党籍"],
                             "失去联系时间": ["2年8个月", "3年11个月"], "最后已知去向": ["原住址已拆迁，去向不明"]},
}
TYPICAL = {
    "member_roster": {"姓名": ["欧阳晓燕", "李𠮷"], "民族": ["蒙古族"], "出生年月": ["1996.06"],
                      "公民身份号码": ["32041219950321045X", "320412197204180239"], "学历": ["大学本科"],
                      "人员类别": ["在岗教职工", "离退休人员"], "联系电话": ["13900087109"],
                      "党员类别": ["正式党员"], "工作岗位（职务）": ["专任教师"], "是否流动党员": ["是"],
                      "备注": ["出国（境）留学", "空挂，已理顺"]},
    "outgoing_roster": {"姓名": ["欧阳晓燕"], "外出时间": ["2021.09"], "外出地点": ["江苏省常州市"],
                        "外出流向": ["市内跨区"], "外出时长": ["21个月"],
                        "联系方式": ["13961234567"], "备注": ["活动证号："]},
    "recontacted_register": {"公民身份号码": ["32041219950321045X"], "党组织类别": ["⑤学校"],
                             "失去联系情形": ["⑥居住地改变"],
                             "取得联系时间": ["2023.07"], "联系方式": ["13961234567"], "处理情况": ["停止党籍"]},
    "unreachable_register": {"公民身份号码": ["32041219950321045X"], "出生年月": ["1983.03"],
                             "入党时间": ["2008.11"], "党组织类别": ["⑤学校"]},
}


@pytest.mark.parametrize("doc_id", list(TYPICAL))
def test_typical_values_print_on_one_line(doc_id):
    ws = template(doc_id)
    for header, values in TYPICAL[doc_id].items():
        for value in values:
            assert one_line(ws, header, value), (header, value)
    for header, values in TWO_LINES.get(doc_id, {}).items():
        cell = ws[f"{_col(ws, header)}{HEADER_ROW + 1}"]
        for value in values:
            lines = spreadsheet._lines(value, widths(ws)[cell.column_letter], cell.font.sz, cell.alignment.indent)
            assert 2 <= lines <= 3, (header, value, lines)


def test_a_stacked_duration_breaks_between_its_words():
    """失去联系时间 takes two lines where its rows are several anyway: 2年8 / 个月, never 2年8个 / 月."""
    for doc_id in ("recontacted_register", "unreachable_register"):
        ws = template(doc_id)
        cell = ws[f"{_col(ws, '失去联系时间')}{HEADER_ROW + 1}"]
        room = cell_text.line_room(widths(ws)[cell.column_letter], cell.font.sz)
        assert 2.5 <= room < 3, (doc_id, room)  # 2年8 and 3年11 fit a line, 2年8个 does not


def test_rare_long_values_wrap_in_two_lines_not_more():
    ws = template("member_roster")
    cell = ws[f"{_col(ws, '姓名')}{HEADER_ROW + 1}"]
    assert spreadsheet._lines("阿依古丽·买买提", widths(ws)[cell.column_letter], cell.font.sz) in (2, 3)
    assert not one_line(ws, "民族", "维吾尔族")
    assert widths(template("campaign_summary"))["A"] < 20  # 党组织名称 wraps, not a third of the page


@pytest.mark.parametrize("doc_id", XLSX_IDS)
def test_data_cells_are_centred_vertically_and_text_is_indented(doc_id):
    ws = template(doc_id)
    row = data_row(doc_id)
    for cell in ws[row]:
        figure = doc_id.endswith("summary") and cell.column > 1
        assert cell.alignment.vertical == "center", cell.coordinate
        # text wraps; a figure never does: a four-digit district total shrinks rather than print ###
        assert (cell.alignment.shrink_to_fit and not cell.alignment.wrap_text) if figure \
            else cell.alignment.wrap_text, cell.coordinate
        if cell.alignment.horizontal == "left":
            assert cell.alignment.indent >= 1, cell.coordinate  # off the border
        else:
            assert cell.alignment.horizontal == "center", cell.coordinate
    if doc_id == "member_roster":
        align = {_col(ws, h): ws[f"{_col(ws, h)}{row}"].alignment.horizontal
                 for h in ("序号", "姓名", "公民身份号码", "工作岗位（职务）", "备注")}
        assert list(align.values()) == ["center", "center", "center", "left", "left"]


def test_wrapped_rows_grow_with_air(big_dataset):
    ws = sheet(render(big_dataset, "unreachable_register"))
    first = HEADER_ROW + 1
    search = ws.cell(row=first, column=12)
    size = search.font.sz
    lines = spreadsheet._lines(search.value, widths(ws)["L"], size, search.alignment.indent)
    assert lines > search.value.count("\n") + 1  # the long attempts wrap as well
    assert ws.row_dimensions[first].height >= lines * size * 1.25 + size / 2


def test_a_long_name_wraps_and_its_row_grows(sample_data):
    from schemas import load_dataset

    sample_data["members"][1].update(name="阿依古丽·买买提", ethnicity="维吾尔族")
    ws = sheet(render(load_dataset(sample_data), "member_roster"))
    first = HEADER_ROW + 1
    plain, long = ws.row_dimensions[first + 2].height, ws.row_dimensions[first + 1].height
    assert ws.cell(row=first + 1, column=2).value == "阿依古丽·买买提"
    assert plain == template("member_roster").row_dimensions[first].height  # one line: as built
    assert long >= 2 * 12 * 1.25 + 6 > plain


def test_register_layout(sample_dataset):
    data = render(sample_dataset, "member_register")
    d = docx.Document(io.BytesIO(data))
    org = [t for t in d.tables if t not in forms(d)][0]
    left, right = org.rows[0].cells
    assert left.text == "党组织名称（盖章）：中共常州市武进区星河实验小学支部委员会"
    assert right.text == "填报日期：2023年7月10日"  # beside the org name, not on a line of its own
    labels = [row.cells[0].text for row in forms(d)[0].rows]
    assert "工作岗位\n（职务）" in labels
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>' in styles  # 附件3, not 附件 3
    head = [p for p in d.paragraphs if p.text == "附件3"][0]
    assert head._p.pPr.find(W + "autoSpaceDE").get(W + "val") == "0"


# --- printed through LibreOffice ---------------------------------------------------------


@pytest.mark.pdf
@pytest.mark.skipif(__import__("shutil").which("soffice") is None and not __import__("os").environ.get("CI"),
                    reason="LibreOffice (soffice) not installed")
def test_member_roster_prints_its_cells_at_10_5_pt_at_least(sample_dataset):
    from service.documents import render
    from tests.conftest_pdf import printed_runs, started_pool

    with started_pool(1, 2393, 2493) as pool:
        pdf = render.render_document(sample_dataset, "member_roster", "pdf", pool).data
    values = {str(v) for row in table_context(sample_dataset, "member_roster")["rows"] for v in row.values()}
    runs = printed_runs(pdf)
    # the page number (第 1 页) is the page footer, not a cell: runs of one character are left out
    cells = [size for text, size in runs if len(text) > 1 and any(text in value for value in values)]
    headers = [size for text, size in runs if text in {"姓名", "公民身份号码", "学历", "备注"}]
    assert len(cells) > 100 and len(headers) == 4
    assert min(cells) >= 10.5, sorted(cells)[:5]
    assert min(headers) >= 10
