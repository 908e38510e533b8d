"""The campaign archive (issue 20): its time for a district, the first time and again unchanged.

    .venv/bin/python bench/archive_bench.py [--branches 5] [--members 40] [--full] [--pool 2] [--port 5233]

--full is the issue's size, 150 branches × 40 members (about 1,500 PDF/A conversions the first time:
an hour or more on a 2-core machine); the default is 5 branches × 40 members. Each branch is a
synthetic one stored through the store (submissions.submit), with PDF on and a LibreOffice pool of
--pool instances on ports --port+ (UNO --port+100+, moved by PAICHA_TEST_PORT_OFFSET as the tests'
are). Then service.jobs.district_archive.build runs twice, in this process, with a converter that
counts its calls: the first converts every document to PDF/A-2b, the second (nothing changed)
converts nothing and only reads the kept files. Printed: the seconds of each, the conversions, the
seconds a conversion, the zip's size. Figures only; not a test.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service import create_app  # noqa: E402
from service.clock import utcnow  # noqa: E402
from service.intake.received import from_json_body  # noqa: E402
from service.jobs import district_archive  # noqa: E402
from service.pdf.runtime import KEY, converter_for  # noqa: E402
from service.store import archives, artifacts_of, database, submissions  # noqa: E402
from tools.synthetic import synthetic_branch  # noqa: E402


class Counting:
    """The app's converter, counting its calls."""

    def __init__(self, converter):
        self.converter, self.calls = converter, 0
        self.parallelism = getattr(converter, "parallelism", 1)  # the archive converts this many at a time

    def convert(self, data: bytes, kind: str, **options) -> bytes:
        self.calls += 1
        return self.converter.convert(data, kind, **options)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=5)
    parser.add_argument("--members", type=int, default=40)
    parser.add_argument("--full", action="store_true", help="150 branches × 40 members, the issue's size")
    parser.add_argument("--pool", type=int, default=2)
    parser.add_argument("--port", type=int, default=5233)
    args = parser.parse_args()
    if args.full:
        args.branches, args.members = 150, 40
    offset = int(os.environ.get("PAICHA_TEST_PORT_OFFSET") or 0)
    with tempfile.TemporaryDirectory(prefix="paicha-archive-bench-") as instance:
        app = create_app({"INSTANCE_DIR": instance, "DATABASE_URL": f"sqlite:///{instance}/paicha.db",
                          "PDF_ENABLED": True, "PDF_POOL_SIZE": args.pool, "PDF_POOL_BASE_PORT": args.port + offset,
                          "PDF_POOL_BASE_UNO_PORT": args.port + 100 + offset, "LOG_LEVEL": "WARNING"})
        db, artifacts = database(app), artifacts_of(app)
        for i in range(args.branches):
            data = synthetic_branch(args.members, seed=3000 + i)
            data["org"].update(code=f"A{i:04d}", name=f"归档测试第{i + 1}党支部")
            submissions.submit(db, from_json_body(json.dumps(data, ensure_ascii=False).encode()), "api", utcnow())
        counting = Counting(converter_for(app))
        try:
            figures = []
            for run in ("first", "again, unchanged"):
                with db.writing() as session:
                    token = archives.start(session, "bench", args.branches, utcnow()).token
                before, start = counting.calls, time.perf_counter()
                district_archive.build(db, artifacts, lambda: counting, token)
                seconds = time.perf_counter() - start
                size = len(district_archive.newest_zip(db, artifacts).data)
                figures.append((run, seconds, counting.calls - before, size))
            print(f"archive of {args.branches} branches × {args.members} members, LibreOffice pool of {args.pool}, "
                  f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
            for run, seconds, converted, size in figures:
                each = f", {seconds / converted:.2f} s a conversion" if converted else ""
                print(f"  {run}: {seconds:.1f} s, {converted} PDF/A conversions{each}, zip {size / 1e6:.1f} MB")
        finally:
            pool = app.extensions.get(KEY)
            if pool is not None:
                pool.stop()


if __name__ == "__main__":
    main()
