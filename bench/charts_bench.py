"""The district's charts over a province's worth of stored branches (issue 20: target < 300 ms at 3,000).

    .venv/bin/python bench/charts_bench.py [--branches 3000] [--versions 3] [--members 26] [--runs 7]

Stores the branches as bench/district_bench.py does (its populate(): 10 % never valid, a quarter with
a rejected newest version over a valid one), on SQLite in a temporary folder, then times in this
process through the app's WSGI test client the median of --runs warm calls after one cold call of:
  - GET /api/v1/district/findings, the findings overview: the baseline (it reads every branch once);
  - GET /api/v1/district/charts: all four charts, which read the figures of 附件6/附件9, the findings
    counts, the 报送 times and the campaigns — printed with its ratio to the baseline;
  - the store's part of the charts alone (store.district_charts.charts), so JSON's share shows.
Figures only; not a test.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from district_bench import NOW, Meter, ok, populate, timed  # noqa: E402  (bench/, beside this script)
from signed import district_clients  # noqa: E402

from service import create_app  # noqa: E402
from service.clock import beijing_day  # noqa: E402
from service.store import database, district_charts, migrate  # noqa: E402
from service.store.db import Database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=3000)
    parser.add_argument("--versions", type=int, default=3)
    parser.add_argument("--members", type=int, default=26)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="paicha-charts-bench-") as instance:
        url = f"sqlite:///{instance}/paicha.db"
        db = Database(url, 60.0)
        migrate.upgrade(db)
        with Meter() as filling:
            populate(db, args.branches, args.versions, args.members)
        db.dispose()
        print(f"stored {args.branches} branches × {args.versions} versions in {filling.seconds:.1f} s (SQLite)")
        app = create_app({"DATABASE_URL": url, "INSTANCE_DIR": instance, "PDF_ENABLED": False, "LOG_LEVEL": "WARNING",
                          "CLOCK": lambda: NOW, "RATE_LIMITS": False})
        district_clients(app)
        client = app.test_client()

        def store_only():
            with database(app).reading() as session:
                return district_charts.charts(session, beijing_day(NOW))

        base_cold, base, _ = timed(lambda: ok(client.get("/api/v1/district/findings")), args.runs)
        cold, charts, meter = timed(lambda: ok(client.get("/api/v1/district/charts")), args.runs)
        _, store, _ = timed(store_only, args.runs)
        size = len(client.get("/api/v1/district/charts").data)
        data = json.loads(client.get("/api/v1/district/charts").data)
        print(f"GET /api/v1/district/findings (baseline): {base * 1000:.0f} ms median (cold {base_cold * 1000:.0f} ms)")
        print(f"GET /api/v1/district/charts:              {charts * 1000:.0f} ms median (cold {cold * 1000:.0f} ms), "
              f"×{charts / base:.2f} the baseline, {size / 1024:.0f} KB; target < 300 ms")
        print(f"  this process's CPU time a call: {meter.own_cpu / args.runs * 1000:.0f} ms; the store's part alone "
              f"(district_charts.charts, measured after): {store * 1000:.0f} ms; load average {os.getloadavg()[0]:.1f}")
        print(f"  {data['branches']} branches, {len(data['progress']['days'])} days, "
              f"{len(data['findings']['rules'])} rules, members top {len(data['members']['top'])} + "
              f"{data['members']['rest']['branches']} summed")


if __name__ == "__main__":
    main()
