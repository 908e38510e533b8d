"""A roster laid over a branch's current data and checked as any dataset is: the version it would be.

The preview (added, changed, missing: merge.py) comes with the validation errors the merged dataset
has, each naming its member — by name, with the roster row it came from, or saying the member was
kept from the current data — so a clerk finds it without reading a JSON path. A new member's missing
facts are exactly these errors. The dataset belongs to the branch it is stored for: org.code is its code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import schemas
from service.domain import idcard, rules
from service.domain.model import Dataset
from service.intake.received import Received
from service.intake.spec import MEMBERS
from service.intake.upload import safe_name

from .merge import merge_roster

TITLES = {c.path: c.header for c in MEMBERS.columns}
_MEMBER = re.compile(r"^members\[(\d+)\](?:\.(.*))?$")


@dataclass
class Merged:
    data: dict  # the next dataset as the contract's JSON
    dataset: Dataset | None  # when it is valid
    errors: list[dict]  # schemas.validate's {path, message}, with a `detail` naming the member
    warnings: list[dict]  # 三查三核 findings, when valid
    preview: dict  # {"added", "changed", "missing"}: ID numbers masked

    def received(self, content: bytes, filename: str) -> Received:
        """What the store keeps: the roster file as received, the merged dataset as read and checked."""
        return Received(content, "other", self.data, self.dataset, self.errors, self.warnings,
                        filename=safe_name(filename) or None)


def merge_for_branch(current: dict | None, members: list[dict], code: str) -> Merged:
    """The roster's members laid over `current` (None: the branch has nothing yet), for branch `code`."""
    data, preview = merge_roster(current, members)
    org = data.get("org")
    if isinstance(org, dict):
        org["code"] = code
    else:
        data["org"] = {"code": code}
    dataset, problems = schemas.validate(data)
    rows = _roster_rows(members)
    errors = [{**p, "detail": _detail(p, data, rows)} for p in problems]
    warnings = [f.as_dict() for f in rules.findings(dataset)] if dataset is not None else []
    return Merged(data, dataset, errors, warnings, preview)


def _roster_rows(members: list[dict]) -> dict:
    """ID number (or name) → the roster row it was read from."""
    out = {}
    for member in members:
        number = member.get("id_number")
        out.setdefault(idcard.normalise(number) if isinstance(number, str) else None, member["row"])
        out.setdefault(("name", member.get("name")), member["row"])
    out.pop(None, None)
    return out


def _detail(problem: dict, data: dict, rows: dict) -> str:
    path, message = problem.get("path") or "", problem["message"]
    found = _MEMBER.match(path)
    if found is None:
        return f"{path}：{message}" if path else message
    index, rest = int(found[1]), found[2] or ""
    people = data.get("members") if isinstance(data.get("members"), list) else []
    member = people[index] if index < len(people) and isinstance(people[index], dict) else {}
    name = member.get("name") if isinstance(member.get("name"), str) else None
    number = member.get("id_number")
    row = rows.get(idcard.normalise(number)) if isinstance(number, str) and number.strip() else None
    row = row or (rows.get(("name", name)) if name else None)
    who = f"党员「{name}」" if name else f"第{index + 1}名党员"
    where = f"（花名册第{row}行）" if row else "（花名册中没有，沿用原有数据）"
    head, _, tail = rest.partition(".")
    field = f"的「{TITLES[head]}」{('（' + tail + '）') if tail else ''}" if head in TITLES else (f"的 {rest}" if rest else "")
    return f"{who}{where}{field}：{message}"
