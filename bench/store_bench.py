"""Store benchmark: the district's reads over many stored branches, on SQLite and on PostgreSQL.

Fills a new database with N branches (a few versions each: valid ones, and a rejected one for every
third branch, a review for every fifth), then times through the app (Flask's test client: the
handler, the queries and the JSON, no network) the branch list, one branch's page, a diff and a
verify look-up, the district's pages (the list, filtered, a branch with a diff), and counts the list's
SQL statements. Prints medians; asserts nothing.

    .venv/bin/python bench/store_bench.py [--branches 150,3000] [--members 40] [--runs 7]
    PAICHA_TEST_POSTGRES=postgresql+psycopg://postgres@127.0.0.1:5432/test   # where a throw-away database is made

The datasets are validated once per size and re-labelled per branch (a new org.code), so filling
3,000 branches takes seconds, not the hour that validating each from scratch would.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from service import create_app  # noqa: E402
from service.intake.received import from_json_body  # noqa: E402
from service.store import database, migrate, submissions  # noqa: E402
from service.store.db import Database  # noqa: E402
from tools.statements import statements  # noqa: E402
from tools.synthetic import synthetic_branch  # noqa: E402
from signed import district_clients  # noqa: E402  (bench/, beside this script)

SERVER = os.environ.get("PAICHA_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def relabel(received, code: str):
    """The same valid dataset under another branch code (its hash and 校验码 change with it)."""
    ds = received.dataset
    ds = dataclasses.replace(ds, org=dataclasses.replace(ds.org, code=code))
    data = {**received.data, "org": {**received.data["org"], "code": code}}
    return dataclasses.replace(received, dataset=ds, data=data)


def fill(app, count: int, members: int) -> str:
    """count branches, two valid versions each (a third: a rejected one on top); a 校验码 to look up."""
    db = database(app)
    first = from_json_body(json.dumps(synthetic_branch(members, seed=1)).encode())
    second = from_json_body(json.dumps(synthetic_branch(members, seed=2)).encode())
    rejected = from_json_body(json.dumps({**synthetic_branch(3, seed=3), "members": []}).encode())
    when = datetime(2023, 6, 15, tzinfo=timezone.utc)
    code = None
    for i in range(count):
        branch = f"B{i:05d}"
        kept = submissions.submit(db, relabel(first, branch), "batch", when)
        submissions.submit(db, relabel(second, branch), "api", when + timedelta(days=3))
        if i % 3 == 0:
            submissions.submit(db, dataclasses.replace(rejected, data={"org": {"code": branch}}), "api",
                               when + timedelta(days=5))
        if i % 5 == 0:
            app.test_client().post(f"/api/v1/branches/{branch}/versions/1/review",
                                   json={"decision": "returned", "reason": "请补充"})
        code = code or kept.verification_code
    return code


def timed(client, url: str, runs: int) -> float:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        resp = client.get(url)
        samples.append(time.perf_counter() - t0)
        assert resp.status_code == 200, (url, resp.status_code, resp.get_data(as_text=True)[:300])
    return statistics.median(samples) * 1000


def queries(app, url: str) -> int:
    """The SQL statements a GET of `url` sends, every one counted."""
    with statements(database(app).engine) as seen:
        app.test_client().get(url)
    return len(seen)


def postgres_database():
    """A throw-away PostgreSQL database, or None when no server answers."""
    try:
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(SERVER)
        admin = psycopg.connect(host=url.host, port=url.port or 5432, user=url.username, dbname=url.database,
                                autocommit=True, connect_timeout=5)
    except Exception as err:  # noqa: BLE001 - report and carry on with SQLite
        print(f"PostgreSQL at {SERVER}: {type(err).__name__}; SQLite only")
        return None, None
    name = f"paicha_bench_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    return admin, url.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False), name


def run(backend: str, url: str, count: int, members: int, runs: int, folder: Path) -> None:
    if not url.startswith("sqlite"):
        db = Database(url)
        migrate.upgrade(db)
        db.dispose()
    app = create_app({"INSTANCE_DIR": str(folder), "DATABASE_URL": url, "PDF_ENABLED": False, "LOG_LEVEL": "WARNING",
                      "RATE_LIMITS": False})
    district_clients(app)  # signed in as the district, by token
    t0 = time.perf_counter()
    code = fill(app, count, members)
    filled = time.perf_counter() - t0
    client = app.test_client()
    rows = {
        "list": timed(client, "/api/v1/branches", runs),
        "branch page": timed(client, "/api/v1/branches/B00000", runs),
        "diff 1→2": timed(client, "/api/v1/branches/B00003/versions/1/diff/2", runs),
        "verify": timed(client, f"/api/v1/verify/{code}", runs),
        "page: list": timed(client, "/district/", runs),  # the district's pages: HTML, 200 rows a page
        "page: filtered": timed(client, "/district/?filter=pending&q=B0", runs),
        "page: branch + diff": timed(client, "/district/branches/B00003?from=1&to=2", runs),
    }
    print(f"{backend:10} {count:5} branches × {members} members (filled in {filled:5.1f} s), "
          f"list = {queries(app, '/api/v1/branches')} SQL statements: "
          + ", ".join(f"{name} {ms:7.1f} ms" for name, ms in rows.items()))
    database(app).dispose()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--branches", default="150,3000")
    parser.add_argument("--members", type=int, default=40)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    print(f"median of {args.runs} runs per request; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    for count in (int(n) for n in args.branches.split(",")):
        with tempfile.TemporaryDirectory(prefix="paicha-store-bench-") as scratch:
            run("sqlite", f"sqlite:///{scratch}/bench.db", count, args.members, args.runs, Path(scratch))
            admin, url, *rest = postgres_database()
            if admin is None:
                continue
            try:
                run("postgresql", url, count, args.members, args.runs, Path(scratch))
            finally:
                admin.execute(f'DROP DATABASE IF EXISTS "{rest[0]}" WITH (FORCE)')
                admin.close()


if __name__ == "__main__":
    main()
