"""Migration 0016_deliveries on both databases: data stored before it carried over — each branch's first
valid version counts as the 报送 of the 工作方案 and of the tables (附件3–9), at that version's time, and of
nothing else; nothing else changed; going back drops the 报送 table."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import inspect, select, text

from service.domain.delivery import Sent
from service.store import deliveries, migrate
from service.store.db import Database
from service.store.models import Submission
from tests.store.test_list_columns import T0, downgrade, everything, fresh_database, history


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_first_valid_version_counts_as_the_work_plan_and_the_tables(backend, tmp_path):
    url, drop = fresh_database(backend, tmp_path)
    db = Database(url, 10.0)
    try:
        migrate.upgrade(db)
        history(db)  # SYN1: rejected, then valid versions 2, 3 (and 6); SYN2: rejected only
        downgrade(db, "0014_roster")
        assert "deliveries" not in inspect(db.engine).get_table_names()
        before = everything(db)
        assert migrate.upgrade(db, "0016_deliveries") == ("0014_roster", "0016_deliveries")
        assert everything(db) == before
        with db.reading() as session:
            code = session.scalar(select(Submission.verification_code).where(Submission.version == 2,
                                                                              Submission.branch_id.is_not(None)))
        first = Sent(2, T0 + timedelta(days=1), code, False)
        assert deliveries.sent(db) == {"SYN1": {"work_plan": first, "tables": first}}
        with db.reading() as session:
            assert session.execute(text("SELECT DISTINCT source, actor FROM deliveries")).all() == [("migration", None)]
        downgrade(db, "0014_roster")
        assert "deliveries" not in inspect(db.engine).get_table_names()
        assert everything(db) == before
        migrate.upgrade(db)
        assert migrate.current(db) == migrate.head()
        if backend == "sqlite":
            with db.reading() as session:
                assert session.execute(text("PRAGMA foreign_key_check")).all() == []
    finally:
        db.dispose()
        drop()
