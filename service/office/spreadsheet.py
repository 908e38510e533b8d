"""Excel rendering: an openpyxl template from templates_xlsx/ filled with a context.

A template holds `{{ dotted.path }}` placeholders in cells and in its page header and footer text,
and ONE repeat row (the row whose cells use `{{ row.xxx }}`). The row is copied once per
`context["rows"]` item; everything below it (totals, footer, merged ranges, row heights, print
area, page breaks) moves down with it, so the styles, merged headers, print titles and page setup
a clerk gave the template survive.
Placeholders are looked up, never evaluated: user text is stored as a plain string, even when it
starts with `=` or looks like `{{ … }}`.
"""
from __future__ import annotations

import pickle
import threading
import re
from copy import copy
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter
from openpyxl.worksheet.cell_range import CellRange

from service.resources import package_dir

from . import sheet_table
from .cell_text import LINE_EM, lines as _lines, wrapped_height  # noqa: F401 (LINE_EM: tests read it here)
from .determinism import FIXED_TIME, office_zip

TEMPLATES = package_dir("templates_xlsx")
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_]\w*(?:\.\w+)*)\s*\}\}")
_ROW_MARK = re.compile(r"\{\{\s*row\.")
_FORMULA_LEADS = ("=", "+", "-", "@")


def template_path(name: str) -> Path:
    return TEMPLATES / name


def render_xlsx(template_name: str, context: dict, finish: Callable[[Any, range], None] | None = None) -> bytes:
    """The filled workbook as deterministic bytes; `finish(ws, records)` is then given each filled
    sheet and the rows its repeat row became (pagination.keep_end_with_rows)."""
    return workbook_bytes(filled_workbook(template_name, context, finish))


def filled_workbook(template_name: str, context: dict, finish: Callable[[Any, range], None] | None = None):
    """The template's openpyxl workbook with every sheet filled (what render_xlsx saves)."""
    wb = _template_workbook(template_path(template_name))
    for ws in wb.worksheets:
        records = _fill_sheet(ws, context)
        if finish is not None:
            finish(ws, records)
    return wb


def workbook_bytes(wb) -> bytes:
    """An openpyxl workbook as deterministic XLSX bytes: fixed times, one zip layout."""
    wb.properties.modified = datetime(*FIXED_TIME)  # what Workbook.save stamps (as now)
    sink = _Entries()
    ExcelWriter(wb, sink).save()  # Workbook.save's writer, given a sink instead of a zip file
    return office_zip(sink.entries)


class _Entries:
    """What openpyxl's writer sees as its zip archive: the parts, kept to be zipped once."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, bytes]] = []

    def writestr(self, name, data) -> None:
        name = getattr(name, "filename", name)
        self.entries.append((name, data.encode("utf-8") if isinstance(data, str) else data))

    def namelist(self) -> list[str]:
        return [name for name, _ in self.entries]

    def write(self, filename, arcname) -> None:
        self.entries.append((arcname, Path(filename).read_bytes()))

    def close(self) -> None:
        pass


_lock = threading.Lock()
_loaded: dict[str, tuple[tuple[int, int], bytes]] = {}


def _template_workbook(path: Path):
    """A fresh copy of the template workbook, parsed once per file version (mtime, size).

    Every render, the first included, unpickles the same snapshot, so the output does not depend on
    whether the cache was warm; an edited template is picked up by its next render.
    """
    st = path.stat()
    version = (st.st_mtime_ns, st.st_size)
    hit = _loaded.get(str(path))
    if hit is None or hit[0] != version:
        hit = (version, pickle.dumps(load_workbook(path), protocol=pickle.HIGHEST_PROTOCOL))
        with _lock:
            _loaded[str(path)] = hit
    wb = pickle.loads(hit[1])
    for ws in wb.worksheets:  # a defaultdict's factory does not survive pickling: bind it again
        ws.row_dimensions.default_factory = ws._add_row
        ws.column_dimensions.default_factory = ws._add_column
    return wb


def placeholders(template_name: str) -> set[str]:
    """Top-level names a template uses (for the test that every context provides them)."""
    wb = load_workbook(template_path(template_name))
    names: set[str] = set()
    for ws in wb.worksheets:
        texts = [cell.value for row in ws.iter_rows() for cell in row] + [p.text for p in margin_parts(ws)]
        for text in texts:
            if isinstance(text, str):
                names.update(m.group(1).split(".")[0] for m in PLACEHOLDER.finditer(text))
    return names


def margin_parts(ws) -> list:
    """The left, centre and right parts of every page header and footer of a sheet."""
    items = (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter, ws.firstHeader, ws.firstFooter)
    return [part for item in items for part in (item.left, item.center, item.right)]


def _fill_margins(ws, context: dict) -> None:
    """Placeholders in the page header and footer (the 校验码 every printed page carries); a value's
    `&` is doubled, so user text never becomes one of Excel's header codes (&P, &"font" …)."""
    for part in margin_parts(ws):
        if part.text and "{{" in part.text:
            part.text = PLACEHOLDER.sub(
                lambda m: _printed(_lookup(context, m.group(1))).replace("&", "&&"), part.text)


