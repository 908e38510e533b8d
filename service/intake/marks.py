"""The clerk's own workbook back, with every error cell filled red and the message as a comment."""
from __future__ import annotations

import io
from collections import defaultdict

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from .reader import CellError, fold

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")
LIST_SHEET = "错误清单"
AUTHOR = "排查文书系统"


def marked_workbook(original: bytes, errors: list[CellError], warnings: list[CellError] = ()) -> bytes:
    """A copy of `original` with errors red (warnings yellow), each cell commented, and a 错误清单 sheet."""
    wb = load_workbook(io.BytesIO(original))
    sheets = {fold(name): name for name in wb.sheetnames}
    notes: dict[tuple[str, str], list[str]] = defaultdict(list)
    fills: dict[tuple[str, str], PatternFill] = {}
    for items, fill, prefix in ((warnings, WARNING_FILL, "提示："), (errors, ERROR_FILL, "错误：")):
        for item in items:
            name = sheets.get(fold(item.sheet)) if item.sheet else None
            if name and item.cell:
                notes[(name, item.cell)].append(prefix + (item.detail or item.message))
                fills[(name, item.cell)] = fill  # errors come last and win
    for (name, coordinate), lines in notes.items():
        cell = wb[name][coordinate]
        cell.fill = fills[(name, coordinate)]
        text = "\n".join(lines)
        comment = Comment(text, AUTHOR)
        comment.width = 320
        comment.height = 60 + 20 * (len(text) // 22 + len(lines))
        cell.comment = comment
    _error_list(wb, list(errors), list(warnings), sheets)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _error_list(wb, errors, warnings, sheets) -> None:
    if LIST_SHEET in wb.sheetnames:
        del wb[LIST_SHEET]
    ws = wb.create_sheet(LIST_SHEET, 0)
    ws.append(["类别", "工作表", "行", "列", "单元格", "说明"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for kind, items in (("错误", errors), ("提示", warnings)):
        for item in items:
            ws.append([kind, item.sheet or "", item.row or "", item.column or "", item.cell or "", item.detail or item.message])
            row = ws.max_row
            for cell in ws[row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
            ws.cell(row, 6).alignment = Alignment(wrap_text=True, vertical="top")
            target = sheets.get(fold(item.sheet)) if item.sheet else None
            if target and item.cell:
                link = ws.cell(row, 5)
                link.hyperlink = f"#'{target}'!{item.cell}"
                link.font = Font(color="0563C1", underline="single")
            if kind == "错误":
                ws.cell(row, 1).fill = ERROR_FILL
    for letter, width in zip("ABCDEF", (6, 12, 6, 18, 8, 80)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    for sheet in wb.worksheets:  # one selected tab, or Excel groups the sheets
        sheet.sheet_view.tabSelected = sheet is ws
    wb.active = 0
