"""Helpers for the PDF document and API tests: a pool, and an app with its own pool, that are always
stopped; ways to read PDFs and to keep their pages as pictures.

Not a conftest (pytest does not load it by itself): test modules import what they use. Every
module starts its pools on its own XML-RPC ports (UNO ports 100 above) so modules never meet on
a port: 2303+ documents/test_pdf, 2313+, 2333 and 2363 api/test_pdf, 2323+ the broken-LibreOffice case, 2343+
and 2353+ pdf/test_server (2359 its gunicorn's pool server), 2373+ and 2603+ test_cli, 2383+
tools/docs_pages.py, 2393+ domain/test_tables, 2803+ web/test_busy, 4113+, 4313+ and 4333 the stress tests,
4513+ documents/test_verification_code, 4713+ documents/test_district_pdf, 4903+ (UNO 5003+)
documents/test_print_packet, 4943+ (UNO 5043+) documents/test_tables_book, 4963+ (UNO 5063+)
pdf/test_pdfa, 4983+ (UNO 5083+) documents/test_spot_check; the benchmarks use 3503+
(bench/print_packet_bench.py 4923+, UNO 5023+) and the wheel smoke 3102+. PAICHA_TEST_PORT_OFFSET moves every one of the tests' ports by that
much, so that two checkouts can run their suites side by side on one machine.
"""
from __future__ import annotations

import contextlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
PORT_OFFSET = int(os.environ.get("PAICHA_TEST_PORT_OFFSET") or 0)


def port(number: int) -> int:
    """A test's fixed port, moved by PAICHA_TEST_PORT_OFFSET."""
    return number + PORT_OFFSET
SAMPLE_PATH = FIXTURES / "demo-branch.json"

needs_soffice = [
    pytest.mark.pdf,
    pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"),
                       reason="LibreOffice (soffice) not installed"),
]
NARRATIVES = ("work_plan", "stage_summary", "final_report", "verification_report")
# 附件4–9: a header text that is printed once per page, in the repeated header rows only
HEADER_TEXT = {
    "member_roster": "公民身份号码",
    "outgoing_roster": "外出地点",
    "outgoing_summary": "外出流向",
    "recontacted_register": "现工作单位或居住地",
    "unreachable_register": "查找方式及情况",
    "campaign_summary": "信息核实",
}


def soffice_test(test):
    """The marks of needs_soffice on one test, in a module whose other tests need no LibreOffice."""
    for mark in needs_soffice:
        test = mark(test)
    return test


def sample_dataset_once():
    """The sample branch as a Dataset (module-scoped fixtures cannot use the function fixture)."""
    from schemas import load_dataset

    return load_dataset(json.loads(SAMPLE_PATH.read_text(encoding="utf-8")))


# --- processes -------------------------------------------------------------------------------

def lo_pids(ports) -> list[int]:
    """Live processes (unoserver, oosplash, soffice.bin) of pools on these XML-RPC ports.

    Like `pgrep -f 'paicha-lo-<port>'`, read from /proc so that it needs no PATH.
    """
    pattern = re.compile(r"paicha-lo-(" + "|".join(str(p) for p in ports) + r")\b")
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and pattern.search(cmdline):
            pids.append(int(entry.name))
    return pids


@contextlib.contextmanager
def started_pool(size: int, base_port: int, base_uno_port: int, wait: float = 120.0, **config):
    """A running ConversionPool (own metrics registry) that is stopped and checked for orphans."""
    from prometheus_client import CollectorRegistry

    from service.pdf.pool import ConversionPool, PoolConfig

    base_port, base_uno_port = port(base_port), port(base_uno_port)
    pool = ConversionPool(PoolConfig.from_settings(size=size, base_port=base_port, base_uno_port=base_uno_port,
                                                   **config), registry=CollectorRegistry())
    ports = [base_port + i for i in range(size)]
    try:
        pool.start(wait=wait)
        assert pool.wait_ready(1), f"LibreOffice pool on {ports} did not come up: {pool.status()}"
        yield pool
    finally:
        pool.stop()
    assert_no_orphans(ports)


@contextlib.contextmanager
def pdf_app(folder: Path, size: int, base_port: int, base_uno_port: int, **settings):
    """An app of make_app's with PDF on and its own LibreOffice pool of `size` on these ports (moved
    by the offset), started on the first PDF asked for; the pool is stopped and checked for orphans."""
    from service.pdf.runtime import KEY
    from tests.conftest import make_app

    base_port, base_uno_port = port(base_port), port(base_uno_port)
    ports = [base_port + i for i in range(size)]
    assert lo_pids(ports) == [], f"a pool from an earlier run still holds ports {ports}"
    app = make_app(folder, PDF_ENABLED=True, PDF_POOL_SIZE=size, PDF_POOL_BASE_PORT=base_port,
                   PDF_POOL_BASE_UNO_PORT=base_uno_port, **settings)
    try:
        yield app
    finally:
        pool = app.extensions.get(KEY)
        if pool is not None:
            pool.stop()
    assert_no_orphans(ports)


class Counting:
    """The pool, noting the kind of each conversion asked of it."""

    def __init__(self, pool):
        self.pool, self.parallelism, self.kinds = pool, pool.parallelism, []

    def convert(self, data: bytes, kind: str) -> bytes:
        self.kinds.append(kind)
        return self.pool.convert(data, kind)


