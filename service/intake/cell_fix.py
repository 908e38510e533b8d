"""A wrong cell fixed in the browser (issue 19 part 3): which errors of a stored version get an input, of
what kind, and the corrected input, read again exactly as an upload is.

For a clerk's workbook the corrected values are written into the very cells the errors name and the
workbook is read again (service.intake.received.from_upload), so the next version is what re-uploading
the corrected file would give, and that corrected workbook is what the new version keeps and offers
for download. For other input (a JSON dataset, a roster's merge) the values go to the errors' JSON paths.
"""
from __future__ import annotations

import io
import json
import re
from datetime import date
from typing import Any, Optional

from . import spec
from .received import Received, from_json_body, from_upload

_STEP = re.compile(r"([A-Za-z_]+)|\[(\d+)\]")
_CELL = re.compile(r"^[A-Z]{1,3}[1-9][0-9]{0,6}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
KEEP = "__keep__"  # what a select left at （不改） sends
MEMBER_COLUMNS = {c.path: c for c in spec.MEMBERS.columns}
ORG_COLUMNS = {c.path: c for c in spec.ORG.columns}


def _column_for_path(path: Optional[str]) -> Optional[spec.Column]:
    if not path:
        return None
    found = re.fullmatch(r"members\[\d+\]\.([a-z_]+)", path)
    if found:
        return MEMBER_COLUMNS.get(found[1])
    return ORG_COLUMNS.get(path)


def _column_for_cell(error: dict) -> Optional[spec.Column]:
    try:
        return spec.sheet(error.get("sheet") or "").column(error.get("column") or "")
    except StopIteration:
        return None


def editor(error: dict, kind: str, data: Any) -> Optional[dict]:
    """The input an error gets on the result page — key, kind (select, date, text), choices, value — or None
    when it names no single value (a missing sheet, a whole row, a list)."""
    if kind == "xlsx":
        if not (error.get("sheet") and error.get("cell") and _CELL.match(error["cell"])):
            return None
        column, key = _column_for_cell(error), f"{error['sheet']}!{error['cell']}"
    else:
        column, key = _column_for_path(error.get("path")), error.get("path")
    if column is None or column.kind in ("lines", "int") or not key:
        return None
    value = _at(data, error.get("path")) if error.get("path") else None
    shown = "select" if column.kind in ("enum", "bool") else "date" if column.kind == "date" else "text"
    return {"key": key, "kind": shown, "choices": column.values, "label": column.header,
            "value": "" if value is None or isinstance(value, (dict, list)) else str(value)}


def _steps(path: str) -> list:
    return [int(index) if index else name for name, index in _STEP.findall(path)]


def _at(data: Any, path: str) -> Any:
    for step in _steps(path):
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def fixed(kind: str, raw: bytes, data: Any, filename: Optional[str], fixes: dict[str, str], limit: int) -> Received:
    """The stored input with the fixes, read again: what the next version stores."""
    if kind == "xlsx":
        return from_upload(_workbook(raw, fixes), filename or "数据采集表.xlsx", limit)
    out = json.loads(json.dumps(data))
    for path, value in fixes.items():
        steps = _steps(path)
        target = out
        for step in steps[:-1]:
            target = target[step]
        if value.strip():
            target[steps[-1]] = value.strip()
        elif isinstance(target, dict):
            target.pop(steps[-1], None)
    return from_json_body(json.dumps(out, ensure_ascii=False).encode("utf-8"))


def _workbook(raw: bytes, fixes: dict[str, str]) -> bytes:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(raw))
    for key, value in fixes.items():
        sheet, cell = key.rsplit("!", 1)
        value = value.strip()
        book[sheet][cell].value = date.fromisoformat(value) if _DAY.match(value) else (value or None)
        if _DAY.match(value):
            book[sheet][cell].number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def editors(errors: list[dict], kind: str, data: Any) -> list[Optional[dict]]:
    """One input (or None) per error, in the errors' order."""
    return [editor(e, kind, data) for e in errors]


def valid_keys(kind: str, errors: list[dict], data: Any) -> set[str]:
    """The keys the result page offered: only those may be written."""
    return {e["key"] for e in (editor(x, kind, data) for x in errors) if e is not None}
