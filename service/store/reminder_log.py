"""The reminder log: each send written as it ends, read back for the planner's dedupe and for the
district (GET /api/v1/reminders, the log page), newest first; and the claim of a day's scheduled run.

Rows are committed as sends end (`Writer`): a run cut short keeps what it sent, so what was taken
is never sent twice. The planner reads the rows of the last days only (`outcomes`): a key's
day is at most the largest REMIND_DAYS_BEFORE back.
"""
from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import date, datetime
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.domain import disclosure
from service.domain.reminders import NO_CHANNEL, Key

from .db import Database
from .reminder_tables import ReminderLog, ReminderRun

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class Outcome:
    """A row as the planner reads it (service.domain.reminders.Outcome)."""

    key: Key
    channel: str
    result: str


@dataclass(frozen=True)
class Entry:
    """A send to log: the fields of service.notify.dispatch.LogRow, which the store does not import."""

    at: datetime
    key: Key
    channel: str
    recipient: str
    result: str
    detail: str


def add(session: Session, entry: Entry, actor: Optional[str]) -> ReminderLog:
    row = _row(entry, actor)
    session.add(row)
    session.flush()
    return row


def _row(entry: Entry, actor: Optional[str]) -> ReminderLog:
    key = entry.key
    return ReminderLog(at=entry.at, day=key.day, kind=key.kind, branch_code=key.branch[:16],
                      deliverable=key.deliverable[:20], channel=entry.channel,
                      recipient=disclosure.redact(entry.recipient)[:300], outcome=entry.result,
                      detail=disclosure.redact(entry.detail)[:200], actor=(actor or None) and actor[:100])


class Writer:
    """Writes entries as a run makes them. A send's row (accepted, failed) is committed at once, with any
    rows waiting before it: a run cut short keeps every send it made, so none is sent twice. A row of
    nothing sent (no_channel) waits for the next send's commit or flush(): a run of a district without
    channels logs a thousand of them in one transaction, and losing them costs no message."""

    def __init__(self, db: Database, actor: Optional[str]):
        self.db, self.actor = db, actor
        self.waiting: list[Entry] = []

    def __call__(self, entry: Entry) -> None:
        self.waiting.append(entry)
        if entry.result != NO_CHANNEL:
            self.flush()

    def flush(self) -> None:
        if not self.waiting:
            return
        with self.db.writing() as session:
            session.add_all([_row(entry, self.actor) for entry in self.waiting])
        self.waiting = []


def writer(db: Database, actor: Optional[str]) -> Writer:
    return Writer(db, actor)


def outcomes(session: Session, since: date) -> list[Outcome]:
    """The rows of the days from `since` on, in the order they were written."""
    rows = session.execute(select(ReminderLog.day, ReminderLog.kind, ReminderLog.branch_code,
                                  ReminderLog.deliverable, ReminderLog.channel, ReminderLog.outcome)
                           .where(ReminderLog.day >= since).order_by(ReminderLog.id))
    return [Outcome(Key(branch, deliverable, kind, day), channel, outcome)
            for day, kind, branch, deliverable, channel, outcome in rows]


def page(session: Session, number: int = 1, size: int = PAGE_SIZE,
         branch: Optional[str] = None) -> tuple[list[ReminderLog], int]:
    """One page of the log, newest first, and how many rows there are (of `branch` only when given)."""
    where = [ReminderLog.branch_code == branch] if branch else []
    total = session.scalar(select(func.count()).select_from(ReminderLog).where(*where)) or 0
    rows = session.scalars(select(ReminderLog).where(*where).order_by(ReminderLog.id.desc())
                           .offset((number - 1) * size).limit(size)).all()
    return list(rows), total


def as_dict(row: ReminderLog) -> dict:
    return {"id": row.id, "at": row.at.isoformat(), "day": row.day.isoformat(), "kind": row.kind,
            "branch": row.branch_code, "deliverable": row.deliverable, "channel": row.channel,
            "recipient": row.recipient, "outcome": row.outcome, "detail": row.detail, "actor": row.actor}


def claim_day(db: Database, day: date, now: datetime) -> bool:
    """Take the scheduled run of `day` for this process: True for the one process that inserted the
    day's row, False for every other (the unique day decides, on SQLite and PostgreSQL alike)."""
    try:
        with db.writing() as session:
            session.add(ReminderRun(day=day, owner=f"{socket.gethostname()[:80]}:{os.getpid()}", claimed_at=now))
    except IntegrityError:
        return False
    return True


def claimed(session: Session, day: date) -> bool:
    return session.scalar(select(ReminderRun.id).where(ReminderRun.day == day)) is not None
