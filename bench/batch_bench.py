"""Batch regeneration of a synthetic district: RQ, `paicha worker` processes, the machine's PDF pool server.

    .venv/bin/python bench/batch_bench.py [--branches 150] [--members 40] [--workers 1,2] [--formats office,both]
                                          [--redis redis://127.0.0.1:6379/13] [--database URL]

For every (format, number of workers): a fresh copy of the seeded district (no artifacts kept), the
workers started and registered, then the clock runs from creating the batch (as POST /api/v1/batches
does) until its last branch is finished. After each, the same batch again with nothing changed.

Printed for each run: wall time, branches/s, and the CPU the batch kept busy, from the processes' own
accounting (/proc/<pid>/stat utime+stime, and cutime+cstime of children they reaped): the workers,
LibreOffice (the pool server and its unoserver/soffice children), this process (creating the batch,
polling progress) and redis-server when it runs here, divided by wall time × usable CPUs. The
machine-wide busy share (/proc/stat) and the load average are printed beside it: on a machine other
work is loading, the batch's share is what tells. Targets (issue 9): office-only under 30 s,
office+PDF under 5 minutes, an unchanged re-run under 5 % of the first, both cores ≥ 85 % busy.

Not a test. SQLite in a temporary directory unless --database names a PostgreSQL server database to
use (it is emptied). Artifacts in a directory (ARTIFACT_DIR), as workers on several machines share them.
The PDF pool server: two instances (PDF_POOL_SIZE, default usable CPUs) on ports 3703+/3803+, listening
on 3700 (each moved by PAICHA_TEST_PORT_OFFSET as the tests' ports are), its PDF cache off and recycling
off so every PDF is converted and LibreOffice's CPU is counted.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service import config  # noqa: E402
from service.clock import utcnow  # noqa: E402
from service.jobs import batches, progress  # noqa: E402
from service.jobs.queue import RqRunner  # noqa: E402
from service.store import migrate  # noqa: E402
from service.store.db import Database  # noqa: E402

PAICHA = str(Path(sys.executable).with_name("paicha"))
TICKS = os.sysconf("SC_CLK_TCK")
OFFSET = int(os.environ.get("PAICHA_TEST_PORT_OFFSET") or 0)
POOL_LISTEN = f"127.0.0.1:{3700 + OFFSET}"


# ---- CPU accounting ----------------------------------------------------------------------------------------


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds of the process and of the children it reaped)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), sum(int(f) for f in fields[11:15]) / TICKS  # utime stime cutime cstime


def tree_cpu(roots: list[int]) -> float:
    """CPU seconds of the processes `roots` and every live descendant."""
    parents: dict[int, list[int]] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            got = _stat(int(entry.name))
            if got:
                parents.setdefault(got[0], []).append(int(entry.name))
                cpu[int(entry.name)] = got[1]
    total, todo, seen = 0.0, list(roots), set()
    while todo:
        pid = todo.pop()
        if pid in seen or pid not in cpu:
            continue
        seen.add(pid)
        total += cpu[pid]
        todo += parents.get(pid, [])
    return total


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def redis_pid(conn) -> int | None:
    try:
        pid = int(conn.info("server")["process_id"])
    except Exception:  # noqa: BLE001 - not reachable here
        return None
    return pid if Path(f"/proc/{pid}").exists() else None


# ---- the district --------------------------------------------------------------------------------------------


def seed(url: str, branches: int, members: int) -> None:
    from service.intake.received import from_json_body
    from service.store import submissions
    from tools.synthetic import synthetic_branch

    db = Database(url, 60)
    migrate.upgrade(db)
    now = datetime(2023, 7, 12, tzinfo=timezone.utc)
    for i in range(branches):
        data = synthetic_branch(members, seed=5000 + i)
        data["org"].update(code=f"WJ{i:03d}", name=f"武进第{i}实验学校党支部",
                           full_name=f"中共常州市武进区第{i}实验学校支部委员会")
        submissions.submit(db, from_json_body(json.dumps(data, ensure_ascii=False).encode()), "api", now)
    db.dispose()


def fresh_copy(template: Path | None, work: Path, database: str | None) -> str:
    """A database holding the seeded district and no artifact, batch or item."""
    if database:
        from sqlalchemy import text

        db = Database(database, 60)
        with db.writing() as session:
            session.execute(text("TRUNCATE batch_items, batches, artifacts RESTART IDENTITY"))
        db.dispose()
        return database
    target = work / "district.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copy(template, target)
    return f"sqlite:///{target}"


# ---- processes -----------------------------------------------------------------------------------------------


def start_pool(work: Path, env: dict) -> subprocess.Popen:
    pool_env = {**env, "PAICHA_PDF_POOL_BASE_PORT": str(3703 + OFFSET), "PAICHA_PDF_POOL_BASE_UNO_PORT": str(3803 + OFFSET),
                "PAICHA_PDF_CACHE_BYTES": "0", "PAICHA_PDF_RECYCLE_AFTER": "1000000", "PAICHA_PDF_QUEUE_LIMIT": "1000"}
    proc = subprocess.Popen([sys.executable, "-m", "service.pdf.server", "--listen", POOL_LISTEN], cwd=ROOT,
                            env=pool_env, stdout=open(work / "pool.log", "ab"), stderr=subprocess.STDOUT)
    for _ in range(600):
        try:
            status = json.loads(urllib.request.urlopen(f"http://{POOL_LISTEN}/status", timeout=2).read())
            if status.get("ready") or status.get("running"):
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("the PDF pool server did not start; see pool.log")


def stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start_workers(n: int, env: dict, work: Path, runner: RqRunner) -> list[subprocess.Popen]:
    from rq import Worker

    procs = [subprocess.Popen([PAICHA, "worker"], cwd=ROOT, env=env, stdout=open(work / f"worker{i}.log", "ab"),
                              stderr=subprocess.STDOUT) for i in range(n)]
    for _ in range(300):
        if len(Worker.all(queue=runner.queue)) >= n:
            return procs
        time.sleep(0.1)
    raise SystemExit("the workers did not register; see worker*.log")


def conversions() -> float:
    text = urllib.request.urlopen(f"http://{POOL_LISTEN}/metrics", timeout=5).read().decode()
    return sum(float(line.split()[-1]) for line in text.splitlines()
               if line.startswith("paicha_pdf_conversion_seconds_count"))


# ---- one run -------------------------------------------------------------------------------------------------


def run_batch(db: Database, runner: RqRunner, fmt: str, roots: dict[str, list[int]], rpid: int | None) -> dict:
    """Create the batch, follow it to the end; wall time and CPU seconds by group."""
    groups = {name: pids for name, pids in roots.items()}
    if rpid:
        groups["redis-server"] = [rpid]
    before = {name: tree_cpu(pids) for name, pids in groups.items()}
    own_before = sum(os.times()[:4])
    machine_before = machine_busy()
    started = time.monotonic()
    batch_id = batches.create(db, runner, batches.Request(None, list(batches.DEFAULT_PACKAGES), fmt), utcnow())
    while True:
        state = progress.progress(db, runner, batch_id)
        if state["state"] == "finished":
            break
        time.sleep(0.5)  # progress reads reap and list every branch: not free, so not too often
    wall = time.monotonic() - started
    cpu = {name: tree_cpu(pids) - before[name] for name, pids in groups.items()}
    cpu["this process (create, poll)"] = sum(os.times()[:4]) - own_before
    machine_after = machine_busy()
    busy = (machine_after[0] - machine_before[0]) / max(1, machine_after[1] - machine_before[1])
    return {"wall": wall, "cpu": cpu, "machine": busy, "state": state}


def show(label: str, result: dict, cpus: int) -> None:
    state, wall = result["state"], result["wall"]
    total = sum(result["cpu"].values())
    print(f"\n{label}: {wall:.1f} s wall, {state['total'] / wall:.1f} branches/s — done {state['done']}, "
          f"skipped {state['skipped']}, failed {state['failed']}")
    for name, seconds in result["cpu"].items():
        print(f"    {name:<32}{seconds:8.1f} CPU s  ({100 * seconds / (wall * cpus):5.1f} % of {cpus} CPUs)")
    print(f"    {'the batch, all together':<32}{total:8.1f} CPU s  ({100 * total / (wall * cpus):5.1f} % of {cpus} CPUs)")
    print(f"    machine-wide busy (every process, other work included): {100 * result['machine']:.1f} %;"
          f" load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--branches", type=int, default=150)
    parser.add_argument("--members", type=int, default=40)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--formats", default="office,both")
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/13")
    parser.add_argument("--database", help="a PostgreSQL database to use (emptied); default: SQLite in a temp dir")
    args = parser.parse_args()
    cpus = config.usable_cpus()
    print(f"batch bench: {args.branches} branches × {args.members} members, {cpus} usable CPUs, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {datetime.now():%Y-%m-%d %H:%M}")
    with tempfile.TemporaryDirectory(prefix="paicha-batch-bench-") as tmp:
        work = Path(tmp)
        template = work / "template.db"
        started = time.monotonic()
        seed(args.database or f"sqlite:///{template}", args.branches, args.members)
        print(f"seeded in {time.monotonic() - started:.1f} s")
        if args.database:  # the seeded branches stay; only batches and artifacts are emptied per run
            template = None
        queue = f"paicha-bench-{secrets.token_hex(4)}"
        results = {}
        for fmt in args.formats.split(","):
            for n in (int(x) for x in args.workers.split(",")):
                shutil.rmtree(work / "artifacts", ignore_errors=True)
                url = fresh_copy(template, work, args.database)
                env = {**os.environ, "PAICHA_DATABASE_URL": url, "REDIS_URL": args.redis, "PAICHA_BATCH_QUEUE": queue,
                       "PAICHA_ARTIFACT_DIR": str(work / "artifacts"), "PAICHA_LOG_LEVEL": "WARNING",
                       "PAICHA_INSTANCE_DIR": str(work / "instance"), "PAICHA_PDF_ENABLED": "1",
                       "PAICHA_PDF_POOL_URL": f"http://{POOL_LISTEN}", "PAICHA_PDF_DEADLINE": "300",
                       "PAICHA_PDF_POOL_SIZE": str(cpus)}
                cfg = config.load(environ=env)
                db = Database.from_settings(cfg)
                runner = RqRunner(db, cfg["BATCH_LEASE"], cfg["BATCH_ATTEMPTS"], args.redis, queue, 10.0)
                pool = start_pool(work, env) if fmt != "office" else None
                procs = start_workers(n, env, work, runner)
                roots = {f"{n} worker{'s' if n > 1 else ''}": [p.pid for p in procs]}
                if pool:
                    roots["LibreOffice (pool server + soffice)"] = [pool.pid]
                    converted = conversions()
                try:
                    first = run_batch(db, runner, fmt, roots, redis_pid(runner.connection))
                    show(f"{fmt}, {n} worker(s), first run", first, cpus)
                    if pool:
                        print(f"    PDF conversions: {conversions() - converted:.0f}")
                        converted = conversions()
                    again = run_batch(db, runner, fmt, roots, redis_pid(runner.connection))
                    show(f"{fmt}, {n} worker(s), unchanged re-run", again, cpus)
                    print(f"    re-run / first run: {100 * again['wall'] / first['wall']:.2f} %"
                          + (f"; PDF conversions: {conversions() - converted:.0f}" if pool else ""))
                    results[(fmt, n)] = (first, again)
                finally:
                    stop(procs + ([pool] if pool else []))
                    runner.connection.delete(*([k for k in runner.connection.scan_iter(match=f"*{queue}*")] or ["-"]))
                    runner.connection.srem("rq:queues", f"rq:queue:{queue}")
                    db.dispose()
        print("\nsummary (targets: office < 30 s, office+PDF < 300 s, re-run < 5 %, batch ≥ 85 % of the CPUs)")
        for (fmt, n), (first, again) in results.items():
            share = sum(first["cpu"].values()) / (first["wall"] * cpus)
            print(f"  {fmt:<7}{n} worker(s): {first['wall']:7.1f} s, re-run {again['wall']:5.2f} s "
                  f"({100 * again['wall'] / first['wall']:.2f} %), batch CPU {100 * share:5.1f} %, "
                  f"machine busy {100 * first['machine']:5.1f} %")


if __name__ == "__main__":
    main()
