"""The reminder log's writer on both databases: a send's row is committed at once with every row
waiting before it, rows of nothing sent wait for the next send or the end of the run."""
from __future__ import annotations

from datetime import date, datetime, timezone

from service.domain.reminders import Key
from service.store import migrate, reminder_log
from service.store.db import Database

from .helpers import log_rows

T = datetime(2023, 6, 17, tzinfo=timezone.utc)
DAY = date(2023, 6, 17)


def entry(code: str, result: str, channel: str = "email") -> reminder_log.Entry:
    return reminder_log.Entry(T, Key(code, "work_plan", "due_soon", DAY), channel, "", result, "x")


def test_a_sends_row_is_committed_at_once_with_the_rows_before_it(db_url):
    db = Database(db_url, 10.0)
    migrate.upgrade(db)
    try:
        write = reminder_log.writer(db, "tests")
        write(entry("WJ001", "no_channel", "none"))
        write(entry("WJ002", "no_channel", "none"))
        assert log_rows(db) == []  # nothing sent yet: waiting
        write(entry("WJ003", "failed"))
        assert [row[1] for row in log_rows(db)] == ["WJ001", "WJ002", "WJ003"]
        write(entry("WJ004", "no_channel", "none"))
        write.flush()
        write.flush()  # nothing left: nothing written twice
        assert [row[1] for row in log_rows(db)] == ["WJ001", "WJ002", "WJ003", "WJ004"]
        with db.reading() as session:
            rows, total = reminder_log.page(session, 1, 2)
            assert total == 4 and [r.branch_code for r in rows] == ["WJ004", "WJ003"]
            assert {r.actor for r in rows} == {"tests"}
    finally:
        db.dispose()
