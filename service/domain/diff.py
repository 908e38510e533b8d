"""What changed between two versions of a branch's dataset, for the district's 核查 after a 退回.

Members are matched by their 公民身份号码 (unique within a branch): those only in the newer
version were added, those only in the older one removed, and for the others every field whose
value differs is listed with its path inside the member (lost_contact.search_record[1].result),
its old and its new value. Fields outside the member list (org, campaign, the narratives' inputs)
are compared the same way, and every figure of 附件6 and 附件9 that moved is listed with both
values. Members are named with a masked ID number (idcard.mask), as the district's lists show them.
"""
from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import date
from typing import Any, Iterator

from . import figures, idcard
from .model import Dataset, Member

LEAF = (str, int, float, bool, type(None))


def dataset_diff(old: Dataset, new: Dataset) -> dict:
    """{members: {added, removed, changed}, fields: [...], figures: {outgoing_summary, campaign_summary}}."""
    return {"members": member_changes(old.members, new.members), "fields": other_changes(old, new),
            "figures": figure_changes(old, new)}


def member_changes(old: list[Member], new: list[Member]) -> dict:
    before = {m.id_number: m for m in old}
    after = {m.id_number: m for m in new}
    changed = []
    for key, member in after.items():
        if key in before:
            moved = changes(plain(before[key]), plain(member))
            if moved:
                changed.append({**who(member), "fields": moved})
    return {"added": [who(m) for k, m in after.items() if k not in before],
            "removed": [who(m) for k, m in before.items() if k not in after],
            "changed": changed}


def other_changes(old: Dataset, new: Dataset) -> list[dict]:
    """Every changed field of the dataset outside its member list."""
    strip = lambda ds: {k: v for k, v in plain(ds).items() if k != "members"}  # noqa: E731
    return changes(strip(old), strip(new))


def figure_changes(old: Dataset, new: Dataset) -> dict:
    """The figures of 附件6 and 附件9 whose value moved, in printed order."""
    out = {}
    for key, count, labels in (("outgoing_summary", figures.outgoing_summary, figures.OUTGOING_LABELS),
                               ("campaign_summary", figures.campaign_summary, figures.CAMPAIGN_LABELS)):
        a, b = count(old), count(new)
        out[key] = [{"code": code, "label": label, "before": a.get(code, 0), "after": b.get(code, 0)}
                    for code, label in labels.items() if a.get(code, 0) != b.get(code, 0)]
    return out


def who(m: Member) -> dict:
    return {"name": m.name, "id_number": idcard.mask(m.id_number)}


def changes(before: Any, after: Any) -> list[dict]:
    """Leaf by leaf: [{path, before, after}] where the two differ (missing on one side = None)."""
    a, b = dict(leaves(before)), dict(leaves(after))
    paths = list(a) + [p for p in b if p not in a]
    return [{"path": p, "before": a.get(p), "after": b.get(p)} for p in paths if a.get(p) != b.get(p)]


def leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted path, value) of every scalar inside a plain structure; an empty list holds none, like
    an absent one (a missing leaf compares as None)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from leaves(item, f"{path}[{i}]")
    else:
        yield path, value if isinstance(value, LEAF) else str(value)


def plain(value: Any) -> Any:
    """Dataclasses as dicts, dates as their ISO text (a MonthDate as YYYY-MM), lists as lists, mappings
    with text keys: the JSON a dataset's fingerprint and its diffs are both made of."""
    if is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value