def assert_no_orphans(ports, wait: float = 10.0) -> None:
    import time

    give_up = time.monotonic() + wait
    while lo_pids(ports) and time.monotonic() < give_up:
        time.sleep(0.2)
    assert lo_pids(ports) == [], f"LibreOffice processes left behind on ports {ports}"


# --- reading PDFs --------------------------------------------------------------------------

def page_texts(pdf: bytes, layout: bool = False, raw: bool = False) -> list[str]:
    """pdftotext of each page (pages are separated by form feeds); with -raw, the text in the order it
    was printed (the default reading order may put a neighbouring cell between the lines of a value)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        args = (["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + (["-raw"] if raw else [])
                + [f.name, "-"])
        text = subprocess.run(args, capture_output=True, check=True, timeout=60).stdout.decode("utf-8")
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


@dataclass(frozen=True)
class Word:
    """A word as pdftotext -bbox-layout places it (points, origin top left) and its line's number."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    line: int


def word_boxes(pdf: bytes, raw: bool = False) -> list[list[Word]]:
    """The words of each page with their boxes (pdftotext -bbox-layout; with -raw: as printed)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        args = ["pdftotext", "-enc", "UTF-8", "-bbox-layout"] + (["-raw"] if raw else []) + [f.name, "-"]
        out = subprocess.run(args, capture_output=True, check=True, timeout=60).stdout.decode("utf-8")
    pages, number = [], 0
    for page in out.split("<page ")[1:]:
        words = []
        for line in re.findall(r"<line [^>]*>(.*?)</line>", page, re.S):
            number += 1
            for x0, y0, x1, y1, text in re.findall(
                    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', line):
                words.append(Word(float(x0), float(y0), float(x1), float(y1), html.unescape(text), number))
        pages.append(words)
    return pages


def glyphs_missing_from(family: str) -> set[str]:
    """CJK characters the font `family` has no glyph for (fontconfig's charset of the file it maps
    to): LibreOffice draws them from the fallback font, and pdftotext -raw prints such a glyph
    after the rest of its line (夏侯 德 … 惇), though it is printed in its place."""
    path = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True,
                          check=True, timeout=30).stdout
    ranges = subprocess.run(["fc-query", "-f", "%{charset}", path], capture_output=True, text=True,
                            check=True, timeout=30).stdout.split()
    covered: set[int] = set()
    for part in ranges:
        first, _, last = part.partition("-")
        covered.update(range(int(first, 16), int(last or first, 16) + 1))
    cjk = list(range(0x3400, 0xA000)) + list(range(0x20000, 0x30000))
    return {chr(c) for c in cjk if c not in covered}


def squash(text: str) -> str:
    """Text without any whitespace: a name wrapped inside its cell still reads as one word."""
    return re.sub(r"\s+", "", text)


def pdf_fonts(pdf: bytes) -> list[dict]:
    """pdffonts rows: name, type, emb."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run(["pdffonts", f.name], capture_output=True, text=True, check=True,
                             timeout=60).stdout
    rows = []
    for line in out.splitlines()[2:]:
        m = re.match(r"(\S+)\s+(.+?)\s{2,}(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)", line)
        if m:
            rows.append({"name": m.group(1), "type": m.group(2).strip(), "encoding": m.group(3),
                         "emb": m.group(4) == "yes"})
    return rows


def font_runs(pdf: bytes, page: int = 0) -> list[tuple[str, float, str]]:
    """(base font, size, text) for each text run on a page, through pypdf's visitor."""
    from pypdf import PdfReader

    runs: list[tuple[str, float, str]] = []

    def visit(text, cm, tm, font, size):
        if font and text.strip():
            runs.append((str(font.get("/BaseFont", "")), round(size, 1), text))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return runs


def printed_runs(pdf: bytes, page: int | None = None) -> list[tuple[str, float]]:
    """(text, printed size in pt) of each text run, of one page or all: the font size times the
    text and page matrices, so a sheet that LibreOffice shrank to fit shows its real type size."""
    from pypdf import PdfReader

    runs: list[tuple[str, float]] = []

    def visit(text, cm, tm, font, size):
        if font and text.strip():
            a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
            c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
            runs.append((text.strip(), size * abs(a * d - b * c) ** 0.5))

    pages = PdfReader(io.BytesIO(pdf)).pages
    for p in pages if page is None else [pages[page]]:
        p.extract_text(visitor_text=visit)
    return runs


def page_size(page) -> tuple[int, int]:
    """A pypdf page's width and height in whole points."""
    return round(float(page.mediabox.width)), round(float(page.mediabox.height))


def save_pngs(pdf: bytes, folder: Path, name: str, first_only: bool = False) -> list[Path]:
    """The PDF's pages as PNG at 60 dpi (pdftoppm), kept under test-artifacts/ to be looked at: page 1
    alone as <name>-1.png, or the PDF as <name>.pdf and each page as <name>-N.png (older pictures of
    that name removed first); the pictures."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{name}-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "page.pdf" if first_only else folder / f"{name}.pdf"
        source.write_bytes(pdf)
        first = ["-f", "1", "-l", "1", "-singlefile"] if first_only else []
        target = folder / (f"{name}-1" if first_only else name)
        subprocess.run(["pdftoppm", "-png", "-r", "60", *first, str(source), str(target)], check=True, timeout=120)
    return sorted(folder.glob(f"{name}-*.png"))


def pages_of(pdf: bytes) -> list:
    from pypdf import PdfReader

    return list(PdfReader(io.BytesIO(pdf)).pages)
