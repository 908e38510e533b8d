"""Build the Excel templates of 附件4–附件9 (templates_xlsx/*.xlsx) from the layouts in forms.md §3.

The files are the source of truth once built: a district that wants a column changed edits the
.xlsx in Excel or WPS. This script exists so the first version is reproducible and reviewable.
Run: .venv/bin/python tools/build_xlsx_templates.py
"""
from __future__ import annotations

import io
import sys
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from service.documents.determinism import fix_office_zip  # noqa: E402

OUT = ROOT / "templates_xlsx"
HEI, SONG_TITLE, FANG = "黑体", "方正小标宋简体", "仿宋_GB2312"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
C, L = "c", "l"

# (header, row key, width, alignment) per column, in printed order
MEMBER_ROSTER = [
    ("序号", "seq", 5, C), ("姓名", "name", 9, C), ("性别", "gender", 5, C),
    ("民族", "ethnicity", 7, C), ("出生年月", "birth", 9, C), ("公民身份号码", "id_number", 20.5, C),
    ("学历", "education", 9, C), ("入党时间", "join_date", 9, C), ("转正时间", "full_member_date", 9, C),
    ("党员类别", "member_type", 9, C), ("人员类别", "person_category", 10.5, C),
    ("工作岗位（职务）", "job_post", 14, L), ("联系电话", "phone", 14, C),
    ("是否流动党员", "outgoing", 7, C), ("是否失联党员", "lost", 7, C), ("备注", "remarks", 20, L),
]
OUTGOING_ROSTER = [
    ("序号", "seq", 5, C), ("姓名", "name", 8, C), ("性别", "gender", 4.5, C),
    ("出生年月", "birth", 8.5, C), ("入党时间", "join_date", 8.5, C), ("党员类别", "member_type", 8.5, C),
    ("工作岗位（原职业）", "job_post", 11, L), ("外出时间", "left_date", 8.5, C),
    ("外出地点", "place", 20, L), ("外出流向", "band", 8.5, C), ("外出原因", "reason", 8.5, C),
    ("外出时长", "months", 7.5, C), ("是否持流动党员活动证", "flow_card", 9, C),
    ("流入地党组织", "host_org", 16, L), ("是否保持联系", "in_contact", 7, C),
    ("联系方式", "contact", 12, C), ("组织关系处理", "relation_action", 10, C), ("备注", "remarks", 12, L),
]
LOST_HEAD = [
    ("序号", "seq", 5, C), ("姓名", "name", 8, C), ("性别", "gender", 4.5, C),
    ("出生年月", "birth", 8.5, C), ("公民身份号码", "id_number", 20.5, C), ("入党时间", "join_date", 8.5, C),
    ("党员类别", "member_type", 8.5, C), ("党组织类别", "org_category", 7.5, C),
    ("失去联系时间", "lost_duration", 9, C), ("失去联系情形", "situation", 11, C),
]
RECONTACTED = LOST_HEAD + [
    ("取得联系时间", "contacted_date", 8.5, C), ("现工作单位或居住地", "whereabouts", 18, L),
    ("联系方式", "contact", 12, C), ("处理情况", "handling", 10, C), ("备注", "remarks", 12, L),
]
UNREACHABLE = LOST_HEAD + [
    ("最后已知去向", "whereabouts", 15, L), ("查找方式及情况", "search", 32, L),
    ("处理情况", "handling", 11, C), ("备注", "remarks", 11, L),
]

