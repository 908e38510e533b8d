"""A roster laid over the branch's current data: the next dataset, and what it would change.

Members are matched by ID number (a roster row whose ID could not be read falls back to a name that
one current member alone has). What the roster carries replaces; what it lacks is kept from the
current data, members it does not list included. A new member's missing required facts are simply
absent: validating the dataset names them, for the member or the clerk to complete. The preview
shows ID numbers masked.
"""
from __future__ import annotations

import copy

from schemas.fields import canonical_phone
from service.domain import idcard


def merge_roster(current: dict | None, members: list[dict]) -> tuple[dict, dict]:
    """(the new dataset, {"added", "changed", "missing"}); `current` is left as it was."""
    dataset = copy.deepcopy(current) if current else {"schema_version": "1", "members": []}
    existing = dataset.setdefault("members", [])
    known = len(existing)
    by_id = {_id(m): i for i, m in enumerate(existing) if _id(m)}
    by_name: dict[str, list[int]] = {}
    for i, m in enumerate(existing):
        by_name.setdefault(m.get("name"), []).append(i)
    matched, added, changed = set(), [], []
    for member in members:
        record = {k: v for k, v in member.items() if k != "row"}
        index = _match(record, by_id, by_name, matched)
        if index is None:
            existing.append(record)
            if _id(record):
                by_id[_id(record)] = len(existing) - 1
            added.append(_masked_member(member))
            continue
        matched.add(index)
        fields = _apply(existing[index], record)
        if fields:
            changed.append({"member": _summary(existing[index], member.get("row")), "fields": fields})
    missing = [_summary(existing[i]) for i in range(known) if i not in matched]
    return dataset, {"added": added, "changed": changed, "missing": missing}


def _id(member: dict) -> str | None:
    number = member.get("id_number")
    return idcard.normalise(number) if isinstance(number, str) and number.strip() else None


def _match(record: dict, by_id: dict, by_name: dict, matched: set) -> int | None:
    number = _id(record)
    if number:
        return by_id.get(number)
    same_name = [i for i in by_name.get(record.get("name"), []) if i not in matched]
    return same_name[0] if len(same_name) == 1 and record.get("name") else None


def _apply(target: dict, record: dict) -> list[dict]:
    """Write the roster's values into the current member; the fields that changed."""
    fields = []
    for field, after in record.items():
        before = target.get(field)
        if _same(field, before, after, target):
            continue
        fields.append({"field": field, "before": _shown(field, before), "after": _shown(field, after)})
        target[field] = after
    return fields


DEFAULTS = {"party_status": "正常"}  # what the contract takes an absent field to be


def _same(field: str, before, after, target: dict) -> bool:
    if before is None and field in DEFAULTS:
        return after == DEFAULTS[field]
    if before is None and field == "birth_date" and _id(target):
        derived = idcard.birth_date(_id(target))  # the current data leaves it to the ID number
        return derived is not None and derived.isoformat() == after
    if isinstance(before, str) and isinstance(after, str):
        if field == "phone":
            return (canonical_phone(before) or before.strip()) == after
        if field == "id_number":
            return idcard.normalise(before) == after
        return before.strip() == after
    return before == after


def _shown(field: str, value):
    return idcard.mask(value) if field == "id_number" and isinstance(value, str) else value


def _masked_member(member: dict) -> dict:
    return {k: _shown(k, v) for k, v in member.items()}


def _summary(member: dict, row: int | None = None) -> dict:
    out = {"row": row} if row is not None else {}
    out["name"] = member.get("name")
    if _id(member):
        out["id_number"] = idcard.mask(_id(member))
    return out
