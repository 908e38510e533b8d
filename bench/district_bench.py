"""The district's lists and totals over a province's worth of stored branches, on SQLite and PostgreSQL.

    .venv/bin/python bench/district_bench.py [--branches 3000] [--versions 3] [--members 26] [--runs 7]
                                             [--small 150] [--db sqlite,postgresql]

Stores --branches branches with --versions versions each (10 % never valid, a quarter with a rejected
newest version over a valid one), then times, in this process through the app's WSGI test client
(no network), the median of --runs after one cold call:
  - GET /api/v1/branches, the store's branch list (target < 300 ms), with the store's rows alone
    (branches.overview: its two queries and the rows) beside it. HOOK: where that endpoint is not
    in this checkout yet, the store function behind it is timed instead, and the line says so;
  - GET /api/v1/branches/<code>, a branch page: its versions, figures, findings, errors (< 300 ms);
  - GET /api/v1/district/findings (target < 300 ms);
  - GET /api/v1/district/campaign_summary, the district 附件9 as XLSX (target < 3 s), and 附件6;
  - then, in a database of its own, GET /api/v1/branches for a district of --small branches (target
    < 100 ms).
Each figure is printed with its parts (the queries alone, the rest: JSON or the workbook), the CPU
time this process spent a call (on a quiet machine the wall time comes close to it with SQLite, which
runs in this process; PostgreSQL's own work is not in it), the machine's load average and how busy
its CPUs were meanwhile (from /proc/stat), since other work on the machine slows every figure. Not a
test; figures only.

The versions are stored by the store's own record() — one per distinct dataset — and cloned with new
tokens, branches and version numbers, so the rows are what the service stores without validating
9,000 datasets first. PostgreSQL: a throw-away database on PAICHA_BENCH_POSTGRES
(default postgresql+psycopg://postgres@127.0.0.1:5432/test), dropped at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from service import create_app  # noqa: E402
from service.domain.model import Deadlines  # noqa: E402
from service.intake.received import from_json_body  # noqa: E402
from service.store import branches as branch_list  # noqa: E402
from service.store import database, district, migrate, submissions  # noqa: E402
from service.store.db import Database  # noqa: E402
from service.store.models import Branch, Submission  # noqa: E402
from signed import district_clients  # noqa: E402  (bench/, beside this script)
from tools.synthetic import synthetic_branch  # noqa: E402

SERVER = os.environ.get("PAICHA_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
T0 = datetime(2023, 6, 25, 1, 0, tzinfo=timezone.utc)
NOW = datetime(2023, 7, 20, 2, 0, tzinfo=timezone.utc)
VALID_VARIANTS, REJECTED_VARIANTS = 12, 3
TOWNS = ("湖塘", "牛塘", "洛阳", "遥观", "横林", "前黄", "礼嘉", "雪堰")
CHUNK = 1000
PER_BRANCH = ("id", "token", "branch_id", "version", "created_at", "campaign_first_version", "campaign_first_at")
COPIED = [c.key for c in Submission.__table__.columns if c.key not in PER_BRANCH]


# ---- the machine ------------------------------------------------------------------------------------


def cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


class Meter:
    """Wall time, this process's CPU time and the machine's CPU use over a block."""

    def __enter__(self):
        self.wall, self.ticks = time.perf_counter(), cpu_ticks()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.cpu = usage.ru_utime + usage.ru_stime
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.wall
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.own_cpu = usage.ru_utime + usage.ru_stime - self.cpu
        busy, total = (a - b for a, b in zip(cpu_ticks(), self.ticks))
        self.machine_busy = busy / total if total else float("nan")


# ---- the district -----------------------------------------------------------------------------------


def variants(members: int) -> list:
    """Distinct inputs, checked once each: valid datasets and rejected ones."""
    out = []
    for seed in range(VALID_VARIANTS + REJECTED_VARIANTS):
        data = synthetic_branch(members, seed=seed)
        data["org"]["name"] = f"{TOWNS[seed % len(TOWNS)]}第{seed + 1}小学党支部"
        if seed >= VALID_VARIANTS:
            data["members"][0]["gender"] = "不详"
        out.append(from_json_body(json.dumps(data, ensure_ascii=False).encode()))
    return out


def plan(i: int, versions: int) -> list[bool]:
    """Which of a branch's versions pass: 10 % never valid, a quarter end with a rejected one."""
    if i % 10 == 0:
        return [False] * versions
    if i % 4 == 1:
        return [True] * (versions - 1) + [False]
    return [i % 3 != 0 or v > 0 for v in range(versions)]  # a third began with a rejected version


