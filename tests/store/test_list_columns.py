"""The branch list's plain columns (migration 0011_list_columns), on SQLite and PostgreSQL: what
submissions.record keeps with each version and each branch as versions arrive, and what the migration
fills in for versions stored before it — the same values, and nothing else changed by the upgrade."""
from __future__ import annotations

import copy
import json
import os
import secrets
from datetime import datetime, timedelta, timezone

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from service.intake.received import from_json_body
from service.store import migrate, reviews, submissions
from service.store.db import Database
from service.store.models import Branch, Review, Submission
from tests.databases import SERVER, _admin
from tools.synthetic import synthetic_branch

T0 = datetime(2023, 6, 18, 2, 0, tzinfo=timezone.utc)
BEFORE = "0010_access"  # the revision before the list's columns
NEXT_YEAR = {"work_plan": "2024-06-20", "tables": "2024-07-15", "stage_summary": "2024-07-25",
             "final_report": "2024-10-15"}
BRANCH_COLUMNS = ("latest_version", "latest_valid_version", "rejected_versions")
VERSION_COLUMNS = ("lost_contact", "campaign_first_version", "campaign_first_at")


def send(db, data, day: int):
    return submissions.submit(db, from_json_body(json.dumps(data, ensure_ascii=False).encode()), "api",
                              T0 + timedelta(days=day))


def rejected(data: dict) -> dict:
    bad = copy.deepcopy(data)
    bad["members"][0]["gender"] = "不详"
    return bad


def history(db) -> dict:
    """Two branches' versions as a district gets them; {name: dataset} of what was sent.

    SYN1: rejected, valid, valid (changed), rejected, valid with next year's deadlines — the first
    valid version of each campaign counts for it. SYN2: rejected only. Plus input without a branch.
    """
    a = synthetic_branch(26, seed=1)
    a2 = copy.deepcopy(a)
    a2["members"] = a2["members"][:-1]
    a3 = copy.deepcopy(a2)
    a3["campaign"] = {"deadlines": NEXT_YEAR}
    b = synthetic_branch(5, seed=2)
    for day, data in enumerate([rejected(a), a, a2, rejected(a2), rejected(b), a3]):
        send(db, data, day)
    send(db, {"org": {"name": "没有编号"}}, 7)
    with db.writing() as session:  # a review and a batch item point at versions: the rebuild keeps them
        sub = session.scalar(select(Submission).where(Submission.version == 3, Submission.branch_id.is_not(None)))
        reviews.add(session, sub, "returned", "请补充", "王老师", T0 + timedelta(days=8))
    return {"a": a, "a2": a2, "a3": a3}


def columns(db) -> tuple[dict, dict]:
    """({code: the branch's list columns}, {(code, version): the version's})."""
    with db.reading() as session:
        branches = {b.code: tuple(getattr(b, c) for c in BRANCH_COLUMNS) for b in session.scalars(select(Branch))}
        versions = {(s.branch.code if s.branch else None, s.version): tuple(getattr(s, c) for c in VERSION_COLUMNS)
                    for s in session.scalars(select(Submission))}
    return branches, versions


def test_record_keeps_the_lists_columns_as_versions_arrive(db):
    history(db)
    branches, versions = columns(db)
    assert branches == {"SYN1": (5, 5, 2), "SYN2": (1, None, 1)}
    day = lambda n: T0 + timedelta(days=n)  # noqa: E731
    with db.reading() as session:
        e1 = {s.version: s.figures["campaign_summary"]["E1"] for s in session.scalars(
            select(Submission).join(Branch).where(Branch.code == "SYN1", Submission.valid.is_(True)))}
    assert e1[2] > 0  # the synthetic branch has “失联” members: the column is not a default
    nothing = (None, None, None)  # rejected versions, and input without a branch
    assert versions == {
        ("SYN1", 1): nothing, ("SYN1", 2): (e1[2], 2, day(1)), ("SYN1", 3): (e1[3], 2, day(1)),
        ("SYN1", 4): nothing, ("SYN1", 5): (e1[5], 5, day(5)),  # next year's campaign starts its own clock
        ("SYN2", 1): nothing, (None, None): nothing}


def fresh_database(backend: str, tmp_path):
    """A new, empty database (not the session's shared PostgreSQL one: this test moves its schema)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'old.db'}", lambda: None
    try:
        admin = _admin()
    except Exception as err:  # noqa: BLE001 - any reason the server cannot be reached
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL at {SERVER} does not answer ({type(err).__name__})")
    name = f"paicha_test_mig_{os.getpid()}_{secrets.token_hex(4)}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with _admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return make_url(SERVER).set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False), drop


def downgrade(db: Database, revision: str) -> None:
    """As migrate.upgrade runs migrations: on SQLite a migration that rebuilds a table (0014_roster's
    check of submissions.source) runs with foreign keys unenforced; the test checks them afterwards."""
    with db.migrating() as session:
        cfg = migrate.alembic_config(db)
        cfg.attributes["connection"] = session.connection()
        command.downgrade(cfg, revision)


def everything(db) -> dict:
    """Every stored value the upgrade must leave as it was (all tables but the new columns)."""
    out = {}
    with db.reading() as session:
        for table in ("branches", "submissions", "reviews"):
            rows = session.execute(text(f"SELECT * FROM {table} ORDER BY id")).mappings().all()
            out[table] = [{k: v for k, v in row.items() if k not in BRANCH_COLUMNS + VERSION_COLUMNS} for row in rows]
    return out


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrading_a_database_of_the_revision_before_backfills_the_same_values(backend, tmp_path):
    url, drop = fresh_database(backend, tmp_path)
    db = Database(url, 10.0)
    try:
        migrate.upgrade(db)
        history(db)
        expected = columns(db)  # as record() keeps them
        downgrade(db, BEFORE)  # the columns gone: a database as the revision before left it
        assert migrate.current(db) == BEFORE
        before = everything(db)
        with db.reading() as session:
            names = set(session.execute(text("SELECT * FROM submissions LIMIT 1")).keys())
        assert not names & set(VERSION_COLUMNS)
        assert migrate.upgrade(db) == (BEFORE, migrate.head())
        assert columns(db) == expected
        assert everything(db) == before  # every row, its raw bytes and datasets, the review pointing at its version
        if backend == "sqlite":
            with db.reading() as session:
                assert session.execute(text("PRAGMA foreign_key_check")).all() == []
                # unenforced only while migrating: the pooled connection enforces them again
                assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
                order = [r[1] for r in session.execute(text("PRAGMA table_info(submissions)"))]
            assert order.index("campaign_first_at") < order.index("raw")  # beside the small columns
        with db.reading() as session:
            review = session.scalar(select(Review))
            assert (review.submission.version, review.submission.branch.code) == (3, "SYN1")
    finally:
        db.dispose()
        drop()
