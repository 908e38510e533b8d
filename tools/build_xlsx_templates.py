"""Build the Excel templates of 附件4–附件9 (templates_xlsx/*.xlsx) from the layouts in forms.md §3.

The files are the source of truth once built: a district that wants a column changed edits the
.xlsx in Excel or WPS. This script exists so the first version is reproducible and reviewable.
Run: .venv/bin/python tools/build_xlsx_templates.py
"""
from __future__ import annotations

import io
import math
import sys
import unicodedata
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from service.office.cell_text import column_units  # noqa: E402
from service.office.determinism import fix_office_zip  # noqa: E402

OUT = ROOT / "templates_xlsx"
HEI, SONG_TITLE, FANG = "黑体", "方正小标宋简体", "仿宋_GB2312"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
# a figure never wraps; a district's four-digit total shrinks a little rather than printing ###
FIGURE = Alignment(horizontal="center", vertical="center", shrink_to_fit=True)
C, L = "c", "l"

# Column widths are in Excel's character unit: the width of a digit of the workbook's default font.
# The default font is 仿宋_GB2312 11 pt (not openpyxl's Calibri, which the PDF server does not have
# and replaces by a wider face), so one unit is 5.5 pt in LibreOffice and about the same in Excel/WPS,
# and a CJK character of an 11 pt cell is 2 units. Widths below are given in characters of the cell
# font ("em"); `units` adds the cell padding (and the indent of left-aligned columns).
DEFAULT_FONT_PT = 11
UNIT_PT = DEFAULT_FONT_PT / 2  # digits of 仿宋 are half an em wide
MARGIN_IN, SIDE_IN = 0.59, 0.51  # 1.5 cm top and bottom, 1.3 cm left and right
PRINTABLE_PT = 297 / 25.4 * 72 - 2 * SIDE_IN * 72


def units(em: float, size: float, align: str = C) -> float:
    """The column width (in units) that holds `em` characters of a `size` pt font on one line,
    in LibreOffice and in Excel (the filler counts lines the same way: service/office/cell_text.py)."""
    return column_units(em, size, indented=align == L)


def print_scale(widths) -> float:
    """The scale LibreOffice prints the sheet at when fitted to one page wide (whole percents)."""
    return min(100, int(PRINTABLE_PT / (sum(widths) * UNIT_PT) * 100)) / 100


