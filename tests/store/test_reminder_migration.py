"""Migration 0018_reminders on both databases: every stored row kept, the two reminder tables added,
and going back removes them again."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import inspect

from service.domain.reminders import Key
from service.store import migrate, reminder_log
from service.store.db import Database
from tests.store.test_list_columns import downgrade, everything, fresh_database, history

T = datetime(2023, 6, 17, tzinfo=timezone.utc)
TABLES = {"reminder_log", "reminder_runs"}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrade_keeps_every_row_and_adds_the_reminder_tables(backend, tmp_path, sample_data):
    url, drop = fresh_database(backend, tmp_path)
    db = Database(url, 10.0)
    try:
        migrate.upgrade(db)
        history(db)
        downgrade(db, "0014_roster")
        assert not TABLES & set(inspect(db.engine).get_table_names())
        before = everything(db)
        assert migrate.upgrade(db) == ("0014_roster", migrate.head())
        assert everything(db) == before
        assert TABLES <= set(inspect(db.engine).get_table_names())
        entry = reminder_log.Entry(T, Key("WJ017", "work_plan", "due_soon", date(2023, 6, 17)), "wecom",
                                   "企业微信群机器人", "accepted", "errcode 0")
        reminder_log.writer(db, "tests")(entry)
        assert reminder_log.claim_day(db, date(2023, 6, 17), T)
        with db.reading() as session:
            assert reminder_log.outcomes(session, date(2023, 6, 1)) == [
                reminder_log.Outcome(entry.key, "wecom", "accepted")]
        downgrade(db, "0014_roster")
        assert not TABLES & set(inspect(db.engine).get_table_names())
        assert everything(db) == before
    finally:
        db.dispose()
        drop()
