"""Diagnostic, not a test: every document of the stress branch (tools/synthetic.stress_branch, every
free-text field at the contract's limit) rendered to PDF, and what a reader would miss.

    .venv/bin/python tools/stress_report.py [--out test-artifacts/stress] [--keep-pdf]

For each document it prints the page count (for 附件3 whether it is one page a member), the
orientation of its pages, and which long values of the dataset that the Word/Excel file holds have
their start or their end missing from the PDF's text (pdftotext, with and without -raw, whitespace
squashed). The first page of each document is saved as PNG (pdftoppm -r 60) under --out, to be looked at.
LibreOffice runs on its own ports (XML-RPC 4103–4104, UNO 4203–4204).
"""
from __future__ import annotations

import argparse
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
from tests.conftest_pdf import started_pool  # noqa: E402
from tools.synthetic import stress_branch  # noqa: E402

CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")
ENDS = 8  # characters of each end looked for


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


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


def missing_ends(values, expected_in: str, text: str) -> list[str]:
    """Each value the office file holds whose start or end is not in the text: 'path (start/end)'."""
    out = []
    for path, value in values:
        v = squash(value)
        if v not in expected_in:
            continue
        lost = [what for what, part in (("起", v[:ENDS]), ("止", v[-ENDS:])) if part not in text]
        if lost:
            out.append(f"{path}（缺{'、'.join(lost)}：{v[:ENDS] if '起' in lost else v[-ENDS:]}）")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "test-artifacts" / "stress"))
    parser.add_argument("--keep-pdf", action="store_true", help="also keep each PDF under --out")
    parser.add_argument("--only", nargs="*", help="document ids (default: all)")
    args = parser.parse_args()
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)

    data = stress_branch()
    ds = load_dataset(data)
    values = long_values(data)
    in_scope = len(scope.in_scope(ds))
    print(f"stress branch: {len(ds.members)} members ({in_scope} in scope of 附件3), {len(values)} texts to look for")
    problems = 0
    with started_pool(2, 4103, 4203) as pool, tempfile.TemporaryDirectory() as tmp:
        for doc_id in args.only or catalog.DOCUMENT_IDS:
            doc = catalog.DOCUMENTS[doc_id]
            started = time.monotonic()
            expected_in = office_text(render_office(ds, doc_id))
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
            print(line + f"；文件中含长文本 {held} 项（{time.monotonic() - started:.1f} 秒）")
            for raw in (False, True):
                lost = missing_ends(values, expected_in, squash(pdf_text(pdf_path, raw)))
                problems += bool(lost)
                label = "pdftotext -raw" if raw else "pdftotext"
                print(f"   {label}: " + ("全部首尾可见" if not lost else f"缺 {len(lost)} 项：" + "；".join(lost)))
            subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf_path),
                            str(out_dir / doc_id)], check=True, timeout=120)
            print(f"   第1页：{(out_dir / doc_id).with_suffix('.png').relative_to(ROOT) if out_dir.is_relative_to(ROOT) else out_dir / (doc_id + '.png')}")
    print(f"\n{problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
