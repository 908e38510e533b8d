"""How far a workbook's cells reach, found before calamine lays each sheet out as a dense grid.

calamine allocates rows × columns cells for a sheet's used range: one stray value at XFD20000 in a
5 KB .xlsx asks for 10 GB and aborts the process, which no `except` catches. So the cells that hold
a value are located first (the worksheet XML of an .xlsx, the cell records of an Excel 97 stream,
the repeated cells and rows of an .ods) and a sheet reaching too far is refused, naming its
farthest cell. Cells with only a format do not count: calamine leaves them out too. An Excel 97
stream that is encrypted (FILEPASS) is a password-protected workbook. (.xlsb is not checked.)
"""
from __future__ import annotations

import io
import re
import struct
import zipfile

import olefile
from openpyxl.utils import column_index_from_string, get_column_letter

from service.errors import BadRoster

MAX_CELLS = 2_000_000  # a district's roster: 3,000 rows × 30 columns = 90,000

# a cell with a reference and a value (<v>, inline <is>, or a formula) inside; prefixes allowed
_XLSX_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*(?<!/)>\s*<(?:\w+:)?(?:v|is|f)\b')
_WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")

# OpenDocument repeats a cell or a row by an attribute: a valued cell repeated across thousands of
# columns, or a row with values repeated over tens of thousands of rows, is the same blow-up
_ODS_WIDE_CELL = re.compile(rb'<table:table-cell(?=[^>]*number-columns-repeated="([0-9]+)")(?=[^>]*office:value-type)')
_ODS_TALL_ROW = re.compile(rb'<table:table-row[^>]*number-rows-repeated="([0-9]+)"[^>]*>(.*?)</table:table-row>', re.S)

_BOF, _FILEPASS, _MULRK = 0x0809, 0x002F, 0x00BD
# FORMULA, LABELSST, NUMBER, LABEL, BOOLERR, RK, RSTRING: row and column are their first four bytes
_CELLS = {0x0006, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E, 0x00D6}


def too_far(rows: int, columns: int) -> BadRoster:
    far = f"{get_column_letter(columns)}{rows}"
    return BadRoster(f"工作簿中有工作表的内容一直延伸到 {far} 单元格（{rows} 行 × {columns} 列），远超一份党员名册："
                     "可能是远处的单元格里误填了内容。请删除表格右侧和下方多余的行、列后保存，再上传")


def check_xlsx(content: bytes) -> None:
    """Refuse an .xlsx whose valued cells span more than MAX_CELLS on any sheet."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if not _WORKSHEET.match(name):
                continue
            cells = _XLSX_CELL.findall(archive.read(name))
            if not cells:
                continue
            rows = max(int(row) for _, row in cells)
            columns = column_index_from_string(max((c for c, _ in cells), key=lambda c: (len(c), c)).decode())
            if rows * columns > MAX_CELLS:
                raise too_far(rows, columns)


def check_ods(content: bytes) -> None:
    """Refuse an .ods that repeats a valued cell or row far beyond a roster's size."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("content.xml") if "content.xml" in archive.namelist() else b""
    columns = max((int(n) for n in _ODS_WIDE_CELL.findall(xml)), default=0)
    rows = max((int(n) for n, body in _ODS_TALL_ROW.findall(xml) if b"office:value-type" in body), default=0)
    if columns > 1000 or rows * max(columns, 1) > MAX_CELLS:
        raise too_far(max(rows, 1), max(columns, 1))


def check_xls(content: bytes, password_message: str) -> None:
    """Refuse an Excel 97 workbook whose cells span more than MAX_CELLS on a sheet, or that is encrypted."""
    with olefile.OleFileIO(content) as ole:
        stream = "Workbook" if ole.exists("Workbook") else "Book"
        data = ole.openstream(stream).read()
    rows = columns = pos = 0
    while pos + 4 <= len(data):
        kind, size = struct.unpack_from("<HH", data, pos)
        body = data[pos + 4:pos + 4 + size]
        pos += 4 + size
        if kind == _FILEPASS:
            raise BadRoster(password_message)
        if kind == _BOF:  # a sheet's substream begins
            _check_extent(rows, columns)
            rows = columns = 0
        elif (kind in _CELLS or kind == _MULRK) and len(body) >= 4:
            row, column = struct.unpack_from("<HH", body)
            if kind == _MULRK and len(body) >= 6:
                column = struct.unpack_from("<H", body, len(body) - 2)[0]
            rows, columns = max(rows, row + 1), max(columns, column + 1)
    _check_extent(rows, columns)


def _check_extent(rows: int, columns: int) -> None:
    if rows * columns > MAX_CELLS:
        raise too_far(rows, columns)
