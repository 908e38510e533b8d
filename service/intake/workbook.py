"""The clerk's 数据采集表.xlsx: blank, or filled from a contract dataset, both driven by `spec.SHEETS`."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from service.office.determinism import fix_office_zip

from . import guide
from .spec import (
    EXAMPLE_MARK, EXAMPLE_ROW, FIRST_DATA_ROW, GUIDE_SHEET, HEADER_ROW, HINT_ROW,
    LAST_VALIDATED_ROW, LISTS_SHEET, MARK_HEADER, MEMBER_REF, NAME_CHECK, SHEETS, Sheet,
)
from .values import cell_value, column_format

FONT = "宋体"
HEADER_FONT = Font(name=FONT, bold=True, size=11)
HINT_REQUIRED = Font(name=FONT, size=9, color="C00000")
HINT_OPTIONAL = Font(name=FONT, size=9, color="595959")
EXAMPLE_FONT = Font(name=FONT, italic=True, color="808080")
DATA_FONT = Font(name=FONT, size=11)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HINT_FILL = PatternFill("solid", fgColor="F2F2F2")
EXAMPLE_FILL = PatternFill("solid", fgColor="F7F7F7")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP_TOP = Alignment(vertical="top", wrap_text=True)
LEFT_TOP = Alignment(horizontal="left", vertical="top", wrap_text=True)
UNLOCKED = Protection(locked=False)
FORMULA_STARTS = ("=", "+", "-", "@")


def blank_workbook() -> bytes:
    """The empty 数据采集表 a clerk downloads."""
    return _build({})


def filled_workbook(data: dict) -> bytes:
    """The 数据采集表 holding a contract dataset (JSON form); reading it gives the dataset back."""
    return _build(data or {})


def _build(data: dict) -> bytes:
    wb = Workbook()
    _guide_sheet(wb.active)
    lists = _lists_sheet(wb)
    for spec in SHEETS:
        ws = wb.create_sheet(spec.name)
        if spec.layout == "kv":
            _kv_sheet(ws, spec, data, lists)
        else:
            _table_sheet(ws, spec, list(records(data, spec)), lists)
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames))
    wb.active = 0
    out = io.BytesIO()
    wb.save(out)
    return fix_office_zip(out.getvalue())


def records(data: dict, spec: Sheet):
    """(member dict or None, record dict) for each row of a table sheet, in contract order."""
    found = [(None, data)]
    for segment in spec.base.split("."):
        name, many = segment.rstrip("[]"), segment.endswith("[]")
        nxt = []
        for member, obj in found:
            value = obj.get(name) if isinstance(obj, dict) else None
            items = (value or []) if many else ([value] if value else [])
            for item in items:
                if isinstance(item, dict):
                    nxt.append((item if name == "members" else member, item))
        found = nxt
    return found


def get_path(obj, path: str):
    """obj['a']['b'] for 'a.b', None where anything is missing."""
    for key in path.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def write(cell, value, number_format: str | None = None) -> None:
    """Set a cell so that text is always text: `=1+1` typed by a user never becomes a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    if number_format:
        cell.number_format = number_format


def _guide_sheet(ws) -> None:
    ws.title = GUIDE_SHEET
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 96
    for row, (left, right) in enumerate(guide.rows(), 1):
        a, b = ws.cell(row, 1), ws.cell(row, 2)
        write(a, left or None)
        write(b, right or None)
        if row == 1:
            a.font = Font(name=FONT, bold=True, size=16)
            ws.row_dimensions[row].height = 30
        elif left and not right:
            a.font = Font(name=FONT, bold=True, size=12, color="1F4E78")
            ws.row_dimensions[row].height = 24
        else:
            a.font = Font(name=FONT, bold=True)
            b.font = Font(name=FONT)
            lines = max(1, len(right) // 44 + 1)
            ws.row_dimensions[row].height = 16 * lines + 4
        a.alignment = Alignment(vertical="top")
        b.alignment = WRAP_TOP
    ws.protection.sheet = True
    ws.sheet_view.showGridLines = False
    _printable(ws, landscape=False)


def _lists_sheet(wb) -> dict[tuple[str, ...], str]:
    """A hidden sheet holding every dropdown list; returns values → defined name."""
    ws = wb.create_sheet(LISTS_SHEET)
    names: dict[tuple[str, ...], str] = {}
    for spec in SHEETS:
        for column in spec.columns:
            if column.values and column.values not in names:
                col = len(names) + 1
                letter = get_column_letter(col)
                for row, value in enumerate(column.values, 1):
                    write(ws.cell(row, col), value)
                name = f"LIST{col}"
                ref = f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(column.values)}"
                wb.defined_names[name] = DefinedName(name, attr_text=ref)
                names[column.values] = name
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    return names


def _dropdown(ws, column, ref: str, lists) -> None:
    dv = DataValidation(type="list", formula1=lists[column.values], allow_blank=True)
    dv.error = "请从下拉列表中选择"
    dv.errorTitle = "输入有误"
    dv.prompt = column.hint_text
    dv.promptTitle = column.header[:32]
    dv.showErrorMessage = True
    dv.showInputMessage = False
    dv.add(ref)
    ws.add_data_validation(dv)


