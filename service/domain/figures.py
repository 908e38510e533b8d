"""Every count of 附件6 and 附件9, derived from the member list (STUB: helper B implements)."""
from __future__ import annotations

from .model import Dataset

# code → printed column label (附件6 "1"…"18", 附件9 "A1"…"G3"), in printed order
OUTGOING_LABELS: dict[str, str] = {}
CAMPAIGN_LABELS: dict[str, str] = {}


def outgoing_summary(ds: Dataset) -> dict[str, int]:
    """附件6 figures over in-scope members with `outgoing`: {"1": n, …, "18": n}."""
    raise NotImplementedError


def campaign_summary(ds: Dataset) -> dict[str, int]:
    """附件9 figures over in-scope members: {"A1": n, …, "G3": n}."""
    raise NotImplementedError


def add_up(rows: list[dict[str, int]]) -> dict[str, int]:
    """The 合计 row of a summary table: the column-wise sum of branch rows."""
    total: dict[str, int] = {}
    for row in rows:
        for key, value in row.items():
            total[key] = total.get(key, 0) + value
    return total