# --- the sheet ---------------------------------------------------------------------------


def _fill_sheet(ws, context: dict) -> range:
    """Fill the sheet; the rows the repeat row became (empty when it has none)."""
    _fill_margins(ws, context)
    rep = _repeat_row(ws)
    filled: set[int] = set()
    for row in ws.iter_rows():
        for cell in row:
            if cell.row != rep and _fill_cell(cell, context):
                filled.add(cell.row)
    if rep is None:
        for row in sorted(filled):  # the org line, the footer: a long name wraps in its merged area
            _fit_line_height(ws, row)
        return range(0)
    # ws[row] and ws.max_column scan every cell; the filler never writes right of the template's
    # last column, so that column is looked up once (per-row lookups made the fill O(rows²))
    cols = ws.max_column
    items = list(context.get("rows") or [])
    extra = max(len(items), 1) - 1
    _make_room(ws, rep, extra, cols)
    base_height = ws.row_dimensions[rep].height
    if not items:
        for cell in _row(ws, rep, cols):
            if isinstance(cell.value, str):
                _store(cell, PLACEHOLDER.sub("", cell.value))
    rows = []
    for offset, item in enumerate(items):
        scope = {**context, "row": item}
        rows.append(_row(ws, rep + offset, cols))
        for cell in rows[-1]:
            _fill_cell(cell, scope)
    sheet_table.fit_widths(ws, rep, rows, base_height)  # long records: the short columns give way
    widths = _span_widths(ws, rep, cols)  # every copy of the row has the template row's merges
    for offset, cells in enumerate(rows):
        _fit_height(ws, rep + offset, cells, widths, base_height)
    for row in sorted(filled):  # the org line, the footer (moved down below the records)
        _fit_line_height(ws, row + extra if row > rep else row)
    return range(rep, rep + max(len(items), 1))


def _row(ws, row: int, cols: int) -> tuple:
    """The cells of a row from column A to `cols`, what ws[row] gives without its full scan."""
    return tuple(ws.cell(row=row, column=c) for c in range(1, cols + 1))


def _repeat_row(ws) -> int | None:
    """The one row whose cells use `{{ row.… }}`; a template with two is a template error."""
    marked = {c.row for r in ws.iter_rows() for c in r
              if isinstance(c.value, str) and _ROW_MARK.search(c.value)}
    if len(marked) > 1:
        raise ValueError(f"模板工作表“{ws.title}”中有多行含 row 占位符：{sorted(marked)}")
    return marked.pop() if marked else None


def _fill_cell(cell, scope: dict) -> bool:
    """Fill the cell's placeholders; whether it had any."""
    text = cell.value
    if not isinstance(text, str) or "{{" not in text:
        return False
    whole = PLACEHOLDER.fullmatch(text.strip())
    if whole:
        value = _lookup(scope, whole.group(1))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            cell.value = value
            return True
        _store(cell, _printed(value))
        return True
    _store(cell, PLACEHOLDER.sub(lambda m: _printed(_lookup(scope, m.group(1))), text))
    return True


def _lookup(scope: dict, path: str):
    value = scope
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif not isinstance(value, dict) and hasattr(value, part):
            value = getattr(value, part)
        else:
            raise KeyError(f"模板占位符 {{{{ {path} }}}} 在数据中没有对应的值")
    return value


def _printed(value) -> str:
    return "" if value is None else str(value)


def _store(cell, text: str) -> None:
    """A plain string cell: never a formula or an error value, whatever the text looks like."""
    cell.value = text
    cell.data_type = "s"
    if text.startswith(_FORMULA_LEADS):
        cell.quotePrefix = True  # Excel keeps it text even when the clerk edits the cell
    if "\n" in text and not cell.alignment.wrap_text:
        align = copy(cell.alignment)
        align.wrap_text = True
        cell.alignment = align


# --- making room for the records ---------------------------------------------------------