def _printable(ws, landscape: bool) -> None:
    """Printed on A4, as wide as the page, header rows repeated."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _protect(ws) -> None:
    """Headers locked, data cells editable; rows may be inserted and columns resized."""
    _printable(ws, landscape=ws.max_column > 3)
    p = ws.protection
    p.sheet = True
    p.formatColumns = p.formatRows = p.formatCells = False
    p.insertRows = p.deleteRows = False
    p.sort = p.autoFilter = False


def _kv_sheet(ws, spec: Sheet, data: dict, lists) -> None:
    for col, (title, width) in enumerate((("项目", 26), ("内容", 46), ("填写要求", 60)), 1):
        cell = ws.cell(HEADER_ROW, col)
        write(cell, title)
        cell.font, cell.fill, cell.border, cell.alignment = HEADER_FONT, HEADER_FILL, BOX, WRAP_CENTER
        ws.column_dimensions[get_column_letter(col)].width = width
    for row, column in enumerate(spec.columns, HEADER_ROW + 1):
        label, value_cell, hint = ws.cell(row, 1), ws.cell(row, 2), ws.cell(row, 3)
        write(label, column.header)
        label.font = Font(name=FONT, bold=column.required)
        value, fmt = cell_value(column, get_path(data, column.path))
        write(value_cell, value, fmt)
        value_cell.protection = UNLOCKED
        value_cell.font = DATA_FONT
        value_cell.alignment = LEFT_TOP
        write(hint, column.hint_text)
        hint.font = HINT_REQUIRED if column.required else HINT_OPTIONAL
        hint.alignment = WRAP_TOP
        for cell in (label, value_cell, hint):
            cell.border = BOX
        long_text = column.kind == "lines" or (column.kind == "text" and "：" in column.header)
        ws.row_dimensions[row].height = 60 if long_text else 20
        if column.values:
            _dropdown(ws, column, value_cell.coordinate, lists)
    ws.freeze_panes = "A2"
    _protect(ws)


def _table_sheet(ws, spec: Sheet, rows: list, lists) -> None:
    headers = [(MARK_HEADER, 6)] + [(c.header, c.width) for c in spec.columns]
    for col, (title, width) in enumerate(headers, 1):
        letter = get_column_letter(col)
        dim = ws.column_dimensions[letter]
        dim.width = width
        dim.protection = UNLOCKED  # cells below the header rows are editable
        dim.number_format = "@" if col == 1 else column_format(spec.columns[col - 2])
        cell = ws.cell(HEADER_ROW, col)
        write(cell, title)
        cell.font, cell.fill, cell.border, cell.alignment = HEADER_FONT, HEADER_FILL, BOX, WRAP_CENTER
    ws.row_dimensions[HEADER_ROW].height = 36
    ws.row_dimensions[HINT_ROW].height = 66
    _locked_row(ws, HINT_ROW, [("填写要求", "@")] + [(c.hint_text, "@") for c in spec.columns], hint=spec)
    example = [(EXAMPLE_MARK, "@")] + [cell_value(c, c.example) for c in spec.columns]
    _locked_row(ws, EXAMPLE_ROW, example)
    for offset, (member, record) in enumerate(rows):
        row = FIRST_DATA_ROW + offset
        for col, column in enumerate(spec.columns, 2):
            if column.path == MEMBER_REF:
                raw = (member or {}).get("id_number")
            elif column.path == NAME_CHECK:
                raw = (member or {}).get("name")
            else:
                raw = get_path(record, column.path)
            value, fmt = cell_value(column, raw)
            cell = ws.cell(row, col)
            write(cell, value, fmt)
            cell.protection = UNLOCKED
            if column.kind == "lines":
                cell.alignment = WRAP_TOP
    for col, column in enumerate(spec.columns, 2):
        if column.values:
            letter = get_column_letter(col)
            _dropdown(ws, column, f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_VALIDATED_ROW}", lists)
    frozen = 1 + next((i + 1 for i, c in enumerate(spec.columns) if c.header == "姓名"), 0)
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW - 1, frozen + 1).coordinate
    ws.print_title_rows = f"{HEADER_ROW}:{HINT_ROW}"
    _protect(ws)


def _locked_row(ws, row: int, values: list, hint: Sheet | None = None) -> None:
    for col, (value, fmt) in enumerate(values, 1):
        cell = ws.cell(row, col)
        write(cell, value, fmt)
        cell.protection = Protection(locked=True)
        cell.border = BOX
        if hint is not None:
            required = col > 1 and hint.columns[col - 2].required
            cell.font = HINT_REQUIRED if required else HINT_OPTIONAL
            cell.fill = HINT_FILL
            cell.alignment = WRAP_CENTER
        else:
            cell.font = EXAMPLE_FONT
            cell.fill = EXAMPLE_FILL
            if col == 1:
                cell.alignment = Alignment(horizontal="center")
