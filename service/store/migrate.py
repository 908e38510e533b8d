"""The schema's revisions: upgrade a database to the newest, tell where one stands.

The migrations are package data (service/store/migrations), so an installed wheel migrates from
any directory: the embedded SQLite default on start, any other database by `paicha db upgrade`.
"""
from __future__ import annotations

import logging


class _Quiet(logging.Filter):
    """Alembic announces its context on every look at the version table; only migrations are news."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(("Context impl", "Will assume", "setup plugin"))


for _name in ("alembic.runtime.migration", "alembic.runtime.plugins"):
    logging.getLogger(_name).addFilter(_Quiet())


from alembic import command  # noqa: E402  (after the filter: alembic announces its plugins on import)
from alembic.config import Config  # noqa: E402
from alembic.runtime.migration import MigrationContext  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402
from sqlalchemy import text  # noqa: E402

from service.errors import StoreUnavailable  # noqa: E402
from service.resources import package_dir  # noqa: E402

from .db import Database  # noqa: E402


def alembic_config(db: Database | None = None) -> Config:
    """Alembic's settings without an alembic.ini: the packaged scripts, the database's own engine."""
    cfg = Config()
    cfg.set_main_option("script_location", str(package_dir("service.store.migrations")))
    if db is not None:
        cfg.set_main_option("sqlalchemy.url", db.engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def head() -> str:
    """The newest revision this code knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current(db: Database) -> str | None:
    """The revision the database is at (None: never migrated)."""
    with db.reading() as session:
        return MigrationContext.configure(session.connection()).get_current_revision()


def upgrade(db: Database, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate in one writing transaction (on SQLite the write lock is held throughout, so workers
    starting together migrate once, and foreign keys are checked at the end rather than while a
    migration rebuilds a table); (revision before, revision after)."""
    before = current(db)
    if revision == "head" and before == head():
        return before, before
    with db.migrating() as session:
        cfg = alembic_config(db)
        cfg.attributes["connection"] = session.connection()
        command.upgrade(cfg, revision)
        if db.sqlite:  # foreign keys were not enforced while tables were rebuilt: check them all now
            broken = session.execute(text("PRAGMA foreign_key_check")).all()
            if broken:
                raise RuntimeError(f"migration left rows pointing at nothing: {broken[:5]}")
    return before, current(db)


def state(db: Database) -> dict:
    """For /readyz: reachable, and at the newest revision (a PostgreSQL not yet upgraded is not ready)."""
    try:
        revision = current(db)
    except StoreUnavailable as err:
        return {"ok": False, "backend": db.engine.dialect.name, "hint": err.message}
    newest = head()
    out = {"ok": revision == newest, "backend": db.engine.dialect.name, "revision": revision, "head": newest}
    if revision != newest:
        out["hint"] = "数据库结构不是最新：请运行 paicha db upgrade"
    return out
