"""Migration 0017_invitations on both databases: versions stored before it kept as they were, "member" and
"fix" then admitted as sources, its tables in place; going back refused while such a version exists."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import inspect

from service.intake.received import from_json_body
from service.store import migrate, submissions
from service.store.db import Database
from tests.store.test_roster_migration import assert_downgrade_refused, source_check
from tests.store.test_list_columns import downgrade, everything, fresh_database, history

T = datetime(2023, 7, 1, tzinfo=timezone.utc)
TABLES = {"invitations", "member_responses"}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrade_keeps_every_version_and_admits_member_and_fix(backend, tmp_path, sample_data):
    url, drop = fresh_database(backend, tmp_path)
    db = Database(url, 10.0)
    body = json.dumps(sample_data).encode()
    try:
        migrate.upgrade(db)
        history(db)
        downgrade(db, "0014_roster")
        assert not TABLES & set(inspect(db.engine).get_table_names())
        before = everything(db)
        for source in ("member", "fix"):  # the older check refuses the new sources
            assert f"'{source}'" not in source_check(db)
        assert migrate.upgrade(db) == ("0014_roster", migrate.head())
        assert everything(db) == before
        assert submissions.submit(db, from_json_body(body), "member", T).valid
        assert submissions.submit(db, from_json_body(body), "fix", T).version == 2
        assert TABLES <= set(inspect(db.engine).get_table_names())
        assert_downgrade_refused(db, "0014_roster", "members' confirmations or cells fixed")
    finally:
        db.dispose()
        drop()
