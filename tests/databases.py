"""The store's tests run on both databases: a SQLite file per test, and a throw-away PostgreSQL
database per test session (created on the server PAICHA_TEST_POSTGRES names, migrated with the
shipped migrations, emptied between tests, dropped at the end).

PostgreSQL must answer under CI (.ci/run starts it); elsewhere its half of the tests is skipped
with the reason when no server answers.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest

SERVER = os.environ.get("PAICHA_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")


def _admin():
    """An autocommit connection to the server's maintenance database (CREATE/DROP DATABASE)."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(SERVER)
    return psycopg.connect(host=url.host, port=url.port or 5432, user=url.username, password=url.password,
                           dbname=url.database, autocommit=True, connect_timeout=5)


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh, migrated PostgreSQL database for this session; dropped afterwards."""
    from sqlalchemy.engine import make_url

    try:
        admin = _admin()
    except Exception as err:  # noqa: BLE001 - any reason the server cannot be reached
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL at {SERVER} does not answer ({type(err).__name__}); .ci/run starts one")
    name = f"paicha_test_{os.getpid()}_{secrets.token_hex(4)}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(SERVER).set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
    from service.store import migrate
    from service.store.db import Database

    db = Database(url, 10.0)
    migrate.upgrade(db)
    db.dispose()
    yield url
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty(url: str) -> None:
    """Every table of the store emptied, identities restarted (PostgreSQL, between tests)."""
    from sqlalchemy import text

    from service.store.db import Database
    from service.store.tables import metadata

    db = Database(url, 10.0)
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with db.writing() as session:
        session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.dispose()


def count_rows(db, model) -> int:
    """How many rows the table of `model` holds now."""
    from sqlalchemy import func, select

    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path: Path) -> str:
    """A database URL for one test: a new SQLite file (not yet migrated), or the session's emptied
    PostgreSQL database (migrated)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url = request.getfixturevalue("postgres_url")
    empty(url)
    return url


@pytest.fixture
def db(db_url):
    """The Database on that URL, migrated, disposed after the test."""
    from service.store import migrate
    from service.store.db import Database

    database = Database(db_url, 10.0)
    migrate.upgrade(database)
    yield database
    database.dispose()
