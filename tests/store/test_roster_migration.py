"""Migration 0014_roster on both databases: versions stored before it kept as they were, "roster" then
admitted as a source, its tables in place; going back refused while a roster version exists."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import inspect, text

from service.intake.received import from_json_body
from service.store import migrate, submissions
from service.store.db import Database
from tests.store.test_list_columns import downgrade, everything, fresh_database, history

T = datetime(2023, 7, 1, tzinfo=timezone.utc)


def assert_downgrade_refused(db: Database, revision: str, reason: str) -> None:
    """Going back to `revision` is refused for `reason` as a whole: nothing of the way down undone, no
    dangling reference left (SQLite's foreign key check)."""
    with pytest.raises(RuntimeError, match=reason):
        downgrade(db, revision)
    assert migrate.current(db) == migrate.head()
    if db.engine.dialect.name == "sqlite":
        with db.reading() as session:
            assert session.execute(text("PRAGMA foreign_key_check")).all() == []


def source_check(db: Database) -> str:
    """The text of the CHECK constraints of submissions, as the database holds them (read from its
    catalog: the code of today cannot write into a database left at an older revision)."""
    with db.reading() as session:
        if db.engine.dialect.name == "sqlite":
            return session.scalar(text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'submissions'"))
        return " ".join(session.scalars(text("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                                             "WHERE conrelid = 'submissions'::regclass AND contype = 'c'")))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrade_keeps_every_version_and_admits_roster(backend, tmp_path, sample_data):
    url, drop = fresh_database(backend, tmp_path)
    db = Database(url, 10.0)
    try:
        migrate.upgrade(db)
        history(db)
        downgrade(db, "0011_list_columns")
        assert not {"roster_mappings", "roster_uploads"} & set(inspect(db.engine).get_table_names())
        before = everything(db)
        assert "'roster'" not in source_check(db)  # the older check refuses the new source
        assert migrate.upgrade(db) == ("0011_list_columns", migrate.head())
        assert everything(db) == before
        assert "'roster'" in source_check(db)
        kept = submissions.submit(db, from_json_body(json.dumps(sample_data).encode()), "roster", T)
        assert kept.valid and kept.version == 1
        assert {"roster_mappings", "roster_uploads"} <= set(inspect(db.engine).get_table_names())
        assert_downgrade_refused(db, "0011_list_columns", "imported from rosters")
    finally:
        db.dispose()
        drop()
