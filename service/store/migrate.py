"""The schema's revisions: upgrade a database to the newest, tell where one stands.

The migrations are package data (service/store/migrations), so an installed wheel migrates from
any directory: the embedded SQLite default on start, any other database by `paicha db upgrade`.
"""
from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from service.resources import package_dir

from .db import Database


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
    starting together migrate once); (revision before, revision after)."""
    before = current(db)
    if revision == "head" and before == head():
        return before, before
    with db.writing() as session:
        cfg = alembic_config(db)
        cfg.attributes["connection"] = session.connection()
        command.upgrade(cfg, revision)
    return before, current(db)
