"""The shipped migrations build exactly the tables the models describe, on both databases, once."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from service.store import migrate
from service.store.db import Database
from service.store.tables import metadata

ROOT = Path(__file__).resolve().parents[2]


def test_migrated_schema_is_the_models(db):
    with db.reading() as session:
        context = MigrationContext.configure(session.connection(), opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
    assert migrate.current(db) == migrate.head()
    tables = set(inspect(db.engine).get_table_names())
    assert {"branches", "submissions", "reviews", "artifacts", "alembic_version"} <= tables


def test_upgrading_twice_changes_nothing(db):
    assert migrate.upgrade(db) == (migrate.head(), migrate.head())


def test_sqlite_has_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'x.db'}", 7.5)
    with db.reading() as session:
        pragma = lambda name: session.connection().exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 7500
    db.dispose()


def test_postgres_sessions_carry_statement_and_lock_timeouts(postgres_url):
    db = Database(postgres_url, 2.5)
    with db.reading() as session:
        show = lambda name: session.connection().exec_driver_sql(f"SHOW {name}").scalar()  # noqa: E731
        assert show("statement_timeout") == "2500ms"
        assert show("lock_timeout") == "2500ms"
        assert show("TimeZone") == "UTC"
    db.dispose()


# create_app itself, in processes of their own as gunicorn's workers start: the embedded database
# is found from INSTANCE_DIR alone (make_app would name the file) and nothing of the tests is loaded
START = """
import sys
from service import create_app
app = create_app({"INSTANCE_DIR": sys.argv[1], "PDF_ENABLED": False, "LOG_LEVEL": "INFO"})
"""


def test_workers_starting_together_migrate_the_embedded_database_once(tmp_path):
    """Four processes create the app on one new SQLite file at the same moment: all start, one migrates."""
    procs = [subprocess.Popen([sys.executable, "-c", START, str(tmp_path)], cwd=ROOT, stderr=subprocess.PIPE,
                              text=True) for _ in range(4)]
    outcomes = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    assert all(code == 0 for code, _ in outcomes), outcomes
    assert sum("Running upgrade  -> 0001" in err for _, err in outcomes) == 1
    db = Database(f"sqlite:///{tmp_path / 'paicha.db'}")
    assert migrate.current(db) == migrate.head()
    db.dispose()
