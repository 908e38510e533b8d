"""Whether each of the four deliverables reached the district on time (notice: 「于6月20日前报送」…).

Since issue 18 each deliverable counts from its own 报送 (domain.delivery, store.deliveries): sent_rows
gives the four against the district's deadlines; a deliverable not sent (or reopened by a 退回修改) is
未到期 or 逾期未报. The older rule below (statuses, as_rows: every deliverable counted from the first
valid version) is kept for the reminders' planning and datasets' own campaign blocks.

The older rule, for one branch and one campaign (its campaign.deadlines):
- a deliverable counts as submitted when the branch's first valid version of that campaign arrived
  (every valid version holds all four: each is rendered from the dataset). Versions that failed
  validation do not count; a version sent back (退回修改) still counts as submitted;
- 按时报送 (on_time) when it arrived on or before the deadline's day, 逾期报送 (late) after it;
- with no valid version yet: 未到期 (not_due) up to and including the deadline's day, 逾期未报
  (overdue) after it.
Days are Beijing days (UTC+8, no daylight saving): a version received at 23:59 on 6月20日 北京时间
is on time for 6月20日, whatever the server's clock zone.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Optional

from service.clock import beijing_day

from .catalog import DELIVERABLE_IDS
from .model import Deadlines

LABELS = {"on_time": "按时报送", "late": "逾期报送", "not_due": "未到期", "overdue": "逾期未报"}


@dataclass(frozen=True)
class Status:
    deliverable: str  # work_plan | tables | stage_summary | final_report
    deadline: date
    status: str  # a key of LABELS
    submitted_at: Optional[datetime]  # when the version that counts arrived
    version: Optional[int]

    @property
    def label(self) -> str:
        return LABELS[self.status]


def status(deadline: date, submitted_at: Optional[datetime], now: datetime) -> str:
    """One deliverable's status: on_time, late, not_due or overdue."""
    return day_status(deadline, beijing_day(submitted_at) if submitted_at is not None else None, beijing_day(now))


def day_status(deadline: date, received: Optional[date], today: date) -> str:
    """status() on Beijing days: the day the counting version arrived (None: none yet) and today."""
    if received is not None:
        return "on_time" if received <= deadline else "late"
    return "not_due" if today <= deadline else "overdue"


def statuses(deadlines: Deadlines, first_valid: Optional[tuple[int, datetime]], now: datetime) -> list[Status]:
    """The four deliverables in the notice's order; first_valid is (version, received) of the
    campaign's first valid version, or None."""
    version, at = first_valid if first_valid else (None, None)
    return [Status(d, getattr(deadlines, d), status(getattr(deadlines, d), at, now), at, version)
            for d in DELIVERABLE_IDS]


def as_rows(key: Optional[str], first_valid: Optional[tuple[int, datetime]], today: date) -> list[dict]:
    """statuses() as lists and pages send them (one dict per deliverable, dates in ISO), for the
    campaign `key` (campaign_key; None: the notice's) on the Beijing day `today`. The outcome depends
    only on the campaign and the two days, so it is worked out once per (campaign, day received,
    today) and a list of thousands of branches only fills in each branch's version and time."""
    if first_valid is None:
        return [{"deliverable": name, "deadline": due, "status": code, "label": label, "version": None,
                 "submitted_at": None} for name, due, code, label in _outcomes(key, None, today)]
    version, at = first_valid
    when = at.isoformat()
    return [{"deliverable": name, "deadline": due, "status": code, "label": label, "version": version,
             "submitted_at": when} for name, due, code, label in _outcomes(key, beijing_day(at), today)]


@functools.lru_cache(maxsize=4096)
def _outcomes(key: Optional[str], received: Optional[date], today: date) -> tuple[tuple[str, str, str, str], ...]:
    """(deliverable, deadline in ISO, status, its label) of the four, in the notice's order."""
    due = from_key(key)
    out = []
    for name in DELIVERABLE_IDS:
        deadline = getattr(due, name)
        code = day_status(deadline, received, today)
        out.append((name, deadline.isoformat(), code, LABELS[code]))
    return tuple(out)


def sent_rows(due: Deadlines, sent: dict, today: date) -> list[dict]:
    """The four deliverables as lists and pages send them, each counted from its own current 报送:
    `sent` is {deliverable: domain.delivery.Sent} of one branch (absent: not sent), `today` a Beijing day."""
    out = []
    for name in DELIVERABLE_IDS:
        deadline = getattr(due, name)
        act = sent.get(name)
        code = day_status(deadline, beijing_day(act.at) if act is not None else None, today)
        out.append({"deliverable": name, "deadline": deadline.isoformat(), "status": code, "label": LABELS[code],
                    "version": act.version if act else None,
                    "submitted_at": act.at.isoformat() if act else None,
                    "verification_code": act.verification_code if act else None,
                    "resent": bool(act and act.resent)})
    return out


def campaign_key(deadlines: Deadlines) -> str:
    """The deadlines as one short text (2023-06-20,2023-07-15,…): a campaign is known by them."""
    return ",".join(getattr(deadlines, f.name).isoformat() for f in fields(Deadlines))


@functools.lru_cache(maxsize=256)
def from_key(key: Optional[str]) -> Deadlines:
    """campaign_key read back; the notice's deadlines when there is none (the same object for the
    same key: a list of thousands of branches of one campaign parses it once — do not change it)."""
    if not key:
        return Deadlines()
    return Deadlines(**{f.name: date.fromisoformat(v) for f, v in zip(fields(Deadlines), key.split(","))})
