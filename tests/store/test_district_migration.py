"""Migration 0019_district on both databases: versions stored before it kept as they were, its two
tables (spot_checks, district_archives) in place and usable; going back drops them and nothing else."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import inspect

from service.store import archives, migrate
from service.store.db import Database
from tests.store.test_list_columns import downgrade, everything, fresh_database, history

T = datetime(2023, 7, 1, tzinfo=timezone.utc)
TABLES = {"spot_checks", "district_archives"}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrade_keeps_every_version_and_adds_the_district_tables(backend, tmp_path):
    url, drop = fresh_database(backend, tmp_path)
    db = Database(url, 10.0)
    try:
        migrate.upgrade(db)  # today's code stores the history, at head
        history(db)
        downgrade(db, "0014_roster")
        before = everything(db)
        assert not TABLES & set(inspect(db.engine).get_table_names())
        assert migrate.upgrade(db) == ("0014_roster", migrate.head())
        assert everything(db) == before
        assert TABLES <= set(inspect(db.engine).get_table_names())
        with db.writing() as session:
            token = archives.start(session, "区委教育工委", 2, T).token
        with db.reading() as session:
            assert archives.newest(session, "building").token == token
        downgrade(db, "0014_roster")
        assert not TABLES & set(inspect(db.engine).get_table_names())
        assert everything(db) == before
    finally:
        db.dispose()
        drop()
