"""A reminder run from the store: 3,000 registered branches read, planned, sent and logged row by row
(service.jobs.reminders.run_day), on SQLite and, when it answers, PostgreSQL.

    .venv/bin/python bench/remind_store_bench.py [--branches 3000] [--postgres URL]

The branches go straight into the store (a third with nothing valid, two thirds with a valid
version: the stand-in counts that as the 工作方案 and the tables sent). Timed, on Beijing days of the
notice's calendar, through two notifiers that take everything at once (bench/remind_bench.py's
Taker: the robots' rate limit aside):
  - 6月17日, three days before the 工作方案: the group message and a row per silent branch (logged
    no_channel: the stand-in has no e-mail addresses; with addresses, one e-mail each);
  - the same day again: the log read back, nothing planned;
  - 7月26日: the overdue digest.
Beside them the baseline: reading the branches alone (reminder_inputs.branches). Figures only.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.remind_bench import Taker  # noqa: E402
from service import config  # noqa: E402
from service.domain.reminders import GROUP, MAIL  # noqa: E402
from service.jobs import reminders  # noqa: E402
from service.store import migrate, reminder_inputs  # noqa: E402
from service.store.db import Database  # noqa: E402
from service.store.models import Branch  # noqa: E402


def fill(db: Database, n: int) -> None:
    at = datetime(2023, 6, 1, tzinfo=timezone.utc)
    with db.writing() as session:
        session.add_all([Branch(code=f"WJ{i:04d}", name=f"武进区第{i + 1}实验学校党支部", created_at=at, updated_at=at,
                                latest_version=1, latest_valid_version=None if i % 3 == 0 else 1, rejected_versions=0)
                         for i in range(n)])


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def bench(label: str, url: str, n: int) -> None:
    db = Database(url, 30.0)
    migrate.upgrade(db)
    fill(db, n)
    cfg = config.load({"DATABASE_URL": url}, environ={})
    base, _ = timed(lambda: _read(db))
    print(f"{label}: {n} branches; baseline (the branches read) {base * 1000:.1f} ms")
    for title, day in (("6月17日, 3 days before 工作方案", date(2023, 6, 17)), ("6月17日 again", date(2023, 6, 17)),
                       ("7月26日, overdue digest", date(2023, 7, 26))):
        notifiers = [Taker("wecom", GROUP), Taker("email", MAIL)]
        took, result = timed(lambda: reminders.run_day(db, cfg, day, "bench", notifiers))
        print(f"  {title}: {len(result.planned)} planned, {len(result.rows)} log rows, "
              f"{sum(t.kept for t in notifiers)} taken in {took * 1000:.1f} ms ({took / base:.0f}× the baseline)")
    db.dispose()


def _read(db: Database):
    with db.reading() as session:
        return reminder_inputs.branches(session)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=3000)
    parser.add_argument("--postgres", help="an empty PostgreSQL database (postgresql+psycopg://…)")
    args = parser.parse_args()
    print(f"load average before {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as folder:
        bench("SQLite", f"sqlite:///{folder}/bench.db", args.branches)
    if args.postgres:
        bench("PostgreSQL", args.postgres, args.branches)
    print(f"load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
