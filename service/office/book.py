"""Several filled templates as ONE workbook, a sheet each, converted to PDF in one go.

LibreOffice embeds a subset of each font per converted document, and each conversion pays for
loading a document; six tables converted apart carry six copies of the same three subsets and pay
six loads. Joined in one workbook they are converted together (the print packet, and any PDFs of
several tables asked at once: service.documents.sheets). Each sheet keeps everything its own
template gave it (page setup and orientation, margins, print area, print titles, row breaks, header
and footer with the 校验码), and its page numbers start again at 1, so 「第 X 页，共 Y 页」 counts the
pages of its own table.

The sheets are moved, not copied: a filled sheet is taken from its workbook into the first one,
and its cells' style indices are re-pointed at the same fonts, fills, borders, alignments,
protections and number formats registered in the first workbook. The templates hold no
conditional formats, data validations, images or charts (architecture.md), which this does not carry.
"""
from __future__ import annotations

import re
from copy import copy
from dataclasses import dataclass

from openpyxl.styles.cell_style import StyleArray

from . import pagination, spreadsheet

CUSTOM_FORMATS = 164  # number formats below this id are Excel's built-in ones, the same everywhere
_PAGE_TOTAL = re.compile(r"(?<!&)((?:&&)*)&N")  # Excel's "number of pages" code, not an escaped "&&N"


@dataclass(frozen=True)
class Book:
    """The joined workbook and what its pages will say."""

    data: bytes  # deterministic XLSX
    totals: list[int]  # the page count printed on each sheet (共 Y 页)
    prints_totals: bool  # whether any header or footer prints 共 Y 页 (else `totals` need not be right)
    sheets: list[str]  # each sheet's name (LibreOffice bookmarks each sheet's first page with it)
    titles: list[str]  # the title of each joined workbook (its PDF's title when converted alone)


def render_book(parts: list[tuple[str, dict]], totals: list[int] | None = None) -> Book:
    """One workbook: each (template, context) filled, its sheets in order, as deterministic bytes.

    `totals` are each sheet's page counts, printed where its header or footer says &N (共 Y 页);
    without them they are estimated from the row heights (pagination.libreoffice_pages). The caller
    checks them against the converted PDF and renders again when one is wrong.
    """
    books = [spreadsheet.filled_workbook(template, context) for template, context in parts]
    titles = [wb.properties.title or "" for wb in books for _ in wb.worksheets]
    target = books[0]
    for source in books[1:]:
        for ws in list(source.worksheets):
            _move(ws, source, target)
    sheets = target.worksheets
    if totals is None:
        totals = [pagination.libreoffice_pages(ws) for ws in sheets]
    if len(totals) != len(sheets):
        raise ValueError(f"页数 {len(totals)} 个，工作表 {len(sheets)} 张")
    prints_totals = False
    for index, (ws, total) in enumerate(zip(sheets, totals)):
        ws.page_setup.useFirstPageNumber = True  # 第 1 页 on each table's first page
        ws.page_setup.firstPageNumber = 1
        for view in ws.views.sheetView:
            view.tabSelected = index == 0  # one selected sheet: not a group of sheets
        for part in spreadsheet.margin_parts(ws):
            if part.text and _PAGE_TOTAL.search(part.text):
                prints_totals = True
                part.text = _PAGE_TOTAL.sub(lambda m: m.group(1) + str(total), part.text)
    target.active = 0
    return Book(spreadsheet.workbook_bytes(target), list(totals), prints_totals, [ws.title for ws in sheets], titles)


def _move(ws, source, target) -> None:
    """Sheet `ws` of `source` becomes the last sheet of `target`, looking exactly as it did."""
    if ws.title in target.sheetnames:
        raise ValueError(f"合并工作簿时工作表名称重复：“{ws.title}”")
    memo: dict[tuple, StyleArray] = {}
    styled = list(ws._cells.values()) + list(ws.row_dimensions.values()) + list(ws.column_dimensions.values())
    for item in styled:
        if item.has_style:
            item._style = _restyled(item._style, source, target, memo)
    source._sheets.remove(ws)
    ws._parent = target
    target._add_sheet(ws)


def _restyled(style: StyleArray, source, target, memo: dict) -> StyleArray:
    """The same look as index `style` has in `source`, as indices into `target`'s style tables."""
    key = tuple(style)
    found = memo.get(key)
    if found is None:
        found = copy(style)
        found.fontId = target._fonts.add(source._fonts[style.fontId])
        found.fillId = target._fills.add(source._fills[style.fillId])
        found.borderId = target._borders.add(source._borders[style.borderId])
        found.alignmentId = target._alignments.add(source._alignments[style.alignmentId])
        found.protectionId = target._protections.add(source._protections[style.protectionId])
        if style.numFmtId >= CUSTOM_FORMATS:
            fmt = source._number_formats[style.numFmtId - CUSTOM_FORMATS]
            found.numFmtId = target._number_formats.add(fmt) + CUSTOM_FORMATS
        found.xfId = _named_style(style.xfId, source, target)
        memo[key] = found
    return copy(found)


def _named_style(index: int, source, target) -> int:
    """The index in `target` of the named style (Normal, 常规 …) a cell of `source` is based on.

    Cells carry their formatting themselves; the named style is only what they derive from, so a
    name the first workbook lacks falls back to its first (Normal) style."""
    try:
        name = source._named_styles[index].name
        return target._named_styles.names.index(name)
    except (IndexError, ValueError):
        return 0
