"""The district's memory: branches, every version of their datasets, reviews and rendered artifacts.

SQLAlchemy 2 over SQLite (the default: a file under INSTANCE_DIR, migrated when the app starts) or
PostgreSQL (DATABASE_URL, migrated by `paicha db upgrade`). Modules: db (engine, sessions,
timeouts), base (the metadata, column types), models, batches, access_tables, roster_tables and
delivery_tables (the tables), tables (all of them), migrate (Alembic, migrations/ shipped in the
package), submissions (storing what arrives), branches (the list, one branch, diffs), reviews (核查),
codes (校验码 → version), clerk (a submission as the clerk's result page shows it), artifacts
(rendered files kept for reuse), deliveries (报送, one deliverable at a time: sent() for everyone who
reads it), campaign (the deadlines every deliverable is counted against).
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask

from service.clock import utcnow

from . import tables as _tables  # noqa: F401  (every table on the one metadata before any session)
from .artifacts import Artifacts
from .db import KEY, Database, database

__all__ = ["Database", "database", "init_app", "now", "artifacts_of"]


def init_app(app: Flask) -> Database:
    """The app's database; the embedded SQLite default is brought to the newest schema here."""
    db = Database.from_settings(app.config)
    app.extensions[KEY] = db
    if db.sqlite:
        from .migrate import upgrade

        upgrade(db)
    return db


def now(app: Flask) -> datetime:
    """The current moment in UTC: app.config["CLOCK"] (a callable, for tests) or the system clock."""
    clock = app.config.get("CLOCK")
    return (clock() if clock is not None else utcnow()).astimezone(timezone.utc)


def artifacts_of(app: Flask) -> Artifacts:
    return Artifacts(app.config.get("ARTIFACT_DIR") or None)
