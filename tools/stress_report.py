"""Diagnostic, not a test: every document of the stress branch (tools/synthetic.stress_branch, every
free-text field at the contract's limit) rendered to PDF, and what a reader would miss.

    .venv/bin/python tools/stress_report.py [--out test-artifacts/stress] [--keep-pdf] [--pages N]

For each document it prints the page count (for 附件3 whether it is one page a member), the
orientation of its pages, the smallest type size printed in a cell (a sheet that overflowed its
width is printed smaller), any character of the Word/Excel file missing from the PDF's text, and
which long values of the dataset have their start or end missing. pdftotext has two reading
orders and each has an artefact: the default order may interleave a table's cells, and -raw prints
a glyph that the body font lacks (惇, 𠮷: drawn from the fallback font) after the rest of its line;
a value counts as lost only when neither order shows it (-raw compared without those glyphs), and
each order's misses are listed for a look. The first N pages (default 1) of each document are
saved as PNG (pdftoppm -r 60) under --out, to be looked at.
LibreOffice runs on its own ports (XML-RPC 4103–4104, UNO 4203–4204).
"""
from __future__ import annotations

import argparse
import collections
import html
import io
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from schemas import load_dataset, vocab  # noqa: E402
from service.documents.render import render_document, render_office  # noqa: E402
from service.domain import catalog, scope  # noqa: E402
from tests.conftest_pdf import glyphs_missing_from, printed_runs, squash, started_pool  # noqa: E402
from tools.synthetic import stress_branch  # noqa: E402

CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")
ENDS = 8  # characters of each end looked for


def long_values(data) -> list[tuple[str, str]]:
    """(path, text) for every Chinese text of the dataset worth looking for: not a vocabulary value."""
    words = {v for k, v in vars(vocab).items() if k.isupper() and isinstance(v, tuple) for v in v}
    out: list[tuple[str, str]] = []

    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{path}.{k}" if path else k)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")
        elif isinstance(node, str) and CJK.search(node) and len(node) >= 3 and node not in words:
            out.append((path, node))

    walk(data, "")
    return list({v: (p, v) for p, v in reversed(out)}.values())[::-1]  # each text once, first path