def populate(db: Database, count: int, versions: int, members: int) -> None:
    """`count` branches of `versions` versions each, rows as submissions.record makes them."""
    inputs = variants(members)
    with db.writing() as session:
        rows = [submissions.record(session, received, "api", T0, code=f"V{n:04d}") for n, received in enumerate(inputs)]
        template = [{key: getattr(row, key) for key in COPIED} for row in rows]
        names = {n: (row.branch.name, row.branch.full_name, row.branch.unit_name) for n, row in enumerate(rows)}
        for row in rows:  # only the clones are the district
            session.delete(row)
        session.flush()
        session.execute(Branch.__table__.delete())
    for start in range(0, count, CHUNK):
        with db.writing() as session:
            batch = range(start, min(start + CHUNK, count))
            session.execute(insert(Branch), [
                dict(code=f"B{i:05d}", name=names[i % VALID_VARIANTS][0], full_name=names[i % VALID_VARIANTS][1],
                     unit_name=names[i % VALID_VARIANTS][2], created_at=T0, updated_at=T0,
                     latest_version=versions, rejected_versions=plan(i, versions).count(False),
                     latest_valid_version=max((v for v, ok in enumerate(plan(i, versions), start=1) if ok), default=None))
                for i in batch])
            ids = dict(session.execute(select(Branch.code, Branch.id).where(Branch.code.in_([f"B{i:05d}" for i in batch]))).all())
            subs = []
            for i in batch:
                firsts = {}  # campaign → (version, received): what record() finds for a later valid version
                for v, valid in enumerate(plan(i, versions), start=1):
                    source = template[(i + v) % VALID_VARIANTS] if valid else template[VALID_VARIANTS + i % REJECTED_VARIANTS]
                    at = T0 + timedelta(days=v, seconds=i)
                    first = firsts.setdefault(source["campaign"], (v, at)) if valid else (None, None)
                    subs.append({**source, "token": secrets.token_urlsafe(18), "branch_id": ids[f"B{i:05d}"],
                                 "version": v, "created_at": at, "campaign_first_version": first[0],
                                 "campaign_first_at": first[1]})
            session.execute(insert(Submission), subs)


# ---- the measurements ---------------------------------------------------------------------------------


def timed(call, runs: int) -> tuple[float, float, Meter]:
    """(cold seconds, median seconds of `runs` warm calls, the meter over the warm calls)."""
    start = time.perf_counter()
    call()
    cold = time.perf_counter() - start
    times = []
    with Meter() as meter:
        for _ in range(runs):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
    return cold, statistics.median(times), meter


def ok(response):
    assert response.status_code == 200, (response.status_code, response.get_data(as_text=True)[:300])
    return response


def branch_list_call(app, client):
    """GET /api/v1/branches where this checkout has it; else the store function behind it (the hook)."""
    if any(rule.rule == "/api/v1/branches" for rule in app.url_map.iter_rules()):
        return "GET /api/v1/branches", lambda: ok(client.get("/api/v1/branches"))

    def overview():
        with database(app).reading() as session:
            return branch_list.overview(session, NOW, Deadlines())

    return "branches.overview() [HOOK: GET /api/v1/branches is not in this checkout]", overview


