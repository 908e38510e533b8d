"""The print packet (附件4–9 in one PDF): converted as one workbook vs each table apart and joined.

    .venv/bin/python bench/print_packet_bench.py [--members 60,150] [--runs 3]

For the sample branch and synthetic branches of --members members, prints:
- the packet's size (render_package(…, "print", "pdf")), the sum of the six tables converted
  apart, and those six joined with pypdf (the packet as it was made before), with the ratios;
- the time of both ways (median of --runs, pool of 2, PDF cache off) and their ratio, and how
  many conversions the packet took (2 when a table's estimated page count was wrong);
- the embedded font programs in each;
- the six tables' PDFs as render_pdfs makes them when they are asked together (the `tables`
  package): one workbook converted and cut back per table, each carrying the workbook's font subsets.
The baseline (the tables apart) is measured in the same run. Not a test; figures only.
Ports 4923+ (UNO 5023+), moved by PAICHA_TEST_PORT_OFFSET like the tests'.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from prometheus_client import CollectorRegistry  # noqa: E402
from pypdf import PdfReader  # noqa: E402

import schemas  # noqa: E402
from service.documents import packages, render  # noqa: E402
from service.domain.catalog import PRINT_IDS  # noqa: E402
from service.pdf.cache import PdfCache  # noqa: E402
from service.pdf.merge import merge  # noqa: E402
from service.pdf.pool import ConversionPool  # noqa: E402
from tools.synthetic import synthetic_branch  # noqa: E402

OFFSET = int(os.environ.get("PAICHA_TEST_PORT_OFFSET") or 0)


class Counting:
    """The pool, counting the conversions asked of it."""

    def __init__(self, pool: ConversionPool):
        self.pool, self.calls = pool, 0
        self.parallelism = pool.parallelism

    def convert(self, data: bytes, kind: str) -> bytes:
        self.calls += 1
        return self.pool.convert(data, kind)


def timed(fn, runs: int):
    times, out = [], None
    for _ in range(runs):
        started = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), out


def font_programs(pdf: bytes) -> int:
    """How many embedded font programs (FontFile streams) the pages use."""
    files = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = described["/FontDescriptor"].get_object()
            files.update(descriptor.raw_get(k).idnum for k in ("/FontFile", "/FontFile2", "/FontFile3")
                         if k in descriptor)
    return len(files)


def kb(n: int) -> str:
    return f"{n / 1024:7.0f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", default="60,150", help="synthetic branch sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sample = json.loads((ROOT / "tests" / "fixtures" / "demo-branch.json").read_text(encoding="utf-8"))
    cases = [("sample", schemas.load_dataset(sample))] + [
        (f"{n} members", schemas.load_dataset(synthetic_branch(int(n)))) for n in args.members.split(",") if n]
    pool = ConversionPool(size=2, base_port=4923 + OFFSET, base_uno_port=5023 + OFFSET, deadline=180,
                          queue_limit=100, cache=PdfCache(max_bytes=0), registry=CollectorRegistry()).start(wait=180)
    try:
        pool.convert(render.render_office(cases[0][1], PRINT_IDS[0]), "xlsx")  # both instances warm
        pool.convert(render.render_office(cases[0][1], PRINT_IDS[1]), "xlsx")
        print(f"print packet 附件4–9, pool of 2, cache off, median of {args.runs}")
        for name, ds in cases:
            apart_time, parts = timed(lambda: [o.data for o in render.render_pdfs(ds, PRINT_IDS, pool, apart=True)],
                                      args.runs)
            cut_time, cut = timed(lambda: [o.data for o in render.render_pdfs(ds, PRINT_IDS, pool)], args.runs)
            joined = merge(parts)
            counting = Counting(pool)
            packet_time, packet = timed(lambda: packages.render_package(ds, "print", "pdf", counting).data, args.runs)
            pages = len(PdfReader(io.BytesIO(packet)).pages)
            print(f"\n{name}: {pages} pages")
            print(f"  tables apart, sum of the six  {kb(sum(map(len, parts)))}   fonts {font_programs(joined):3d}"
                  f"   {apart_time:5.2f} s  (baseline)")
            print(f"  tables apart, joined (before) {kb(len(joined))}   x{len(joined) / sum(map(len, parts)):.2f} of the sum")
            print(f"  packet as one workbook        {kb(len(packet))}   fonts {font_programs(packet):3d}"
                  f"   {packet_time:5.2f} s  x{packet_time / apart_time:.2f} of the baseline's time,"
                  f" {counting.calls / args.runs:.0f} conversion(s)")
            print(f"  packet / sum of its parts     x{len(packet) / sum(map(len, parts)):.2f}"
                  f"   packet / joined before x{len(packet) / len(joined):.2f}")
            print(f"  tables together, cut back     {kb(sum(map(len, cut)))}   fonts {font_programs(merge(cut)):3d}"
                  f"   {cut_time:5.2f} s  x{cut_time / apart_time:.2f} of the baseline's time;"
                  f" x{sum(map(len, cut)) / sum(map(len, parts)):.2f} of the size apart")
    finally:
        pool.stop()


if __name__ == "__main__":
    main()
