"""Migration 0014_roster on both databases: versions stored before it kept as they were, "roster" then
admitted as a source, its tables in place; going back refused while a roster version exists."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from service.intake.received import from_json_body
from service.store import migrate, submissions
from service.store.db import Database
from tests.store.test_list_columns import downgrade, everything, fresh_database, history

T = datetime(2023, 7, 1, tzinfo=timezone.utc)


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
        with pytest.raises(IntegrityError, match="source"):  # the older check refuses the new source
            submissions.submit(db, from_json_body(json.dumps(sample_data).encode()), "roster", T)
        assert migrate.upgrade(db, "0014_roster") == ("0011_list_columns", "0014_roster")
        assert everything(db) == before
        kept = submissions.submit(db, from_json_body(json.dumps(sample_data).encode()), "roster", T)
        assert kept.valid and kept.version == 1
        assert {"roster_mappings", "roster_uploads"} <= set(inspect(db.engine).get_table_names())
        with pytest.raises(RuntimeError, match="imported from rosters"):
            downgrade(db, "0011_list_columns")
        assert migrate.current(db) == "0014_roster"
        if backend == "sqlite":
            with db.reading() as session:
                assert session.execute(text("PRAGMA foreign_key_check")).all() == []
    finally:
        db.dispose()
        drop()
