"""What the reminder tests share: branches put straight into the store (as the register will hold
them, without datasets), a robot on loopback that keeps 企业微信's own limit of 20 messages a minute
(errcode 45009 beyond it), and reading the log back."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from sqlalchemy import select

from service.store.models import Branch
from service.store.reminder_tables import ReminderLog
from tests.notify.fakes import OK, RobotServer

FREQ_OUT = {"errcode": 45009, "errmsg": "api freq out of limit"}


def add_branches(db, *branches: tuple[str, str, bool]) -> None:
    """(code, name, has a valid version) each, as stored branches."""
    at = datetime(2023, 6, 1, tzinfo=timezone.utc)
    with db.writing() as session:
        for code, name, valid in branches:
            session.add(Branch(code=code, name=name, created_at=at, updated_at=at, latest_version=1 if valid else None,
                               latest_valid_version=1 if valid else None, rejected_versions=0))


class LimitedRobot(RobotServer):
    """A robot that, like 企业微信's, refuses with errcode 45009 beyond 20 messages in a minute."""

    def __init__(self, answer=lambda call: OK):
        self.times: list[float] = []
        super().__init__(self._limited(answer))

    def _limited(self, answer):
        def respond(call):
            now = time.monotonic()
            self.times[:] = [t for t in self.times if now - t < 60] + [now]
            return FREQ_OUT if len(self.times) > 20 else answer(call)
        return respond


def log_rows(db) -> list[tuple]:
    """(kind, branch, deliverable, channel, outcome) of every row, in order."""
    with db.reading() as session:
        return [(r.kind, r.branch_code, r.deliverable, r.channel, r.outcome)
                for r in session.scalars(select(ReminderLog).order_by(ReminderLog.id))]