def measure(name: str, url: str, args) -> None:
    print(f"\n== {name}: {args.branches} branches × {args.versions} versions ({args.members} members each)")
    db = Database(url, 60.0)
    migrate.upgrade(db)
    with Meter() as filling:
        populate(db, args.branches, args.versions, args.members)
    db.dispose()
    print(f"stored {args.branches * args.versions} versions in {filling.seconds:.1f} s")
    with tempfile.TemporaryDirectory(prefix="paicha-district-bench-") as instance:
        app = create_app({"DATABASE_URL": url, "INSTANCE_DIR": instance, "PDF_ENABLED": False, "LOG_LEVEL": "WARNING",
                          "CLOCK": lambda: NOW, "RATE_LIMITS": False})
        district_clients(app)  # signed in as the district, by token
        client, store = app.test_client(), database(app)

        def findings_queries():
            with store.reading() as session:
                district.latest_findings(session)
                district.unidentified(session)

        def table_queries():
            with store.reading() as session:
                district.latest_figures(session)

        def list_queries():
            with store.reading() as session:
                branch_list.overview(session, NOW, Deadlines())

        page = "B00001"  # two valid versions, then a rejected one: its errors are on the page too
        label, branch_call = branch_list_call(app, client)
        cases = [
            (label, branch_call, list_queries, 0.3),
            (f"GET /api/v1/branches/{page} (a branch page)", lambda: ok(client.get(f"/api/v1/branches/{page}")),
             None, 0.3),
            ("GET /api/v1/district/findings", lambda: ok(client.get("/api/v1/district/findings")), findings_queries, 0.3),
            ("GET /api/v1/district/campaign_summary (附件9 XLSX)",
             lambda: ok(client.get("/api/v1/district/campaign_summary")), table_queries, 3.0),
            ("GET /api/v1/district/outgoing_summary (附件6 XLSX)",
             lambda: ok(client.get("/api/v1/district/outgoing_summary")), table_queries, 3.0),
        ]
        for label, call, queries, target in cases:
            load = os.getloadavg()[0]
            cold, warm, meter = timed(call, args.runs)
            parts = ""
            if queries is not None:
                _, query, _ = timed(queries, args.runs)
                what = "the store's rows (queries and assembly)" if queries is list_queries else "its queries"
                parts = f"; {what} {query * 1000:.0f} ms, the rest (JSON/workbook) {(warm - query) * 1000:.0f} ms"
            verdict = "under" if warm < target else "OVER"
            print(f"{label}: median {warm * 1000:.0f} ms (cold {cold * 1000:.0f} ms) — {verdict} the "
                  f"{target * 1000:.0f} ms target{parts}; CPU time of this process {meter.own_cpu / args.runs * 1000:.0f} ms "
                  f"a call ({meter.own_cpu / meter.seconds:.0%} of a CPU), the machine's CPUs {meter.machine_busy:.0%} "
                  f"busy, load average {load:.2f}")
        with store.reading() as session:
            rows, unreported = district.latest_figures(session)
        print(f"(the tables list {len(rows)} branches; {unreported} have no valid version; the list's answer is "
              f"{len(client.get('/api/v1/branches').data) / 1e6:.1f} MB)")
        store.dispose()


def measure_small(name: str, url: str, args) -> None:
    """The list of a district (--small branches, 150: the issue's) in a database of its own."""
    db = Database(url, 60.0)
    migrate.upgrade(db)
    populate(db, args.small, args.versions, args.members)
    db.dispose()
    with tempfile.TemporaryDirectory(prefix="paicha-district-bench-") as instance:
        app = create_app({"DATABASE_URL": url, "INSTANCE_DIR": instance, "PDF_ENABLED": False, "LOG_LEVEL": "WARNING",
                          "CLOCK": lambda: NOW, "RATE_LIMITS": False})
        district_clients(app)
        client = app.test_client()
        load = os.getloadavg()[0]
        cold, warm, meter = timed(lambda: ok(client.get("/api/v1/branches")), args.runs)
        verdict = "under" if warm < 0.1 else "OVER"
        print(f"{name}, {args.small} branches × {args.versions} versions: GET /api/v1/branches median "
              f"{warm * 1000:.1f} ms (cold {cold * 1000:.0f} ms) — {verdict} the 100 ms target; CPU time of this "
              f"process {meter.own_cpu / args.runs * 1000:.1f} ms a call, load average {load:.2f}")
        database(app).dispose()


def postgres_database() -> tuple[str, callable]:
    import psycopg

    url = make_url(SERVER)
    name = f"paicha_bench_{os.getpid()}"

    def admin():
        return psycopg.connect(host=url.host, port=url.port or 5432, user=url.username, password=url.password,
                               dbname=url.database, autocommit=True, connect_timeout=5)

    with admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--branches", type=int, default=3000)
    parser.add_argument("--versions", type=int, default=3)
    parser.add_argument("--members", type=int, default=26)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--small", type=int, default=150, help="the branches of a district's list (0: skip it)")
    parser.add_argument("--db", default="sqlite,postgresql")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the start")
    for backend in args.db.split(","):
        if backend not in ("sqlite", "postgresql"):
            raise SystemExit(f"unknown --db {backend}: sqlite or postgresql")
    for backend in args.db.split(","):
        for run, count in ((measure, args.branches), (measure_small, args.small)):
            if not count:
                continue
            if backend == "sqlite":
                with tempfile.TemporaryDirectory(prefix="paicha-district-bench-") as folder:
                    run("SQLite", f"sqlite:///{Path(folder) / 'store.db'}", args)
            else:
                url, drop = postgres_database()
                try:
                    run("PostgreSQL", url, args)
                finally:
                    drop()


if __name__ == "__main__":
    main()
