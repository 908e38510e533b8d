"""A reminder run, from the stored inputs to the log: read (service.store.reminder_inputs, the one
place reminders read branches, what they sent and the deadlines), plan (service.domain.reminders),
send (service.notify.dispatch through the configured channels), log (service.store.reminder_log,
each send as it ends).

Four ways in: the day's scheduled rules (`run_day`: POST /api/v1/reminders/run, `paicha remind`,
the daily schedule), a 退回修改 (`returned`, after the review's commit, in a thread of its own so
a channel that is down never holds up or fails the review: `returned_later`), and the district's
hand-sent reminder to one branch (`by_hand`). Runs of one process take turns (a lock): two at once
would each plan before the other logged, and send twice.
"""
from __future__ import annotations

import logging
import threading
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Mapping, Optional

from service.config import remind_days
from service.domain import reminders
from service.domain.reminders import ACCEPTED, ANY, FAILED, NO_CHANNEL, Reminder
from service.errors import UnknownBranch
from service.notify import dispatch
from service.notify.channels import channels
from service.notify.message import Notifier
from service.store import reminder_inputs, reminder_log
from service.store.db import Database

LOG = logging.getLogger(__name__)
OUTCOMES = (ACCEPTED, FAILED, NO_CHANNEL)
_turn = threading.Lock()  # one run at a time in this process
_later: Optional[ThreadPoolExecutor] = None
_later_lock = threading.Lock()


@dataclass(frozen=True)
class Result:
    """What a run did: the Beijing day, the reminders planned, and every log row it wrote."""

    day: date
    planned: list[Reminder]
    rows: list[dispatch.LogRow]

    def by_channel(self) -> dict[str, dict[str, int]]:
        """{channel: {accepted: n, failed: n, no_channel: n}} of this run's sends."""
        counts = Counter((r.channel, r.result) for r in self.rows)
        return {channel: {o: counts[(channel, o)] for o in OUTCOMES}
                for channel in dict.fromkeys(r.channel for r in self.rows)}

    def as_dict(self) -> dict:
        return {"day": self.day.isoformat(), "planned": len(self.planned), "channels": self.by_channel(),
                "sends": [_row_dict(r) for r in self.rows]}


def _row_dict(row: dispatch.LogRow) -> dict:
    return {"at": row.at.isoformat(), "day": row.day.isoformat(), "kind": row.kind, "branch": row.branch,
            "deliverable": row.deliverable, "channel": row.channel, "recipient": row.recipient,
            "outcome": row.result, "detail": row.detail}


def _entry(row: dispatch.LogRow) -> reminder_log.Entry:
    return reminder_log.Entry(row.at, row.key, row.channel, row.recipient, row.result, row.detail)


def _send(db: Database, cfg: Mapping, planned: list[Reminder], actor: Optional[str],
          notifiers: Optional[list[Notifier]]) -> list[dispatch.LogRow]:
    write = reminder_log.writer(db, actor)
    try:
        return dispatch.run(planned, channels(cfg) if notifiers is None else notifiers, lambda row: write(_entry(row)))
    finally:
        write.flush()


def plan_day(db: Database, cfg: Mapping, day: date) -> list[Reminder]:
    """The scheduled rules' reminders for the Beijing day `day`, the log's sends left out."""
    days = remind_days(cfg["REMIND_DAYS_BEFORE"])
    with db.reading() as session:
        register = reminder_inputs.branches(session)
        due = reminder_inputs.deadlines(session)
        log = reminder_log.outcomes(session, day - timedelta(days=max(days) + 1))
    return reminders.plan(due, day, register, days, log)


def run_day(db: Database, cfg: Mapping, day: date, actor: Optional[str],
            notifiers: Optional[list[Notifier]] = None) -> Result:
    """Plan and send the day's reminders (due_soon, overdue) now."""
    with _turn:
        planned = plan_day(db, cfg, day)
        return Result(day, planned, _send(db, cfg, planned, actor, notifiers))


def by_hand(db: Database, cfg: Mapping, code: str, day: date, actor: Optional[str],
            notifiers: Optional[list[Notifier]] = None) -> Result:
    """The district's reminder to one branch of what it has not sent (nothing planned when it has sent
    everything or was reminded by hand today already). UnknownBranch when there is no such branch."""
    with _turn:
        with db.reading() as session:
            branch = reminder_inputs.branch(session, code)
            if branch is None:
                raise UnknownBranch(f"没有编号为「{code}」的支部，无法发送提醒")
            due = reminder_inputs.deadlines(session)
            log = reminder_log.outcomes(session, day)
        planned = reminders.by_hand(branch, due, day, log)
        return Result(day, planned, _send(db, cfg, planned, actor, notifiers))


def returned(db: Database, cfg: Mapping, code: str, day: date, actor: Optional[str], deliverable: str = ANY,
             notifiers: Optional[list[Notifier]] = None) -> Result:
    """The 退回修改 of a branch's `deliverable` ('*': the whole version) told to the branch and the group."""
    with _turn:
        with db.reading() as session:
            branch = reminder_inputs.branch(session, code)
            due = reminder_inputs.deadlines(session)
            log = reminder_log.outcomes(session, day)
        planned = [] if branch is None else reminders.returned(branch, deliverable, due, day, log)
        return Result(day, planned, _send(db, cfg, planned, actor, notifiers))


def returned_later(db: Database, cfg: Mapping, code: str, day: date, actor: Optional[str],
                   deliverable: str = ANY, notifiers: Optional[list[Notifier]] = None) -> Future:
    """returned() in this process's reminder thread, after the review was committed: the review has
    its answer at once, and a failure is logged (the log row says failed), never raised to it."""
    global _later
    with _later_lock:
        if _later is None:
            _later = ThreadPoolExecutor(1, thread_name_prefix="remind")
        pool = _later
    return pool.submit(_logged, lambda: returned(db, cfg, code, day, actor, deliverable, notifiers))


def _logged(work: Callable[[], Result]) -> Optional[Result]:
    try:
        return work()
    except Exception:  # noqa: BLE001 - a reminder must never take anything else down
        LOG.exception("reminder of a 退回 not sent")
        return None


def drain() -> None:
    """Wait until every reminder handed to the thread is done (tests; a process that stops)."""
    with _later_lock:
        pool = _later
    if pool is not None:
        pool.submit(lambda: None).result()
