"""How fast the LibreOffice pool makes PDFs, against cold soffice and raw XML-RPC; memory per instance.

    .venv/bin/python bench/pdf_bench.py                   # generated DOCX/XLSX samples
    .venv/bin/python bench/pdf_bench.py a.docx b.xlsx -r 10 --many 200

Prints per-file times (median of -r runs) for: the pool's convert() (cache off), a raw XML-RPC
call to the same instance, and a cold `soffice --headless --convert-to pdf`; then throughput
with 1 and 2 instances, and the RSS of each instance after --many conversions.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from prometheus_client import CollectorRegistry  # noqa: E402

from service.pdf.pool import FILTERS, ConversionPool  # noqa: E402
from service.pdf.cache import PdfCache  # noqa: E402
from service.pdf.supervisor import group_pids, rpc, rss_bytes  # noqa: E402


def samples() -> list[tuple[str, bytes, str]]:
    from tools.office_samples import make_docx, make_xlsx

    return [("form-1p.docx", make_docx(paragraphs=3), "docx"),
            ("notice-6p.docx", make_docx(paragraphs=40), "docx"),
            ("roster-2p.xlsx", make_xlsx(rows=80), "xlsx")]


def new_pool(size: int, base: int) -> ConversionPool:
    return ConversionPool(size=size, base_port=base, base_uno_port=base + 100, deadline=120,
                          queue_limit=1000, cache=PdfCache(max_bytes=0),
                          registry=CollectorRegistry()).start(wait=120)


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def cold(path: Path, outdir: Path, profile: str) -> None:
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile}", "--convert-to",
                    "pdf", "--outdir", str(outdir), str(path)], check=True, timeout=180,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def raw(pool: ConversionPool, data: bytes, kind: str) -> None:
    inst = pool.instances[0]
    infilter, outfilter, _ = FILTERS[kind]
    rpc(inst.host, inst.port, 120).convert(None, xmlrpc.client.Binary(data), None, "pdf",
                                           outfilter, [], True, infilter, None)


def throughput(pool: ConversionPool, docs: list[tuple[str, bytes, str]], total: int) -> float:
    """Documents per second with `total` conversions submitted at once."""
    jobs = [docs[i % len(docs)] for i in range(total)]
    threads = [threading.Thread(target=pool.convert, args=(data, kind)) for _, data, kind in jobs]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return total / (time.perf_counter() - started)


def soffice_rss(pool: ConversionPool) -> list[tuple[int, int]]:
    """(port, RSS of soffice.bin in bytes) for each instance."""
    out = []
    for inst in pool.instances:
        pids = [p for p in group_pids(inst.pid or 0)
                if b"soffice.bin" in Path(f"/proc/{p}/cmdline").read_bytes()] if inst.pid else []
        out.append((inst.port, rss_bytes(pids)))
    return out


def cleanup(pool: ConversionPool) -> None:
    for inst in pool.instances:
        shutil.rmtree(inst.workdir, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("-r", "--runs", type=int, default=5)
    ap.add_argument("--cold-runs", type=int, default=2)
    ap.add_argument("--burst", type=int, default=24, help="conversions per throughput run")
    ap.add_argument("--many", type=int, default=100, help="conversions before measuring RSS")
    ap.add_argument("--base-port", type=int, default=2603)
    args = ap.parse_args()

    docs = [(p.name, p.read_bytes(), p.suffix.lstrip(".").lower()) for p in args.files] or samples()
    tmp = Path(tempfile.mkdtemp(prefix="paicha-bench-"))
    profile = (tmp / "cold-profile").as_uri()

    pool = new_pool(2, args.base_port)
    print(f"LibreOffice {pool.version}; {len(pool.instances)} instances up")
    try:
        print(f"\n{'file':<18}{'pool':>10}{'raw rpc':>10}{'cold':>10}{'cold/pool':>11}{'overhead':>10}")
        for name, data, kind in docs:
            path = tmp / f"in-{len(name)}.{kind}"
            path.write_bytes(data)
            cold(path, tmp, profile)  # first start creates the profile; not counted
            pool.convert(data, kind)  # warm
            t_pool = timed(lambda: pool.convert(data, kind), args.runs)
            t_raw = timed(lambda: raw(pool, data, kind), args.runs)
            t_cold = timed(lambda: cold(path, tmp, profile), args.cold_runs)
            print(f"{name:<18}{t_pool * 1000:>8.0f}ms{t_raw * 1000:>8.0f}ms{t_cold * 1000:>8.0f}ms"
                  f"{t_cold / t_pool:>10.1f}x{(t_pool - t_raw) * 1000:>8.1f}ms")

        before = soffice_rss(pool)
        for i in range(args.many):
            name, data, kind = docs[i % len(docs)]
            pool.convert(data, kind)
        after = soffice_rss(pool)
        print(f"\nsoffice.bin RSS per instance (after start-up tests → after {args.many} more):")
        for (port, a), (_, b) in zip(before, after):
            print(f"  port {port}: {a / 2**20:.0f} MB → {b / 2**20:.0f} MB")
        two = throughput(pool, docs, args.burst)
    finally:
        pool.stop()
        cleanup(pool)

    one_pool = new_pool(1, args.base_port + 10)
    try:
        throughput(one_pool, docs, 3)  # warm
        one = throughput(one_pool, docs, args.burst)
    finally:
        one_pool.stop()
        cleanup(one_pool)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nthroughput ({args.burst} mixed documents at once): 1 instance {one:.1f} docs/s, "
          f"2 instances {two:.1f} docs/s ({two / one:.2f}x)")


if __name__ == "__main__":
    main()
