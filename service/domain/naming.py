"""File names fixed by the notice (forms.md §1), Windows-safe, with an ASCII fallback.

`{编号}-{名称}-{title}.{ext}`: every file carries the branch, so 150 extracted zips never
collide in one folder.
"""
from __future__ import annotations

import re

from .model import Org

# deliverable / document key → the title part of its name
DELIVERABLE_TITLES = {
    "work_plan": "党员组织关系排查工作方案",
    "tables": "党员组织关系排查相关表格",
    "stage_summary": "阶段性小结",
    "final_report": "党员组织关系排查工作总结",
}

# table document id → 附件 number of the notice
ATTACHMENT_NUMBERS = {
    "member_register": 3,
    "member_roster": 4,
    "outgoing_roster": 5,
    "outgoing_summary": 6,
    "recontacted_register": 7,
    "unreachable_register": 8,
    "campaign_summary": 9,
}
ATTACHMENT_TITLES = {
    "member_register": "党员基本情况登记表",
    "member_roster": "党员名册",
    "outgoing_roster": "外出流动党员名册",
    "outgoing_summary": "外出流动党员情况汇总表",
    "recontacted_register": "经排查取得联系党员登记表",
    "unreachable_register": "经排查无法取得联系党员登记表",
    "campaign_summary": "党员组织关系排查工作情况汇总表",
}
OTHER_TITLES = {
    "verification_report": "核查情况",
    "print": "附件4-9打印版",
    "all": "党员组织关系排查全部材料",
}

ASCII_SLUGS = {
    "work_plan": "work-plan",
    "tables": "tables",
    "stage_summary": "stage-summary",
    "final_report": "final-report",
    "member_register": "att3-member-register",
    "member_roster": "att4-member-roster",
    "outgoing_roster": "att5-outgoing-roster",
    "outgoing_summary": "att6-outgoing-summary",
    "recontacted_register": "att7-recontacted-register",
    "unreachable_register": "att8-unreachable-register",
    "campaign_summary": "att9-campaign-summary",
    "verification_report": "verification-report",
    "print": "att4-9-print",
    "all": "all-documents",
}

MAX_LENGTH = 200
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def title(key: str) -> str:
    """The title part of the name for a key; KeyError names the known keys."""
    if key in DELIVERABLE_TITLES:
        return DELIVERABLE_TITLES[key]
    if key in ATTACHMENT_TITLES:
        return f"附件{ATTACHMENT_NUMBERS[key]}-{ATTACHMENT_TITLES[key]}"
    if key in OTHER_TITLES:
        return OTHER_TITLES[key]
    raise KeyError(f"unknown document key {key!r}; known: {', '.join(ASCII_SLUGS)}")


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
    title(key)  # same KeyError for an unknown key
    code = re.sub(r"[^A-Za-z0-9]", "", org.code or "") or "branch"
    return f"{code}-{ASCII_SLUGS[key]}{_ext(ext)}"
