"""One member's own 登记表 (附件3's fields) in a branch's data: what they see, what they may change, and
their changes checked by the contract's own schemas on the merged dataset.

No Flask, no store: the caller passes the branch's current data (the contract's JSON) and the member's
ID number. A change is checked by laying it over the whole dataset and validating that
(schemas.validate), so every rule of the contract holds — choices, dates, the ID's birth date and
gender, 转正 after 入党 — and the errors that name this member come back at their field
(`member.<field>`), in Chinese. Errors of other members are not this member's to fix and do not stop them.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any, Optional

import schemas
from service.domain import idcard

from .spec import MEMBERS

COLUMNS = {c.path: c for c in MEMBERS.columns}
# 附件3's facts about the person, in the form's order; the member corrects these
EDITABLE = ("name", "gender", "ethnicity", "birth_date", "education", "member_type", "join_date", "full_member_date",
            "person_category", "job_post", "phone", "home_address")
# shown, not changed by the member: the ID number is who they are, 党籍状态 is the Party's decision
READ_ONLY = ("id_number", "party_status")
SHOWN = ("name", "gender", "ethnicity", "id_number", "birth_date", "education", "member_type", "join_date",
         "full_member_date", "person_category", "job_post", "phone", "home_address", "party_status")
TITLES = {f: COLUMNS[f].header for f in SHOWN}
_PATH = re.compile(r"^members\[(\d+)\](?:\.([A-Za-z_]+))?")
NOT_YOURS = "不能由本人修改：公民身份号码、党籍状态如有误，请联系本支部党务干事"
UNKNOWN = "不是登记表中的项目"


@dataclass(frozen=True)
class Checked:
    """A member's changes as read: only the fields that really change, what they were, and the errors."""

    changes: dict[str, Any]  # field → new value (None: cleared)
    before: dict[str, Any]  # field → value before, for the same fields
    errors: list[dict]  # [{"path": "member.<field>", "message"}]
    data: Optional[dict]  # the dataset with the changes, when there is no error of this member


def find(data: Optional[dict], id_number: str) -> Optional[int]:
    """The member's index in the data's members, by ID number (None when not there)."""
    people = data.get("members") if isinstance(data, dict) else None
    if not isinstance(people, list):
        return None
    wanted = idcard.normalise(id_number)
    for index, member in enumerate(people):
        number = member.get("id_number") if isinstance(member, dict) else None
        if isinstance(number, str) and idcard.normalise(number) == wanted:
            return index
    return None


def view(member: dict, changes: Optional[dict] = None) -> dict:
    """The member's 登记表 fields as they see them (their own ID number unmasked), with pending changes over it."""
    shown = {field: member.get(field) for field in SHOWN}
    for field, value in (changes or {}).items():
        shown[field] = value
    return shown


def org_view(data: Optional[dict]) -> dict:
    org = data.get("org") if isinstance(data, dict) and isinstance(data.get("org"), dict) else {}
    return {key: org.get(key) for key in ("code", "name", "full_name")}


def matches(id_number: str, check: Optional[str]) -> bool:
    """The member's proof: the last six characters of their ID number (x as X, spaces ignored)."""
    given = re.sub(r"\s", "", check or "").upper()
    return len(given) == 6 and idcard.normalise(id_number)[-6:] == given


def _value(raw: Any) -> Any:
    if isinstance(raw, str):
        raw = raw.strip()
        return raw or None
    return raw


def apply(data: dict, index: int, changes: dict) -> dict:
    """A copy of the data with the member's fields changed (None removes a field)."""
    out = copy.deepcopy(data)
    member = out["members"][index]
    for field, value in changes.items():
        if value is None:
            member.pop(field, None)
        else:
            member[field] = value
    return out


def check(data: dict, index: int, asked: dict) -> Checked:
    """The member's changes laid over the data and validated; the errors of this member at their fields."""
    member = data["members"][index]
    errors, changes, before = [], {}, {}
    for field, raw in asked.items():
        if field in READ_ONLY:
            if _value(raw) != member.get(field):
                errors.append({"path": f"member.{field}", "message": f"{TITLES[field]}{NOT_YOURS}"})
            continue
        if field not in EDITABLE:
            errors.append({"path": f"member.{field}", "message": f"「{field}」{UNKNOWN}"})
            continue
        value = _value(raw)
        if value != member.get(field):
            changes[field], before[field] = value, member.get(field)
    merged = apply(data, index, changes)
    _, problems = schemas.validate(merged)
    for problem in problems:
        found = _PATH.match(problem.get("path") or "")
        if found is None or int(found[1]) != index:
            continue
        field, message = found[2], problem["message"]
        title = TITLES.get(field, field or "登记表")
        errors.append({"path": f"member.{field}" if field else "member",
                       "message": message if message.startswith(title) else f"{title}：{message}"})
    return Checked(changes, before, errors, None if errors else merged)


def diff(before: dict, changes: dict) -> list[dict]:
    """[{field, title, before, after}] in the form's order."""
    return [{"field": f, "title": TITLES.get(f, f), "before": before.get(f), "after": changes[f]}
            for f in SHOWN if f in changes]