# (header, row key, width in characters of the cell font, alignment) per column, in printed order.
# Columns are sized for TYPICAL values on one line at a printed size of at least 10.5 pt: names of
# 2–4 characters, 汉族/蒙古族, dates YYYY.MM (3.5 em), 18-digit ID numbers (9 em; never wrapped),
# 11-digit phone numbers, 是/否. Rare long values wrap inside their cell (阿依古丽·买买提 in two lines,
# long 备注/地点/查找情况 in several) and the filler makes those rows taller (spreadsheet._fit_height).
# Narrow columns (序号, 性别, 是否…) stack their header text; headers break explicitly (\n), at
# word boundaries, never mid-word. A column marked FLEX also takes the width left over on the page.
# When a table's records are long, the filler re-splits these widths (service/office/column_widths.py):
# a column whose header is stacked may stack its values too (正式/党员), and the room goes to the
# free text (left-aligned columns) — so a header stacked here is also a promise that its values may be.
FLEX = "flex"
MEMBER_ROSTER = [
    ("序\n号", "seq", 1.5, C), ("姓名", "name", 4, C), ("性\n别", "gender", 1, C),
    ("民族", "ethnicity", 3, C), ("出生\n年月", "birth", 3.5, C), ("公民身份号码", "id_number", 9, C),
    ("学历", "education", 4, C), ("入党\n时间", "join_date", 3.5, C),
    ("转正\n时间", "full_member_date", 3.5, C), ("党员\n类别", "member_type", 4, C),
    ("人员\n类别", "person_category", 5, C), ("工作岗位\n（职务）", "job_post", 4, L),
    ("联系\n电话", "phone", 5.5, C), ("是否\n流动\n党员", "outgoing", 2, C),
    ("是否\n失联\n党员", "lost", 2, C), ("备注", "remarks", 4, L, FLEX),
]
# 附件5's rows are two lines at least (外出地点 is place and detail, 组织关系处理 two words), so its
# 党员类别, 外出原因 and 外出流向 may take two lines (正式/党员, 务工/经商,
# 出国/（境）) at no cost in height; the room goes to 备注 (活动证号 and remarks, up to ~140 characters)
OUTGOING_ROSTER = [
    ("序\n号", "seq", 1.5, C), ("姓名", "name", 4, C), ("性\n别", "gender", 1, C),
    ("出生\n年月", "birth", 3.5, C), ("入党\n时间", "join_date", 3.5, C), ("党员\n类别", "member_type", 2, C),
    ("工作\n岗位\n（原\n职业）", "job_post", 4, C), ("外出\n时间", "left_date", 3.5, C),
    ("外出地点", "place", 7, L, FLEX), ("外出\n流向", "band", 4, C), ("外出\n原因", "reason", 2, C),
    ("外出\n时长", "months", 3, C), ("是否\n持流动\n党员\n活动证", "flow_card", 3, C),
    ("流入地\n党组织", "host_org", 3, C), ("是否\n保持\n联系", "in_contact", 2, C),
    ("联系\n方式", "contact", 5.5, C), ("组织\n关系\n处理", "relation_action", 4, C),
    ("备注", "remarks", 5, L, FLEX, 4),
]
LOST_HEAD = [
    ("序\n号", "seq", 1.5, C), ("姓名", "name", 4, C), ("性\n别", "gender", 1, C),
    ("出生\n年月", "birth", 3.5, C), ("公民身份号码", "id_number", 9, C), ("入党\n时间", "join_date", 3.5, C),
]
# 附件7's rows are two or three lines (现工作单位或居住地, 处理情况 转移组织关系): 党员类别 (正式/党员),
# 失去联系时间 (2年8/个月, 2.5 em: never 2年8个/月), a long 失去联系情形 and 处理情况 take two lines at
# no cost, and the room goes to the free text, shared evenly by 现工作单位或居住地 and 备注
RECONTACTED = LOST_HEAD + [
    ("党员\n类别", "member_type", 2, C), ("党组织\n类别", "org_category", 3, C),
    ("失去\n联系\n时间", "lost_duration", 2.5, C), ("失去\n联系\n情形", "situation", 7, C),
    ("取得\n联系\n时间", "contacted_date", 3.5, C), ("现工作\n单位或\n居住地", "whereabouts", 4, L, FLEX),
    ("联系\n方式", "contact", 5.5, C), ("处理情况", "handling", 3, C), ("备注", "remarks", 4, L, FLEX),
]
# 附件8's rows hold 查找方式及情况 (one line per attempt): every row is several lines, so the short
# columns stack in two (正式/党员, 停止/党籍, 3年11/个月) and the room goes to the search; 最后已知去向
# holds a typical 原住址已拆迁，去向不明 in two lines (it took five at 2.5 em). At the contract's
# limits (six attempts of ~90 characters, a 150-character 备注) the filler re-splits the free text
# so that a record stays under a page
UNREACHABLE = [
    ("序\n号", "seq", 1.5, C), ("姓名", "name", 4, C), ("性\n别", "gender", 1, C),
    ("出生\n年月", "birth", 3.5, C), ("公民身份号码", "id_number", 9, C), ("入党\n时间", "join_date", 3.5, C),
    ("党员\n类别", "member_type", 2, C), ("党组织\n类别", "org_category", 3, C),
    ("失去\n联系\n时间", "lost_duration", 2.5, C), ("失去\n联系\n情形", "situation", 3, C),
    ("最后\n已知\n去向", "whereabouts", 6, L), ("查找方式及情况", "search", 16, L, FLEX),
    ("处理\n情况", "handling", 2, C), ("备注", "remarks", 4, L),
]

