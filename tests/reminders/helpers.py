"""What the reminder tests share: branches put straight into the store (as the register will hold
them, without datasets), a robot on loopback that keeps 企业微信's own limit of 20 messages a minute
(errcode 45009 beyond it), and reading the log back."""
from __future__ import annotations

import json
import time
from datetime import datetime, timezone

from sqlalchemy import select

from service.intake.received import from_json_body
from service.store import deliveries, submissions
from service.store.models import Branch
from service.store.reminder_tables import ReminderLog
from tests.conftest import SAMPLE_PATH
from tests.notify.fakes import OK, RobotServer

FREQ_OUT = {"errcode": 45009, "errmsg": "api freq out of limit"}


def add_branches(db, *branches: tuple[str, str, bool]) -> None:
    """(code, name, sent) each: a branch that has sent stored the sample's data as its first version and
    报送 the 工作方案 and the tables from it (as the 报送 migration counts a first valid version); one
    that has not is a bare stored branch, as the register makes it."""
    at = datetime(2023, 6, 1, tzinfo=timezone.utc)
    for code, name, sent in branches:
        if not sent:
            with db.writing() as session:
                session.add(Branch(code=code, name=name, created_at=at, updated_at=at, rejected_versions=0))
            continue
        data = json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))
        data["org"] = {**data["org"], "code": code, "name": name}
        assert submissions.submit(db, from_json_body(json.dumps(data, ensure_ascii=False).encode()), "api", at).valid
        with db.writing() as session:
            branch = session.scalar(select(Branch).where(Branch.code == code))
            version = deliveries.pick(session, branch, None)
            for deliverable in ("work_plan", "tables"):
                deliveries.deliver(session, branch, deliverable, version, "tests", "api", at)


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