# grouped headers of the summary tables: (group or None, [(code, label), …])
OUTGOING_GROUPS = [
    (None, [("1", "外出流动党员总数")]),
    ("其中", [("2", "正式党员"), ("3", "预备党员")]),
    ("外出流向", [("4", "本区内"), ("5", "市内跨区"), ("6", "省内跨市"), ("7", "跨省"), ("8", "出国（境）")]),
    ("外出时长", [("9", "不满6个月"), ("10", "6个月及以上")]),
    ("外出原因", [("11", "务工经商"), ("12", "学习进修"), ("13", "异地居住"), ("14", "其他")]),
    (None, [("15", "持流动党员活动证")]), (None, [("16", "保持联系")]),
    (None, [("17", "失去联系")]), (None, [("18", "应转未转组织关系")]),
]
CAMPAIGN_GROUPS = [
    ("基本情况", [("A1", "党员总数"), ("A2", "正式党员"), ("A3", "预备党员"), ("A4", "在岗教职工"),
              ("A5", "离退休人员"), ("A6", "其他")]),
    ("信息核实", [("B1", "已核实"), ("B2", "信息有误已更正"), ("B3", "转出未收到回执")]),
    ("流动党员", [("C1", "外出流动党员"), ("C2", "持活动证"), ("C3", "应转未转"), ("C4", "已转移组织关系")]),
    ("空挂党员", [("D1", "排查出"), ("D2", "已理顺"), ("D3", "未理顺")]),
    ("失联党员", [("E1", "失联"), ("E2", "经排查取得联系"), ("E3", "仍无法取得联系")]),
    ("组织处置", [("F1", "恢复正常管理"), ("F2", "转移组织关系"), ("F3", "限期改正"), ("F4", "劝其退党或除名"),
              ("F5", "停止党籍"), ("F6", "取消或不再保留预备党员资格"), ("F7", "继续查找"), ("F8", "其他")]),
    ("出国（境）", [("G1", "出国（境）党员"), ("G2", "已办理手续"), ("G3", "未办理手续")]),
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


def _top(ws, number: int, title: str, ncols: int, right_text: str) -> int:
    """附件N, the title and the org/date line; returns the first header row."""
    ws["A1"] = f"附件{number}"
    ws["A1"].font = Font(name=HEI, sz=16)
    ws["A1"].alignment = Alignment(horizontal="left", vertical="center")
    ws.row_dimensions[1].height = 27
    _merge(ws, 2, 1, ncols, title, Font(name=SONG_TITLE, sz=20), CENTER, border=False)
    ws.row_dimensions[2].height = 40
    split = max(2, ncols * 3 // 5)
    line = Font(name=FANG, sz=12)
    _merge(ws, 3, 1, split, "党组织名称（盖章）：{{ org.full_name }}", line,
           Alignment(horizontal="left", vertical="center"), border=False)
    _merge(ws, 3, split + 1, ncols, right_text, line,
           Alignment(horizontal="right", vertical="center"), border=False)
    ws.row_dimensions[3].height = 26
    return 4


def _finish(ws, ncols: int, header_rows: tuple[int, int], footer_row: int, freeze: str) -> None:
    """Footer line, print titles, A4 landscape fitted to the width, frozen header."""
    _merge(ws, footer_row, 1, ncols, FOOTER, Font(name=FANG, sz=12),
           Alignment(horizontal="left", vertical="center"), border=False)
    ws.row_dimensions[footer_row].height = 28
    ws.print_title_rows = f"{header_rows[0]}:{header_rows[1]}"
    ws.freeze_panes = freeze
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = FANG
    ws.oddFooter.center.size = 10


def people_table(number: int, title: str, columns: list, data_size: float = 11) -> Workbook:
    """A register with one header row, the repeat row, `合计：N 人` and the footer."""
    wb, ws = _workbook(number, title)
    n = len(columns)
    head = _top(ws, number, title, n, "填报日期：{{ fill_date }}")
    hfont, dfont = Font(name=HEI, sz=data_size), Font(name=FANG, sz=data_size)
    for i, (label, key, width, align) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        _style(ws.cell(row=head, column=i, value=label), hfont)
        cell = ws.cell(row=head + 1, column=i, value=f"{{{{ row.{key} }}}}")
        _style(cell, dfont, CENTER if align == C else LEFT)
    ws.row_dimensions[head].height = 42
    ws.row_dimensions[head + 1].height = 26
    _merge(ws, head + 2, 1, n, "{{ total }}", Font(name=FANG, sz=data_size, bold=True),
           Alignment(horizontal="left", vertical="center", indent=1))
    ws.row_dimensions[head + 2].height = 26
    _finish(ws, n, (head, head), head + 3, f"C{head + 1}")
    return wb


def summary_table(number: int, title: str, groups: list, key_prefix: str, code_label,
                  widths: tuple[float, float], sizes: tuple[float, float], label_height: float) -> Workbook:
    """A figures table: grouped headers, column numbers, the branch row(s) and the 合计 row."""
    wb, ws = _workbook(number, title)
    codes = [code for _, cols in groups for code, _ in cols]
    n = len(codes) + 1
    head = _top(ws, number, title, n, "统计截止日期：{{ stats_date }}　　填报日期：{{ fill_date }}")
    hsize, dsize = sizes
    hfont, dfont = Font(name=HEI, sz=hsize), Font(name=FANG, sz=dsize)
    ws.column_dimensions["A"].width = widths[0]
    _merge(ws, head, 1, 1, "党组织名称", hfont, end_row=head + 1)
    _style(ws.cell(row=head + 2, column=1, value="甲"), hfont)
    col = 2
    for group, cols in groups:
        if group:
            _merge(ws, head, col, col + len(cols) - 1, group, hfont)
        for code, label in cols:
            ws.column_dimensions[get_column_letter(col)].width = widths[1]
            if group:
                _style(ws.cell(row=head + 1, column=col, value=label), hfont)
            else:
                _merge(ws, head, col, col, label, hfont, end_row=head + 1)
            _style(ws.cell(row=head + 2, column=col, value=code_label(code)), hfont)
            col += 1
    ws.row_dimensions[head].height = 24
    ws.row_dimensions[head + 1].height = label_height
    ws.row_dimensions[head + 2].height = 20
    data, total = head + 3, head + 4
    _style(ws.cell(row=data, column=1, value="{{ row.label }}"), dfont, LEFT)
    _style(ws.cell(row=total, column=1, value="合计"), Font(name=HEI, sz=dsize))
    for i, code in enumerate(codes, start=2):
        _style(ws.cell(row=data, column=i, value=f"{{{{ row.{key_prefix}{code} }}}}"), dfont)
        _style(ws.cell(row=total, column=i, value=f"{{{{ total.{key_prefix}{code} }}}}"),
               Font(name=FANG, sz=dsize, bold=True))
    ws.row_dimensions[data].height = 26
    ws.row_dimensions[total].height = 26
    _finish(ws, n, (head, head + 2), total + 1, f"B{data}")
    return wb


def _workbook(number: int, title: str):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    props = wb.properties
    props.creator = props.lastModifiedBy = "Paicha"
    props.title = f"附件{number} {title}"
    props.created = props.modified = datetime(2023, 1, 1)
    return wb, ws


def build() -> dict[str, Workbook]:
    return {
        "member_roster.xlsx": people_table(4, "党员名册", MEMBER_ROSTER),
        "outgoing_roster.xlsx": people_table(5, "外出流动党员名册", OUTGOING_ROSTER, 10.5),
        "outgoing_summary.xlsx": summary_table(
            6, "外出流动党员情况汇总表", OUTGOING_GROUPS, "c", lambda code: f"({code})",
            widths=(20, 7.2), sizes=(10.5, 11), label_height=60),
        "recontacted_register.xlsx": people_table(7, "经排查取得联系党员登记表", RECONTACTED, 10.5),
        "unreachable_register.xlsx": people_table(8, "经排查无法取得联系党员登记表", UNREACHABLE, 10.5),
        "campaign_summary.xlsx": summary_table(
            9, "党员组织关系排查工作情况汇总表", CAMPAIGN_GROUPS, "", lambda code: code,
            widths=(16, 4.6), sizes=(9, 10.5), label_height=110),
    }


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, wb in build().items():
        buf = io.BytesIO()
        wb.save(buf)
        (OUT / name).write_bytes(fix_office_zip(buf.getvalue()))
        print("wrote", OUT / name)


if __name__ == "__main__":
    main()