# grouped headers of the summary tables: (group or None, [(code, label), …]); a label breaks where
# its column is narrower than the label, at a word boundary; the widths of 附件9's figure columns
# come from the longest line of its label
OUTGOING_GROUPS = [
    (None, [("1", "外出\n流动\n党员\n总数")]),
    ("其中", [("2", "正式\n党员"), ("3", "预备\n党员")]),
    ("外出流向", [("4", "本区内"), ("5", "市内\n跨区"), ("6", "省内\n跨市"), ("7", "跨省"), ("8", "出国\n（境）")]),
    ("外出时长", [("9", "不满\n6个月"), ("10", "6个月\n及以上")]),
    ("外出原因", [("11", "务工\n经商"), ("12", "学习\n进修"), ("13", "异地\n居住"), ("14", "其他")]),
    (None, [("15", "持流动\n党员\n活动证")]), (None, [("16", "保持\n联系")]),
    (None, [("17", "失去\n联系")]), (None, [("18", "应转\n未转\n组织\n关系")]),
]
CAMPAIGN_GROUPS = [
    ("基本情况", [("A1", "党员\n总数"), ("A2", "正式\n党员"), ("A3", "预备\n党员"), ("A4", "在岗\n教\n职工"),
              ("A5", "离\n退休\n人员"), ("A6", "其他")]),
    ("信息核实", [("B1", "已\n核实"), ("B2", "信息\n有误\n已\n更正"), ("B3", "转出\n未\n收到\n回执")]),
    ("流动党员", [("C1", "外出\n流动\n党员"), ("C2", "持\n活动\n证"), ("C3", "应转\n未转"),
              ("C4", "已\n转移\n组织\n关系")]),
    ("空挂党员", [("D1", "排查\n出"), ("D2", "已\n理顺"), ("D3", "未\n理顺")]),
    ("失联党员", [("E1", "失联"), ("E2", "经\n排查\n取得\n联系"), ("E3", "仍\n无法\n取得\n联系")]),
    ("组织处置", [("F1", "恢复\n正常\n管理"), ("F2", "转移\n组织\n关系"), ("F3", "限期\n改正"),
              ("F4", "劝其\n退党\n或\n除名"), ("F5", "停止\n党籍"),
              ("F6", "取消\n或\n不再\n保留\n预备\n党员\n资格"), ("F7", "继续\n查找"), ("F8", "其他")]),
    ("出国（境）", [("G1", "出国\n（境）\n党员"), ("G2", "已\n办理\n手续"), ("G3", "未\n办理\n手续")]),
]

FOOTER = "填表人：{{ footer.filled_by }}    审核人：{{ footer.reviewed_by }}    联系电话：{{ footer.contact_phone }}"


def _style(cell, font: Font, align: Alignment = CENTER, border: bool = True) -> None:
    cell.font = font
    cell.alignment = align
    if border:
        cell.border = BOX


def _merge(ws, row: int, first: int, last: int, value, font, align=CENTER, border=True, end_row=None):
    """Write a value into a (possibly merged) block and style every cell of it."""
    end_row = end_row or row
    for r in range(row, end_row + 1):
        for c in range(first, last + 1):
            _style(ws.cell(row=r, column=c), font, align, border)
    ws.cell(row=row, column=first).value = value
    if last > first or end_row > row:
        ws.merge_cells(start_row=row, end_row=end_row, start_column=first, end_column=last)


def text_em(text: str) -> float:
    """Printed width of one line in characters of its font: CJK and full-width 1, the rest ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


def lines_height(text: str, size: float) -> float:
    """A row height (pt) that shows every explicit line of `text` with some air above and below."""
    return round(len(text.split("\n")) * size * 1.45 + 6, 1)  # 黑体 (Noto Sans CJK) lines are 1.45 em


def _split(widths: list[float], right_em: float, size: float = 12) -> int:
    """The last column of the org name's block: the date block right of it holds `right_em` on one line."""
    need, room = units(right_em, size), 0.0
    for i in range(len(widths) - 1, 0, -1):
        room += widths[i]
        if room >= need:
            return i
    return 1


ORG_LINE = "党组织名称（盖章）：{{ org.full_name }}"
# the district's roll-up is filled by the branches' 上级党组织, whose rows list the 党组织名称 of each
DISTRICT_LINE = "填报单位（盖章）：{{ org.full_name }}"


