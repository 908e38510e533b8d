"""The full PDF package (`all` in pdf) for a 60-member branch: warm pool vs cold soffice vs raw XML-RPC.

    .venv/bin/python bench/pdf_package_bench.py [--members 60] [--runs 5] [--many 500]

Prints, for the ten documents of the `all` package (工作方案, 阶段性小结, 工作总结, 附件3–9):
- the package through render_package(…, "all", "pdf", pool) with a warm pool of 2 (PDF cache off),
  median of --runs, and the pool's conversions alone (same files, same 2-way parallelism);
- (a) a cold `soffice --headless --convert-to pdf` per file (ASCII names in a temp dir, one
  profile made beforehand so only the process start is cold), sequential as a clerk's script runs it;
- (b) raw XML-RPC `convert` of the same files on the same instances, 2-way parallel;
- throughput of a pool of 1 vs 2 instances on the same batch;
- RSS per instance (soffice.bin alone and the whole group) after --many conversions.
Targets: package ≥5× faster than (a); pool overhead over (b) ≤15%; 2 instances ≥1.7× of 1.
Not a test; figures only. Ports 2343+ and 2353 (apart from the test suites).
"""
from __future__ import annotations

import argparse
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from prometheus_client import CollectorRegistry  # noqa: E402

import schemas  # noqa: E402
from service.documents import packages, render  # noqa: E402
from service.domain import catalog  # noqa: E402
from service.pdf.pool import FILTERS, ConversionPool  # noqa: E402
from service.pdf.cache import PdfCache  # noqa: E402
from service.pdf.supervisor import group_pids, rpc, rss_bytes  # noqa: E402
from tools.synthetic import synthetic_branch  # noqa: E402

ALL_IDS = packages.documents_of(catalog.PACKAGES["all"])  # what the `all` package converts


def new_pool(size: int, base: int, recycle_after: int = 200) -> ConversionPool:
    return ConversionPool(size=size, base_port=base, base_uno_port=base + 100, deadline=180,
                          queue_limit=1000, recycle_after=recycle_after, cache=PdfCache(max_bytes=0),
                          registry=CollectorRegistry()).start(wait=180)


def median_time(fn, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def raw_convert(inst, data: bytes, kind: str) -> bytes:
    infilter, outfilter, _ = FILTERS[kind]
    result = rpc(inst.host, inst.port, 180).convert(
        None, xmlrpc.client.Binary(data), None, "pdf", outfilter, [], True, infilter, None)
    return result.data


def raw_batch(pool: ConversionPool, files: list[tuple[str, str, bytes]]) -> None:
    """Each instance takes the next file from a shared queue: the pool's scheduling, minus the pool."""
    todo: queue.Queue = queue.Queue()
    for f in files:
        todo.put(f)

    def worker(inst):
        while True:
            try:
                _, kind, data = todo.get_nowait()
            except queue.Empty:
                return
            assert raw_convert(inst, data, kind).startswith(b"%PDF")

    threads = [threading.Thread(target=worker, args=(i,)) for i in pool.instances]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def pool_batch(pool: ConversionPool, files: list[tuple[str, str, bytes]], workers: int) -> None:
    with ThreadPoolExecutor(max_workers=workers) as ex:
        for pdf in ex.map(lambda f: pool.convert(f[2], f[1]), files):
            assert pdf.startswith(b"%PDF")


def cold_all(files: list[tuple[str, str, bytes]], tmp: Path, profile: str) -> dict[str, float]:
    times = {}
    for i, (doc_id, kind, data) in enumerate(files):
        src = tmp / f"doc{i:02d}.{kind}"
        src.write_bytes(data)
        started = time.perf_counter()
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
                        "--outdir", str(tmp / "out"), str(src)], check=True, timeout=300,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times[doc_id] = time.perf_counter() - started
        assert (tmp / "out" / f"doc{i:02d}.pdf").read_bytes().startswith(b"%PDF")
    return times


def soffice_rss(inst) -> tuple[int, int]:
    """(soffice.bin RSS, whole process group RSS) of one instance, bytes."""
    pids = group_pids(inst.pid) if inst.pid else []
    soffice = [p for p in pids if b"soffice.bin" in Path(f"/proc/{p}/cmdline").read_bytes()]
    return rss_bytes(soffice), rss_bytes(pids)


def mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold-runs", type=int, default=1)
    parser.add_argument("--many", type=int, default=500, help="conversions before measuring RSS")
    parser.add_argument("--many-seconds", type=float, default=600, help="stop the RSS loop after this")
    args = parser.parse_args()

    ds = schemas.load_dataset(synthetic_branch(args.members, seed=1))
    files = [(d, render.document(d).kind, render.render_office(ds, d)) for d in ALL_IDS]
    office, _ = median_time(lambda: [render.render_office(ds, d) for d in ALL_IDS], args.runs)
    print(f"load average at start: {' '.join(Path('/proc/loadavg').read_text().split()[:3])} "
          f"(2 cores; other work on the machine skews every figure)")
    print(f"PDF package bench: `all` for {args.members} members = {len(files)} documents "
          f"({sum(len(f[2]) for f in files) // 1024} KB of DOCX/XLSX); office rendering alone {office:.2f} s")

    pool2 = new_pool(2, 2343, recycle_after=10**6)
    try:
        print(f"LibreOffice {pool2.version}; pool of 2 warm (cache off)")
        packages.render_package(ds, "all", "pdf", pool2)  # warm-up: first documents on fresh instances
        raw_batch(pool2, files)

        # interleaved, so that a neighbour's load (2 shared cores) hits all three alike
        samples: dict[str, list[float]] = {"pkg": [], "conv": [], "raw": []}
        for _ in range(args.runs):
            samples["pkg"].append(median_time(lambda: packages.render_package(ds, "all", "pdf", pool2), 1)[0])
            samples["conv"].append(median_time(lambda: pool_batch(pool2, files, 2), 1)[0])
            samples["raw"].append(median_time(lambda: raw_batch(pool2, files), 1)[0])
        pkg, conv, raw = (statistics.median(samples[k]) for k in ("pkg", "conv", "raw"))
        pkg_all = samples["pkg"]
        per_file = {}
        for doc_id, kind, data in files:
            per_file[doc_id] = median_time(lambda: raw_convert(pool2.instances[0], data, kind), 1)[0]

        with tempfile.TemporaryDirectory(prefix="paicha-cold-") as tmpdir:
            tmp = Path(tmpdir)
            profile = (tmp / "profile").as_uri()
            cold_all(files[:1], tmp, profile)  # makes the profile once
            colds = [cold_all(files, tmp, profile) for _ in range(args.cold_runs)]
        cold = statistics.median(sum(c.values()) for c in colds)

        print()
        print(f"{'document':24s} {'raw XML-RPC (1 inst)':>20s} {'cold soffice':>13s}")
        for doc_id in ALL_IDS:
            print(f"{doc_id:24s} {per_file[doc_id]:19.2f}s {statistics.median(c[doc_id] for c in colds):12.2f}s")
        print()
        print(f"package `all` pdf, warm pool of 2, median of {args.runs}: {pkg:.2f} s  "
              f"(runs: {', '.join(f'{t:.2f}' for t in pkg_all)})")
        print(f"  pool conversions only (same files, 2 parallel):   {conv:.2f} s  "
              f"(runs: {', '.join(f'{t:.2f}' for t in samples['conv'])})")
        print(f"(a) cold soffice per file, sequential, {args.cold_runs} run(s): {cold:.2f} s")
        print(f"(b) raw XML-RPC on the same 2 instances:            {raw:.2f} s  "
              f"(runs: {', '.join(f'{t:.2f}' for t in samples['raw'])})")
        print(f"  speed-up package vs (a): {cold / pkg:.1f}×   (target ≥ 5×)  "
              f"{'OK' if cold / pkg >= 5 else 'MISSED'}")
        print(f"  overhead pool conversions over (b): {100 * (conv / raw - 1):+.1f}%   (target ≤ 15%)  "
              f"{'OK' if conv / raw <= 1.15 else 'MISSED'}")
        print(f"  overhead whole package over (b): {100 * (pkg / raw - 1):+.1f}%   "
              f"(includes {office:.2f} s of DOCX/XLSX rendering and the zips; "
              f"over (b) + office rendering: {100 * (pkg / (raw + office) - 1):+.1f}%)")

        # 1 vs 2 instances: the same batch twice over, as many callers as instances × 2, largest
        # first as render_package submits them (a 58-page form last would leave one instance idle)
        batch = sorted(files * 2, key=lambda f: -len(f[2]))
        pool1 = new_pool(1, 2353)
        try:
            pool_batch(pool1, files[:2], 2)  # warm
            one, _ = median_time(lambda: pool_batch(pool1, batch, 2), max(1, args.runs // 2))
        finally:
            pool1.stop()
        two, _ = median_time(lambda: pool_batch(pool2, batch, 4), max(1, args.runs // 2))
        print()
        print(f"throughput, {len(batch)} conversions: 1 instance {len(batch) / one:.2f}/s ({one:.2f} s), "
              f"2 instances {len(batch) / two:.2f}/s ({two:.2f} s): {one / two:.2f}×   (target ≥ 1.7×)  "
              f"{'OK' if one / two >= 1.7 else 'MISSED'}")

        # memory after many conversions (recycling off for this pool, so growth shows)
        before = [soffice_rss(i) for i in pool2.instances]
        counts = [i.total_conversions for i in pool2.instances]
        done = sum(i.total_conversions for i in pool2.instances)
        small = [f for f in files if f[0] != "member_register"]  # the 58-page form dominates the time
        give_up = time.monotonic() + args.many_seconds
        with ThreadPoolExecutor(max_workers=2) as ex:
            while done < args.many and time.monotonic() < give_up:
                list(ex.map(lambda f: pool2.convert(f[2], f[1]), small))
                done = sum(i.total_conversions for i in pool2.instances)
        after = [soffice_rss(i) for i in pool2.instances]
        print()
        print(f"RSS after {done} conversions on the pool of 2 (recycling off; target was {args.many}):")
        for inst, n, (b_so, b_all), (a_so, a_all) in zip(pool2.instances, counts, before, after):
            print(f"  port {inst.port}: {inst.total_conversions} conversions: soffice.bin {mb(a_so)} "
                  f"(was {mb(b_so)} after {n}), whole group {mb(a_all)} (was {mb(b_all)}), "
                  f"restarts {inst.restarts}")
    finally:
        pool2.stop()
    print(f"load average at end: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")


if __name__ == "__main__":
    main()