def office_text(data: bytes) -> str:
    """All the text of a .docx/.xlsx: every XML part, tags stripped, whitespace squashed."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.endswith(".xml") and ("word/" in name or "xl/" in name):
                xml = z.read(name).decode("utf-8", "replace")
                parts.append(re.sub(r"<[^>]+>", "", xml))
    return squash(html.unescape("".join(parts)))


PAGE_NUMBER = re.compile(r"^\s*(?:[—–-]\s*\d+\s*[—–-]|第\s*\d+\s*页，\s*共\s*\d+\s*页)\s*$")


def pdf_text(path: Path, raw: bool) -> str:
    """The text, without the page numbers, so that a paragraph broken across pages reads on."""
    args = ["pdftotext", "-enc", "UTF-8"] + (["-raw"] if raw else []) + [str(path), "-"]
    text = subprocess.run(args, capture_output=True, check=True, timeout=120).stdout.decode("utf-8")
    return "\n".join(line for line in text.replace("\f", "\n").splitlines() if not PAGE_NUMBER.match(line))


def pages_and_orientation(path: Path) -> tuple[int, str]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(path)], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)
    kinds = {"横向" if float(w) > float(h) else "纵向" for w, h in sizes}
    return len(sizes), "、".join(sorted(kinds))


def missing_ends(values, expected_in: str, text: str, drop: set[str] = frozenset()) -> list[str]:
    """Each value the office file holds whose start or end is not in the text: 'path (start/end)'.
    Characters in `drop` are left out of both (the glyphs -raw moves)."""
    out = []
    for path, value in values:
        v = squash(value)
        if v not in expected_in:
            continue
        ends = (("起", v[:ENDS]), ("止", v[-ENDS:]))
        lost = [what for what, part in ends if "".join(c for c in part if c not in drop) not in text]
        if lost:
            out.append(f"{path}（缺{'、'.join(lost)}：{v[:ENDS] if '起' in lost else v[-ENDS:]}）")
    return out


def printed_text(data: bytes) -> str:
    """What a .docx/.xlsx prints as text: the body's runs (word/document.xml) or the cells of the
    sheets, not the page footers (their page-number fields) nor the file's properties."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        if "word/document.xml" in z.namelist():
            xml = z.read("word/document.xml").decode("utf-8")
            return html.unescape("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)))
        sheets = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    cells = [re.sub(r"<headerFooter.*?</headerFooter>", "", xml, flags=re.S) for xml in sheets]
    return html.unescape("".join(t for xml in cells for t in re.findall(r"<t(?: [^>]*)?>([^<]*)</t>", xml)))


def lost_characters(office: str, pdf: str) -> dict[str, int]:
    """Characters of the office file that the PDF's text lacks, counted (order does not matter)."""
    return dict(collections.Counter(squash(office)) - collections.Counter(squash(pdf)))


def smallest_cell_type(pdf: bytes) -> float:
    """The smallest printed type size of a sheet, leaving out the page footer (第 1 页，共 3 页)."""
    sizes = [size for text, size in printed_runs(pdf) if not re.fullmatch(r"[第页，共\s\d]+", text)]
    return min(sizes) if sizes else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "test-artifacts" / "stress"))
    parser.add_argument("--keep-pdf", action="store_true", help="also keep each PDF under --out")
    parser.add_argument("--pages", type=int, default=1, help="pages of each document saved as PNG")
    parser.add_argument("--only", nargs="*", help="document ids (default: all)")
    args = parser.parse_args()
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)

    data = stress_branch()
    ds = load_dataset(data)
    values = long_values(data)
    moved = glyphs_missing_from("FandolFang")
    in_scope = len(scope.in_scope(ds))
    print(f"stress branch: {len(ds.members)} members ({in_scope} in scope of 附件3), {len(values)} texts to look for")
    problems = 0
    with started_pool(2, 4103, 4203) as pool, tempfile.TemporaryDirectory() as tmp:
        for doc_id in args.only or catalog.DOCUMENT_IDS:
            doc = catalog.DOCUMENTS[doc_id]
            started = time.monotonic()
            office = render_office(ds, doc_id)
            expected_in = office_text(office)
            pdf = render_document(ds, doc_id, "pdf", pool).data
            pdf_path = (out_dir if args.keep_pdf else Path(tmp)) / f"{doc_id}.pdf"
            pdf_path.write_bytes(pdf)
            pages, orientation = pages_and_orientation(pdf_path)
            held = sum(1 for _, v in values if squash(v) in expected_in)
            line = f"\n== {doc.title} ({doc_id}): {pages} 页，{orientation}"
            if doc_id == "member_register":
                ok = pages == in_scope
                line += f"；党员 {in_scope} 人 → {'每人一页' if ok else '不是每人一页！'}"
                problems += not ok
            if doc.kind == "xlsx":
                smallest = smallest_cell_type(pdf)
                line += f"；单元格最小 {smallest:.2f} pt"
                problems += smallest < (9 if doc_id == "campaign_summary" else 10.5)
            print(line + f"；文件中含长文本 {held} 项（{time.monotonic() - started:.1f} 秒）")
            reading, raw = pdf_text(pdf_path, False), pdf_text(pdf_path, True)
            lost = lost_characters(printed_text(office), reading)
            problems += bool(lost)
            print("   字符：" + ("文件中的字全部印出" if not lost else f"缺 {sum(lost.values())} 字：{lost}"))
            in_reading = set(missing_ends(values, expected_in, squash(reading)))
            raw_text = "".join(c for c in squash(raw) if c not in moved)
            in_raw = set(missing_ends(values, expected_in, raw_text, moved))
            both = sorted(in_reading & in_raw)
            problems += bool(both)
            print("   首尾：" + ("全部可见" if not both else f"两种读取顺序都缺 {len(both)} 项：" + "；".join(both)))
            for label, only in (("只在 pdftotext 阅读顺序中错位", in_reading - in_raw),
                                ("只在 pdftotext -raw 中错位", in_raw - in_reading)):
                if only:
                    print(f"   （{label} {len(only)} 项：" + "；".join(sorted(only)[:4]) + ("…" if len(only) > 4 else "") + "）")
            last = min(args.pages, pages)
            for page in range(1, last + 1):
                subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", str(page), "-l", str(page), "-singlefile",
                                str(pdf_path), str(out_dir / f"{doc_id}-{page}")], check=True, timeout=120)
            shown = out_dir.relative_to(ROOT) if out_dir.is_relative_to(ROOT) else out_dir
            print(f"   PNG：{shown}/{doc_id}-1.png" + (f" … -{last}.png" if last > 1 else ""))
    print(f"\n{problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
