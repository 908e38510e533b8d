"""The engine and its sessions: SQLite (WAL, foreign keys, a busy timeout) or PostgreSQL (psycopg 3).

Every call waits at most DATABASE_TIMEOUT seconds: SQLite's busy timeout, PostgreSQL's connect,
statement and lock timeouts, and the wait for a pooled connection. A database that does not
answer in time becomes StoreUnavailable (503 with Retry-After), never a hung worker.

Writers on SQLite begin with BEGIN IMMEDIATE: the write lock is taken before the first read, so
two writers queue on the busy timeout instead of one failing when it upgrades a read lock.

JSON columns are read with orjson (a few times faster than the standard library's json on the
thousands of findings counts of the branch list, and on every stored dataset); they are written
with the standard library's json as before, so the stored text does not change.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from service.errors import StoreUnavailable

log = logging.getLogger(__name__)
KEY = "paicha.database"
UNAVAILABLE = "数据库暂时不可用（连接失败或等待超时），请稍后重试"
# a write that failed was rolled back whole: say so, so that what was sent is sent again, not taken as kept
NOT_STORED = "数据库暂时不可用（连接失败或等待超时），本次提交的内容没有保存，请稍后重新提交"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, timeout: float) -> Engine:
    """An engine whose every call has a deadline."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, timeout)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    ms = int(timeout * 1000)
    return create_engine(url, pool_pre_ping=True, pool_timeout=timeout, json_deserializer=orjson.loads, connect_args={
        "connect_timeout": max(1, int(timeout)),
        "options": f"-c statement_timeout={ms} -c lock_timeout={ms} -c timezone=UTC",
    })


def _sqlite_engine(url: str, timeout: float) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_timeout=timeout, json_deserializer=orjson.loads,
                           connect_args={"timeout": timeout, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")  # WAL: durable at checkpoints, never corrupt
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        options = connection.get_execution_options()
        if options.get("sqlite_foreign_keys") is False:  # migrating: set before BEGIN, or SQLite ignores it
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
            connection.connection.info["foreign_keys_off"] = True
        connection.exec_driver_sql("BEGIN IMMEDIATE" if options.get("sqlite_write") else "BEGIN")

    @event.listens_for(engine, "checkin")
    def _checkin(dbapi_connection, record):
        if record is not None and record.info.pop("foreign_keys_off", False):  # back on for the next user
            dbapi_connection.execute("PRAGMA foreign_keys = ON")

    return engine


class Database:
    """One engine per process, a reading and a writing session factory."""

    def __init__(self, url: str, timeout: float = 30.0):
        self.url = url
        self.engine = make_engine(url, timeout)
        self.sqlite = is_sqlite(url)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        writer = self.engine.execution_options(sqlite_write=True) if self.sqlite else self.engine
        self._write = sessionmaker(writer, expire_on_commit=False)
        migrator = writer.execution_options(sqlite_foreign_keys=False) if self.sqlite else writer
        self._migrate = sessionmaker(migrator, expire_on_commit=False)

    @classmethod
    def from_settings(cls, values: dict) -> "Database":
        return cls(values["DATABASE_URL"], float(values["DATABASE_TIMEOUT"]))

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for queries; nothing it does is committed."""
        with self._guard(UNAVAILABLE), self._read() as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session committed when the block ends without an exception, rolled back otherwise."""
        with self._guard(NOT_STORED), self._write() as session, session.begin():
            yield session

    @contextmanager
    def migrating(self) -> Iterator[Session]:
        """writing() for schema changes: on SQLite without enforcing foreign keys, as SQLite's way of
        rebuilding a table requires (a table that other tables point at is dropped and its copy
        renamed); the caller checks them before the commit (PRAGMA foreign_key_check)."""
        with self._guard(NOT_STORED), self._migrate() as session, session.begin():
            yield session

    @contextmanager
    def _guard(self, message: str) -> Iterator[None]:
        try:
            yield
        except (OperationalError, PoolTimeout) as err:
            log.error("database unavailable: %s", type(err.orig if hasattr(err, "orig") else err).__name__)
            raise StoreUnavailable(message) from err

    def dispose(self) -> None:
        self.engine.dispose()


def database(app) -> Database:
    """The app's database (store.init_app made it)."""
    return app.extensions[KEY]
