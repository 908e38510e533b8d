"""Office package benchmark: every document (DOCX+XLSX) for synthetic branches of 60 and 600 members.

Prints the median of several runs per document and in total, and the growth ratio 600/60 against
the member ratio (10×): time should grow no faster than linearly. Not a test; figures only.

    .venv/bin/python bench/office_bench.py [--runs 5] [--sizes 60,600]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import schemas  # noqa: E402
from service.documents import render  # noqa: E402
from service.domain import catalog  # noqa: E402
from service.documents.packages import zip_bytes  # noqa: E402
from tools.synthetic import synthetic_branch  # noqa: E402


def run_once(ds) -> dict[str, float]:
    """Seconds per document, plus validation-free packaging of the four deliverables."""
    times: dict[str, float] = {}
    outputs = {}
    for doc_id in catalog.DOCUMENT_IDS:
        t0 = time.perf_counter()
        outputs[doc_id] = render.render_document(ds, doc_id)
        times[doc_id] = time.perf_counter() - t0
    t0 = time.perf_counter()
    tables = zip_bytes([(outputs[d].filename, outputs[d].data) for d in catalog.TABLE_IDS])
    zip_bytes([(outputs["work_plan"].filename, outputs["work_plan"].data), ("t.zip", tables)])
    times["zip"] = time.perf_counter() - t0
    return times


def bench(size: int, runs: int) -> dict[str, float]:
    data = synthetic_branch(size, seed=1)
    t0 = time.perf_counter()
    ds = schemas.load_dataset(data)
    load = time.perf_counter() - t0
    run_once(ds)  # warm-up: template parsing caches, imports
    samples, cpu = [], []
    for _ in range(runs):
        c0 = time.process_time()
        samples.append(run_once(ds))
        cpu.append(time.process_time() - c0)
    medians = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
    medians["validate"] = load
    medians["total"] = statistics.median(sum(s.values()) for s in samples) + load
    medians["total (cpu time)"] = statistics.median(cpu) + load  # less sensitive to a busy machine
    return medians


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="60,600")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {n: bench(n, args.runs) for n in sizes}
    keys = list(results[sizes[0]])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"office package, median of {args.runs} runs (seconds); load average {load:.2f} on {os.cpu_count()} cpus")
    print(f"{'document':24}" + "".join(f"{n:>10} m" for n in sizes))
    for k in keys:
        print(f"{k:24}" + "".join(f"{results[n][k]:12.4f}" for n in sizes))
    if len(sizes) >= 2:
        a, b = sizes[0], sizes[-1]
        ratio = results[b]["total"] / results[a]["total"]
        print(f"\ngrowth {b}/{a} members: time ×{ratio:.2f} for members ×{b / a:.0f} "
              f"({'sub-linear or linear' if ratio <= b / a * 1.1 else 'SUPER-LINEAR'})")
        print(f"target ≤ 0.5 s for {a} members: {results[a]['total']:.3f} s "
              f"({'met' if results[a]['total'] <= 0.5 else 'NOT met'})")


if __name__ == "__main__":
    main()
