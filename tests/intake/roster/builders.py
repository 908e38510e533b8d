"""Roster files built the way clerks' spreadsheets come: openpyxl workbooks, CSV bytes, and Excel 97
files written by a real LibreOffice."""
from __future__ import annotations

import io
import shutil
import subprocess
import uuid
from pathlib import Path

from openpyxl import Workbook

from service.domain import idcard


def id_number(birth: str, seq: int, male: bool, area: str = "320412") -> str:
    """A valid 18-character number for YYYYMMDD `birth`."""
    first17 = f"{area}{birth}{seq:02d}{(seq % 5) * 2 + (1 if male else 0)}"
    return first17 + idcard.check_char(first17)


def xlsx(rows: list[list], at: str = "A1", merges: tuple[str, ...] = (), formats: dict[str, str] | None = None,
         title: str = "花名册", more_sheets: dict[str, list[list]] | None = None) -> bytes:
    """A workbook whose first sheet holds `rows` from cell `at`, with merged ranges and number formats."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    start = ws[at]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.cell(start.row + r, start.column + c, value)
    for cell, fmt in (formats or {}).items():
        ws[cell].number_format = fmt
    for rng in merges:
        ws.merge_cells(rng)
    for name, sheet_rows in (more_sheets or {}).items():
        other = wb.create_sheet(name)
        for row in sheet_rows:
            other.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    text = "\r\n".join(delimiter.join("" if v is None else str(v) for v in row) for row in rows) + "\r\n"
    return text.encode(encoding)


def converted(content: bytes, suffix: str, fmt: str, work: Path, timeout: int = 180) -> bytes:
    """The file LibreOffice writes from `content` (e.g. .xlsx → "xls"), in a private profile."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is needed to write an Excel 97 file"
    work = work / uuid.uuid4().hex
    work.mkdir(parents=True)
    source = work / f"roster{suffix}"
    source.write_bytes(content)
    subprocess.run([soffice, f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--norestore",
                    "--convert-to", fmt, "--outdir", str(work / "out"), str(source)],
                   check=True, timeout=timeout, capture_output=True)
    return (work / "out" / f"roster.{fmt.split(':')[0]}").read_bytes()
