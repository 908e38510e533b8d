"""Database unavailable in the middle of a write: the submissions table held by another session past
DATABASE_TIMEOUT (PostgreSQL: after the branch row was already written in the same transaction;
SQLite: the whole file locked). The API's PUT and the clerk's upload answer 503 store_unavailable
with Retry-After and say that nothing was kept, so it is sent again; nothing half-written is
left — no branch row, no version, no changed branch details — and the next try is version 1."""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager

import pytest
from sqlalchemy import select, text

from service.store import database
from service.store.access_tables import AuditEvent
from service.store.models import Branch, Submission
from tests.conftest import make_app, upload_file
from tests.databases import count_rows, empty


def counts(app) -> tuple[int, int]:
    """The branches and the versions stored."""
    return count_rows(database(app), Branch), count_rows(database(app), Submission)


@contextmanager
def held(app):
    """Another PostgreSQL session holds the submissions table for the block, not letting go."""
    holder = database(app).engine.connect()
    trans = holder.begin()
    holder.execute(text("LOCK TABLE submissions IN ACCESS EXCLUSIVE MODE"))
    try:
        yield
    finally:
        trans.rollback()
        holder.close()


def refused_whole(client, sample_data) -> None:
    """While the database is held: both ways in are refused, in Chinese, with nothing kept."""
    resp = client.put("/api/v1/branches/WJ017/dataset", json=sample_data)
    body = resp.get_json()
    assert (resp.status_code, body["code"], resp.headers["Retry-After"]) == (503, "store_unavailable", "5"), body
    assert "没有保存" in body["message"] and "重新提交" in body["message"]
    page = upload_file(client, json.dumps(sample_data, ensure_ascii=False).encode(), "WJ017.json")
    html = page.get_data(as_text=True)
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert "没有保存" in html and "重新提交" in html


@pytest.fixture
def pg_app(tmp_path, postgres_url):
    empty(postgres_url)
    app = make_app(tmp_path, DATABASE_URL=postgres_url, DATABASE_TIMEOUT=1.0)
    yield app
    database(app).dispose()


def test_postgresql_held_mid_write_is_503_and_leaves_nothing_half_written(pg_app, sample_data):
    client = pg_app.test_client()
    client.get("/api/v1/branches")  # the client's token is made before the table is held
    with held(pg_app):
        refused_whole(client, sample_data)
    assert counts(pg_app) == (0, 0)  # the branch row written before the version was rolled back with it

    first = client.put("/api/v1/branches/WJ017/dataset", json=sample_data)
    assert first.status_code == 201 and first.get_json()["version"] == 1
    changed = {**sample_data, "org": {**sample_data["org"], "name": "改了名的党支部"}}
    with held(pg_app):
        refused_whole(client, changed)
    assert counts(pg_app) == (1, 1)
    with database(pg_app).reading() as session:
        assert session.scalar(select(Branch.name).where(Branch.code == "WJ017")) == sample_data["org"]["name"]
    again = client.put("/api/v1/branches/WJ017/dataset", json=changed)
    assert again.status_code == 201 and again.get_json()["version"] == 2  # no number was used up


def test_a_sqlite_file_locked_past_the_timeout_is_503_and_stores_nothing(tmp_path, sample_data):
    app = make_app(tmp_path, DATABASE_TIMEOUT=0.5)
    client = app.test_client()
    client.get("/api/v1/branches")
    holder = sqlite3.connect(tmp_path / "instance" / "paicha.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer that does not let go
    try:
        refused_whole(client, sample_data)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert counts(app) == (0, 0)
    resp = client.put("/api/v1/branches/WJ017/dataset", json=sample_data)
    assert resp.status_code == 201 and resp.get_json()["version"] == 1


def test_a_failing_audit_row_takes_its_submission_with_it(pg_app, sample_data):
    """The disk fills just as a stored dataset's audit row is written (a trigger on audit_events
    raising PostgreSQL's disk_full, 53100, after the branch and submission rows are in): the two are
    one transaction, so both ways in answer 503 saying nothing was kept, and nothing was — no version
    kept while the caller is told to send it again. Once the disk has room, the next try is version 1
    and its one audit row says so."""
    engine = database(pg_app).engine
    with engine.begin() as conn:
        conn.execute(text("CREATE FUNCTION paicha_test_disk_full() RETURNS trigger LANGUAGE plpgsql AS "
                          "$$ BEGIN RAISE EXCEPTION 'could not extend file' USING ERRCODE = '53100'; END $$"))
        conn.execute(text("CREATE TRIGGER paicha_test_disk_full BEFORE INSERT ON audit_events "
                          "FOR EACH ROW EXECUTE FUNCTION paicha_test_disk_full()"))
    client = pg_app.test_client()
    try:
        refused_whole(client, sample_data)
    finally:
        with engine.begin() as conn:
            conn.execute(text("DROP TRIGGER paicha_test_disk_full ON audit_events"))
            conn.execute(text("DROP FUNCTION paicha_test_disk_full()"))
    assert counts(pg_app) == (0, 0)
    again = client.put("/api/v1/branches/WJ017/dataset", json=sample_data)
    assert again.status_code == 201 and again.get_json()["version"] == 1
    with database(pg_app).reading() as session:
        trail = session.execute(select(AuditEvent.action, AuditEvent.version, AuditEvent.status)).all()
    assert [tuple(r) for r in trail] == [("store", 1, 201)]
