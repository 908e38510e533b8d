"""File names fixed by the notice (forms.md §1), Windows-safe, with an ASCII fallback.

`{编号}-{名称}-{title}.{ext}`: every file carries the branch, so 150 extracted zips never
collide in one folder.
"""
from __future__ import annotations

import re

from . import catalog
from .model import Org

MAX_LENGTH = 200
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def title(key: str) -> str:
    """The title part of the name for a document or package id; KeyError names the known ids."""
    return catalog.file_title(key)


def safe_part(text: str) -> str:
    """A name component Windows accepts: forbidden and control characters become `_`."""
    text = _FORBIDDEN.sub("_", text or "").strip()
    return text.rstrip(". ") or "_"


def _ext(ext: str) -> str:
    ext = re.sub(r"[^A-Za-z0-9]", "", ext or "")
    return f".{ext.lower()}" if ext else ""


def file_name(org: Org, key: str, ext: str) -> str:
    """`{编号}-{名称}-{title}.{ext}` for a deliverable key, a document id (附件N-… for tables,
    核查情况 for verification_report, 打印包 for the print packet) or the `all` package."""
    code, name, tail = safe_part(org.code), safe_part(org.name), title(key)
    suffix = _ext(ext)
    room = MAX_LENGTH - len(suffix) - len(code) - len(tail) - 2
    if len(name) > room:  # shorten the branch name first: the title is what tells files apart
        name = name[: max(room, 1)].rstrip(". ")
    stem = f"{code}-{name}-{tail}"[: MAX_LENGTH - len(suffix)].rstrip(". ")
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    return stem + suffix


def ascii_name(org: Org, key: str, ext: str) -> str:
    """Meaningful ASCII fallback for Content-Disposition, e.g. `WJ017-tables.zip`."""
    code = re.sub(r"[^A-Za-z0-9]", "", org.code or "") or "branch"
    return f"{code}-{catalog.slug(key)}{_ext(ext)}"


def district_file_name(key: str, ext: str, day) -> str:
    """A district file (catalog.DISTRICT_FILE): 「武进区教育系统-附件9-党员组织关系排查工作情况汇总表-20230710.xlsx」."""
    stem = catalog.DISTRICT_FILE.format(prefix=safe_part(catalog.DISTRICT.file_prefix), title=title(key), day=day)
    return stem[: MAX_LENGTH - len(_ext(ext))] + _ext(ext)


def district_ascii_name(key: str, ext: str, day) -> str:
    """Its ASCII fallback, e.g. `wujin-education-att9-campaign-summary-20230710.xlsx`."""
    return catalog.DISTRICT_FILE.format(prefix=catalog.DISTRICT.ascii_prefix, title=catalog.slug(key), day=day) + _ext(ext)