def _top(ws, number: int, title: str, ncols: int, right_text: str, split: int | None = None,
         org_line: str = ORG_LINE) -> int:
    """附件N, the title and the org/date line; returns the first header row."""
    ws["A1"] = f"附件{number}"
    ws["A1"].font = Font(name=HEI, sz=16)
    ws["A1"].alignment = Alignment(horizontal="left", vertical="center")
    ws.row_dimensions[1].height = 24
    _merge(ws, 2, 1, ncols, title, Font(name=SONG_TITLE, sz=22), CENTER, border=False)
    ws.row_dimensions[2].height = 40
    split = split or max(2, ncols * 3 // 5)
    line = Font(name=FANG, sz=12)
    # a long name wraps inside its block (the filler makes the row taller), never cut at its edge
    _merge(ws, 3, 1, split, org_line, line,
           Alignment(horizontal="left", vertical="center", wrap_text=True), border=False)
    _merge(ws, 3, split + 1, ncols, right_text, line,
           Alignment(horizontal="right", vertical="center", wrap_text=True), border=False)
    ws.row_dimensions[3].height = 26
    return 4


def _finish(ws, ncols: int, header_rows: tuple[int, int], footer_row: int, freeze: str) -> None:
    """Footer line, print titles, A4 landscape fitted to one page wide, frozen header.

    Excel and LibreOffice both read fitToWidth=1/fitToHeight=0 with fitToPage as "one page wide,
    as many pages down as needed"; margins are narrow (1.5 cm) so the columns print large.
    """
    _merge(ws, footer_row, 1, ncols, FOOTER, Font(name=FANG, sz=12),
           Alignment(horizontal="left", vertical="center", wrap_text=True), border=False)
    ws.row_dimensions[footer_row].height = 28
    ws.print_title_rows = f"{header_rows[0]}:{header_rows[1]}"
    ws.freeze_panes = freeze
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=SIDE_IN, right=SIDE_IN, top=MARGIN_IN, bottom=MARGIN_IN,
                                  header=0.24, footer=0.24)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = FANG
    ws.oddFooter.center.size = 10
    ws.oddFooter.right.text = "{{ verification }}"  # 「校验码 7F3A-92C1」 of the dataset, on every page
    ws.oddFooter.right.font = FANG
    ws.oddFooter.right.size = 9


def fill_width(widths: list[float], flex: list[int], scale: float, level: bool = False,
               weights: list[float] | None = None) -> list[float]:
    """Widths whose spare room (up to what prints at `scale`) goes to the `flex` columns.

    A table narrower than the page at `scale` would print at that scale anyway (or at 100% with a
    blank strip): the room is better spent on the columns whose long values wrap. With `level`,
    the narrowest flex columns are raised first, towards one common width (a figures grid).
    """
    budget = PRINTABLE_PT / (UNIT_PT * scale) - 0.1
    spare = budget - sum(widths)
    if spare <= 0 or not flex:
        return widths
    out = list(widths)
    if level:
        ranked = sorted(flex, key=lambda i: widths[i])
        for k in range(1, len(ranked) + 1):  # the k narrowest columns rise to a common width
            top = (sum(widths[i] for i in ranked[:k]) + spare) / k
            if k == len(ranked) or top <= widths[ranked[k]]:
                for i in ranked[:k]:
                    out[i] = math.floor(top * 100) / 100
                break
        return out
    weights = weights or [1.0] * len(flex)
    shares = {i: math.floor(spare * wt / sum(weights) * 100) / 100 for i, wt in zip(flex, weights)}
    return [round(w + shares[i], 2) if i in shares else w for i, w in enumerate(out)]


