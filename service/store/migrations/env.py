"""Alembic's entry point: migrate the connection service.store.migrate hands over (or the URL it names)."""
from __future__ import annotations

from alembic import context

from service.store.db import make_engine
from service.store.tables import metadata


def run() -> None:
    """Every pending revision in one transaction: a failed migration leaves the schema as it was."""
    config = context.config
    connection = config.attributes.get("connection")
    if connection is None:  # run by the alembic command line with sqlalchemy.url set
        engine = make_engine(config.get_main_option("sqlalchemy.url"), 30.0)
        with engine.begin() as connection:
            _migrate(connection)
        engine.dispose()
        return
    _migrate(connection)


def _migrate(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                      transactional_ddl=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if hasattr(context, "config"):  # alembic is running this file, not a plain import of every module
    run()
