"""Input as it arrives — a JSON body, a clerk's file — checked and ready to be stored as a submission.

Whatever arrives is kept (service.store.submissions): a body that is not JSON, a file that is not a
workbook, a workbook the reader chokes on. Only its validity, its errors and, when it can be read,
the contract JSON and the Dataset differ.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any, Optional

import schemas
from service.domain import rules
from service.domain.model import Dataset
from service.errors import BadUpload, PaichaError, TooLarge

from . import upload
from .check import check_json, check_workbook

log = logging.getLogger(__name__)
UNREADABLE = ("系统未能读取这个文件（已保存，可从本页下载原文件）。请检查是否为本系统的数据采集表，"
              "或联系区委教育工委。")


@dataclass
class Received:
    """Input as it arrived and what checking it found: what a submission stores."""

    raw: bytes  # the bytes as received (a JSON body, the clerk's file)
    raw_kind: str  # json | xlsx | other
    data: Any  # the contract JSON as read (None when nothing could be read)
    dataset: Optional[Dataset]  # when valid
    errors: list[dict] = field(default_factory=list)  # [{path, message, …}]
    warnings: list[dict] = field(default_factory=list)  # as shown to the submitter
    filename: Optional[str] = None
    refused: Optional[PaichaError] = None  # an upload refused before reading (not a workbook, too big …)


def from_json_body(raw: bytes) -> Received:
    """A JSON body: every contract error with its JSON path, or the Dataset and its findings."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return Received(raw, "json", None, None, [{"path": "", "message": "请求体不是 UTF-8 编码的 JSON"}])
    except (json.JSONDecodeError, RecursionError) as err:
        where = f"：第{err.lineno}行第{err.colno}列附近有语法错误" if isinstance(err, json.JSONDecodeError) else ""
        return Received(raw, "json", None, None, [{"path": "", "message": f"请求体不是有效的 JSON{where}"}])
    ds, errors = schemas.validate(data)
    warnings = [f.as_dict() for f in rules.findings(ds)] if ds is not None else []
    return Received(raw, "json", data, ds, errors, warnings)


def from_upload(content: bytes, filename: str, limit: int) -> Received:
    """A clerk's file: refused with the reason, or read with every problem pointing at its cell."""
    name = upload.safe_name(filename)
    try:
        kind = upload.check(content, filename, limit)
    except (BadUpload, TooLarge) as err:
        return Received(content, "other", None, None, [{"path": "", "message": err.message}], filename=name,
                        refused=err)
    try:
        checked = check_workbook(content) if kind == "xlsx" else check_json(upload.check_json(content))
    except BadUpload as err:
        return Received(content, kind, None, None, [{"path": "", "message": err.message}], filename=name, refused=err)
    except Exception:  # the file is kept; the clerk gets it back with a message, never a lost upload
        log.exception("could not read an uploaded %s file", kind)
        error = {"sheet": "", "row": None, "column": "", "cell": "", "path": "", "message": UNREADABLE,
                 "detail": UNREADABLE}
        return Received(content, kind, None, None, [error], filename=name)
    return Received(content, kind, checked.data, checked.dataset if checked.ok else None,
                    [e.as_dict() for e in checked.errors], [w.as_dict() for w in checked.warnings], filename=name)