def people_table(number: int, title: str, columns: list, size: float = 12,
                 header_size: float | None = None, scale: float = 0.88) -> Workbook:
    """A register with one header row, the repeat row, `合计：N 人` and the footer.

    Cells are 仿宋 `size` pt and headers 黑体 `header_size`; the page prints at `scale` (fit to
    width), so the printed cell size is size × scale (12 × 88% = 10.56 pt).
    """
    wb, ws = _workbook(number, title)
    n = len(columns)
    header_size = header_size or size
    hfont, dfont = Font(name=HEI, sz=header_size), Font(name=FANG, sz=size)
    widths, flex, weights = [], [], []
    for i, (label, key, em, align, *flags) in enumerate(columns):
        label_pt = max(text_em(part) for part in label.split("\n")) * header_size
        widths.append(max(units(em, size, align), units(label_pt / size, size, C)))
        if FLEX in flags:  # a number after FLEX is the column's share of the spare room (1 otherwise)
            flex.append(i)
            weights.append(next((f for f in flags if not isinstance(f, str)), 1))
    spread = fill_width(widths, flex, scale, weights=weights)
    head = _top(ws, number, title, n, "填报日期：{{ fill_date }}", _split(spread, text_em("填报日期：2023年12月31日")))
    for i, ((label, key, em, align, *_), width) in enumerate(zip(columns, spread), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        _style(ws.cell(row=head, column=i, value=label), hfont)
        cell = ws.cell(row=head + 1, column=i, value=f"{{{{ row.{key} }}}}")
        _style(cell, dfont, CENTER if align == C else LEFT)
    ws.row_dimensions[head].height = max(lines_height(label, header_size) for label, *_ in columns)
    ws.row_dimensions[head + 1].height = round(size * 1.85, 1)  # one line with air
    _merge(ws, head + 2, 1, n, "{{ total }}", Font(name=FANG, sz=size, bold=True),
           Alignment(horizontal="left", vertical="center", indent=1))
    ws.row_dimensions[head + 2].height = round(size * 2.1, 1)
    _finish(ws, n, (head, head), head + 3, f"C{head + 1}")
    return wb


def summary_table(number: int, title: str, groups: list, key_prefix: str, code_label,
                  name_em: float, min_em: float, sizes: tuple[float, float],
                  scale: float = 1.0, district: bool = False) -> Workbook:
    """A figures table: grouped headers, column numbers, the branch row(s) and the 合计 row.

    Each figure column is as wide as the longest line of its (explicitly broken) label, and holds
    `min_em` characters of figures (1.5: three digits; more shrink to fit); 党组织名称 holds `name_em`
    characters a line and wraps longer names. Room left on the page at `scale` is shared by the
    figure columns. The `district` variant (one row per branch) names its 填报单位 instead of a
    branch and says under 合计 what the rows leave out (branches without valid data: `{{ note }}`).
    """
    wb, ws = _workbook(number, title)
    codes = [code for _, cols in groups for code, _ in cols]
    n = len(codes) + 1
    head = _top(ws, number, title, n, "统计截止日期：{{ stats_date }}　　填报日期：{{ fill_date }}", n // 2,
                DISTRICT_LINE if district else ORG_LINE)
    hsize, dsize = sizes
    hfont, dfont = Font(name=HEI, sz=hsize), Font(name=FANG, sz=dsize)
    ws.column_dimensions["A"].width = units(name_em, dsize, L)
    _merge(ws, head, 1, 1, "党组织名称", hfont, end_row=head + 1)
    _style(ws.cell(row=head + 2, column=1, value="甲"), hfont)
    col, label_lines, alone_lines = 2, 1, 1
    for group, cols in groups:
        if group:
            _merge(ws, head, col, col + len(cols) - 1, group, hfont)
        for code, label in cols:
            em = max(text_em(part) for part in label.split("\n"))
            ws.column_dimensions[get_column_letter(col)].width = max(units(em, hsize), units(min_em, dsize))
            if group:
                _style(ws.cell(row=head + 1, column=col, value=label), hfont)
                label_lines = max(label_lines, len(label.split("\n")))
            else:
                _merge(ws, head, col, col, label, hfont, end_row=head + 1)
                alone_lines = max(alone_lines, len(label.split("\n")))
            _style(ws.cell(row=head + 2, column=col, value=code_label(code)), hfont)
            col += 1
    ws.row_dimensions[head].height = 24
    ws.row_dimensions[head + 1].height = max(lines_height("\n" * (label_lines - 1), hsize),
                                             lines_height("\n" * (alone_lines - 1), hsize) - 24)
    ws.row_dimensions[head + 2].height = 20
    data, total = head + 3, head + 4
    _style(ws.cell(row=data, column=1, value="{{ row.label }}"), dfont, LEFT)
    _style(ws.cell(row=total, column=1, value="合计"), Font(name=HEI, sz=dsize))
    for i, code in enumerate(codes, start=2):
        _style(ws.cell(row=data, column=i, value=f"{{{{ row.{key_prefix}{code} }}}}"), dfont, FIGURE)
        _style(ws.cell(row=total, column=i, value=f"{{{{ total.{key_prefix}{code} }}}}"),
               Font(name=FANG, sz=dsize, bold=True), FIGURE)
    ws.row_dimensions[data].height = round(dsize * 2.5, 1)
    ws.row_dimensions[total].height = round(dsize * 2.2, 1)
    letters = [get_column_letter(c) for c in range(1, n + 1)]
    spread = fill_width([ws.column_dimensions[x].width for x in letters], list(range(1, n)), scale, True)
    for letter, width in zip(letters, spread):
        ws.column_dimensions[letter].width = width
    if district:
        total += 1
        _merge(ws, total, 1, n, "{{ note }}", Font(name=FANG, sz=dsize),
               Alignment(horizontal="left", vertical="center", wrap_text=True), border=False)
        ws.row_dimensions[total].height = round(dsize * 2.1, 1)
    _finish(ws, n, (head, head + 2), total + 1, f"B{data}")
    return wb


def _workbook(number: int, title: str):
    wb = Workbook()
    # the default font sets the column-width unit (see UNIT_PT): 仿宋_GB2312 11, charset GB2312
    default = Font(name=FANG, sz=DEFAULT_FONT_PT, family=3, charset=134)
    wb._fonts = IndexedList([default])
    wb._named_styles["Normal"].font = default
    ws = wb.active
    ws.title = title
    props = wb.properties
    props.creator = props.lastModifiedBy = "Paicha"
    props.title = f"附件{number} {title}"
    props.created = props.modified = datetime(2023, 1, 1)
    return wb, ws


OUTGOING_SUMMARY = dict(number=6, title="外出流动党员情况汇总表", groups=OUTGOING_GROUPS, key_prefix="c",
                        code_label=lambda code: f"({code})", name_em=10, min_em=1.5, sizes=(12, 12))
CAMPAIGN_SUMMARY = dict(number=9, title="党员组织关系排查工作情况汇总表", groups=CAMPAIGN_GROUPS, key_prefix="",
                        code_label=lambda code: code, name_em=5, min_em=1.5, sizes=(10.5, 12))


def build() -> dict[str, Workbook]:
    return {
        "member_roster.xlsx": people_table(4, "党员名册", MEMBER_ROSTER),
        "outgoing_roster.xlsx": people_table(5, "外出流动党员名册", OUTGOING_ROSTER),
        "outgoing_summary.xlsx": summary_table(**OUTGOING_SUMMARY),
        "outgoing_summary_district.xlsx": summary_table(**OUTGOING_SUMMARY, district=True),
        "recontacted_register.xlsx": people_table(7, "经排查取得联系党员登记表", RECONTACTED),
        "unreachable_register.xlsx": people_table(8, "经排查无法取得联系党员登记表", UNREACHABLE),
        "campaign_summary.xlsx": summary_table(**CAMPAIGN_SUMMARY),
        # a district prints ~150 names: 8 characters a line (most on one line, none beyond two)
        # for 4 % of the scale (figures 10.4 pt, headers 9 pt printed)
        "campaign_summary_district.xlsx": summary_table(**{**CAMPAIGN_SUMMARY, "name_em": 8}, district=True),
    }


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, wb in build().items():
        buf = io.BytesIO()
        wb.save(buf)
        (OUT / name).write_bytes(fix_office_zip(buf.getvalue()))
        ws = wb.active
        widths = [ws.column_dimensions[get_column_letter(c)].width for c in range(1, ws.max_column + 1)]
        scale = print_scale(widths)
        sizes = sorted({c.font.sz for row in ws.iter_rows(min_row=4) for c in row if c.value and c.border.left.style})
        print("wrote", OUT / name, f"({sum(widths):.1f} units, prints at ~{scale:.0%}:",
              " / ".join(f"{sz:g}→{sz * scale:.2f} pt" for sz in sizes) + ")")


if __name__ == "__main__":
    main()