def _make_room(ws, rep: int, extra: int, cols: int) -> None:
    """Copy row `rep` `extra` times below itself and move everything under it down."""
    if extra <= 0:
        return
    moved = [r for r in ws.merged_cells.ranges if r.max_row > rep]
    in_row = [r for r in ws.merged_cells.ranges if r.min_row == r.max_row == rep]
    for r in moved:
        ws.merged_cells.remove(r)
    last = ws.max_row
    heights = {i: (ws.row_dimensions[i].height, ws.row_dimensions[i].hidden)
               for i in range(rep, last + 1)}
    ws.insert_rows(rep + 1, extra)
    for i in range(last, rep, -1):
        _set_height(ws, i + extra, *heights[i])
    template = _row(ws, rep, cols)
    for k in range(1, extra + 1):
        _set_height(ws, rep + k, *heights[rep])
        for src in template:
            dst = ws.cell(row=rep + k, column=src.column)
            dst.value = src.value
            dst._style = copy(src._style)
        for r in in_row:
            ws.merge_cells(start_row=rep + k, end_row=rep + k,
                           start_column=r.min_col, end_column=r.max_col)
    for r in moved:
        top = r.min_row + extra if r.min_row > rep else r.min_row
        ws.merge_cells(start_row=top, end_row=r.max_row + extra,
                       start_column=r.min_col, end_column=r.max_col)
    _shift_print_area(ws, rep, extra)
    for brk in ws.row_breaks.brk:
        if brk.id >= rep:
            brk.id += extra


def _set_height(ws, row: int, height, hidden) -> None:
    dim = ws.row_dimensions[row]
    dim.height = height
    dim.hidden = hidden


def _shift_print_area(ws, rep: int, extra: int) -> None:
    area = ws._print_area
    if not area or not area.ranges:
        return
    ranges = []
    for r in area.ranges:
        r = CellRange(r.coord)
        if r.max_row >= rep:
            r.expand(down=extra)
        ranges.append(r.coord)
    ws.print_area = ranges


# --- row heights for wrapped text --------------------------------------------------------


def _span_widths(ws, row: int, cols: int) -> dict[int, float]:
    """Printed width of each column of `row`, a merged span counting as its first column."""
    spans = {r.min_col: r.max_col for r in ws.merged_cells.ranges if r.min_row == r.max_row == row}
    return {col: sum(_col_width(ws, c) for c in range(col, spans.get(col, col) + 1))
            for col in range(1, cols + 1)}


def _fit_height(ws, row: int, cells, widths: dict[int, float], base: float | None) -> None:
    """A height that shows every line of wrapped text (Excel does not re-fit saved rows).

    Lines are counted conservatively (see _lines). A line is taken as 1.25 em, what Excel and WPS
    give 仿宋_GB2312 (LibreOffice sets its 仿宋 closer, about 1.0 em, so it gets more air), and the
    row adds half a line of air in all, since the text is centred vertically.
    """
    needed = 0.0
    for cell in cells:
        if isinstance(cell, MergedCell) or not isinstance(cell.value, str) or not cell.value:
            continue
        size = float(cell.font.sz or 11)
        align = cell.alignment
        lines = _lines(cell.value, widths[cell.column], size, align.indent or 0) if align.wrap_text else 1
        if lines > 1:  # one line fits whatever height the template gave the row
            needed = max(needed, wrapped_height(lines, size))
    if needed and needed > (base or 15):
        ws.row_dimensions[row].height = round(needed, 1)


def _fit_line_height(ws, row: int) -> None:
    """Row `row` (outside the repeat row) made tall enough for its wrapped text cells.

    The org line and the footer are merged blocks that wrap: a 50-character 党组织名称 or two
    30-character names take a second line inside the block instead of being cut at its edge.
    """
    spans = {r.min_col: r.max_col for r in ws.merged_cells.ranges if r.min_row == r.max_row == row}
    tall = {r.min_col for r in ws.merged_cells.ranges if r.min_row == row < r.max_row}  # has its own rows
    needed = 0.0
    for col in range(1, ws.max_column + 1):
        cell = ws.cell(row=row, column=col)
        if col in tall or isinstance(cell, MergedCell) or not isinstance(cell.value, str) or not cell.value:
            continue
        if not cell.alignment.wrap_text:
            continue
        size = float(cell.font.sz or 11)
        width = sum(_col_width(ws, c) for c in range(col, spans.get(col, col) + 1))
        lines = _lines(cell.value, width, size, cell.alignment.indent or 0)
        if lines > 1:
            needed = max(needed, wrapped_height(lines, size))
    if needed > (ws.row_dimensions[row].height or 15):
        ws.row_dimensions[row].height = round(needed, 1)


def _col_width(ws, col: int) -> float:
    dim = ws.column_dimensions.get(get_column_letter(col))
    return dim.width if dim is not None and dim.width else 8.43
