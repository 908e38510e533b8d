"""工作方案, 阶段性小结, 工作总结 and 核查情况 of the stress branch (tools/synthetic.stress_branch: a
50-character 党组织全称, a 30-character 党组织名称, 1000-character paragraphs, every name kind)
printed through LibreOffice, measured on the page (pdftotext -bbox-layout, pypdf):

- the GB/T 9704 grid the templates set (tools/build_docx_templates.py): A4 portrait, the type area
  28 mm from the left, 26 mm from the right, 37 mm from the top, 35 mm from the bottom; body lines
  28.95 pt apart, 22 to a full page, 28 characters to a full line; the title 22 pt, centred over the
  type area, however many lines the long 党组织名称 takes; the 落款 (the whole 党组织全称, then the
  date) set right, four characters in from the type area's edge;
- every character of the document in the PDF, and the start and the end of every long value.

pdftotext's two reading orders each have an artefact, and each check says which it allows for:
the default order may interleave a table's cells; -raw prints a glyph that the body font lacks
(惇, 𠮷: drawn from the fallback font) after the rest of its line, so with -raw those glyphs are
left out of both the value and the text. Page 1 of each is kept as test-artifacts/stress/<doc>-1.png.
"""
from __future__ import annotations

import collections
import html
import io
import re
import zipfile
from pathlib import Path

import pytest

from tests.conftest_pdf import (NARRATIVES, glyphs_missing_from, needs_soffice, page_size, page_texts,
                                pages_of, printed_runs, save_pngs, squash, started_pool, word_boxes)

pytestmark = needs_soffice

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "stress"
MM = 72 / 25.4
LEFT, RIGHT = 28 * MM, (210 - 26) * MM  # the type area's edges (pt from the page's left)
TOP, BOTTOM = 37 * MM, (297 - 35) * MM  # and from its top
PITCH = 28.95  # 579 twips: 225 mm / 22 lines
BODY_PT, TITLE_PT = 16, 22
PAGE_NUMBER = re.compile(r"^—\d+—$")
CODE = r"校验码[0-9A-F]{4}-[0-9A-F]{4}"
# the footer's line: the page number and, on its inner side, the 校验码 (pdftotext may split them)
FOOTER = re.compile(rf"^(?=.)({CODE})?(—\d+—)?({CODE})?$")
ENDS = 8  # characters of each end of a value looked for
CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")
SLACK = 1.0  # pt: glyph boxes against the measures above


@pytest.fixture(scope="module")
def docs(stress_dataset):
    """doc id → (the DOCX's text, the PDF) for the four narratives."""
    from service.documents.render import render_document, render_office

    ds = stress_dataset
    with started_pool(1, 4333, 4433) as pool:
        return {doc_id: (_docx_text(render_office(ds, doc_id)), render_document(ds, doc_id, "pdf", pool).data)
                for doc_id in NARRATIVES}


def _docx_text(data: bytes) -> str:
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    return html.unescape("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)))


def _lines(words) -> list[dict]:
    """pdftotext's lines of a page: box, text, and the type size read from the box (1.3 em tall)."""
    by_line = collections.defaultdict(list)
    for w in words:
        by_line[w.line].append(w)
    out = []
    for ws in by_line.values():
        x0, x1 = min(w.x0 for w in ws), max(w.x1 for w in ws)
        y0, y1 = min(w.y0 for w in ws), max(w.y1 for w in ws)
        out.append({"x0": x0, "x1": x1, "y0": y0, "y1": y1, "text": "".join(w.text for w in ws),
                    "pt": round((y1 - y0) / 1.3)})
    return out


def _long_values(data) -> list[str]:
    """Every Chinese text of the dataset of three characters or more, each once."""
    out: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, str) and CJK.search(node) and len(squash(node)) >= 3 and node not in out:
            out.append(node)

    walk(data)
    return out


def _without_page_numbers(text: str) -> str:
    return "\n".join(line for line in text.replace("\f", "\n").splitlines() if not FOOTER.match(squash(line)))


@pytest.mark.parametrize("doc_id", NARRATIVES)
def test_every_page_is_a4_portrait_and_its_text_inside_the_type_area(docs, doc_id):
    _, pdf = docs[doc_id]
    pages = pages_of(pdf)
    assert pages
    for page in pages:
        assert page_size(page) == (595, 842)
    for number, words in enumerate(word_boxes(pdf), start=1):
        lines = _lines(words)
        footer = [ln for ln in lines if FOOTER.match(ln["text"])]
        assert sum(bool(re.search(r"—\d+—", ln["text"])) for ln in footer) == 1, (number, [ln["text"] for ln in lines][-3:])
        assert sum(bool(re.search(CODE, ln["text"])) for ln in footer) == 1, (number, [ln["text"] for ln in lines][-3:])
        assert all(ln["y0"] > BOTTOM for ln in footer)  # — 1 — and the 校验码, below the type area
        for ln in lines:
            if ln in footer:
                continue
            assert ln["x0"] >= LEFT - SLACK and ln["x1"] <= RIGHT + SLACK, (number, ln["text"], ln["x0"], ln["x1"])
            assert ln["y0"] >= TOP - SLACK and ln["y1"] <= BOTTOM + SLACK, (number, ln["text"], ln["y0"], ln["y1"])
    (png,) = save_pngs(pdf, ARTIFACTS, doc_id, first_only=True)
    assert png.stat().st_size > 0


@pytest.mark.parametrize("doc_id", NARRATIVES)
def test_body_text_keeps_the_grid_of_22_lines_of_28_characters(docs, doc_id):
    _, pdf = docs[doc_id]
    full_lines, full_pages = [], 0
    for number, words in enumerate(word_boxes(pdf), start=1):
        lines = sorted((ln for ln in _lines(words) if not FOOTER.match(ln["text"])), key=lambda ln: ln["y0"])
        body = [ln for ln in lines if ln["pt"] == BODY_PT]
        # lines of body type sit on the 28.95 pt grid, counted from the first after the title or a
        # table (12 pt rows on their own pitch): no drift however many lines. Within its exact-height
        # line a baseline moves with the fonts on the line (Times digits 0.75 pt, a 楷体 heading 1.55).
        first = None
        for y, pt, _ in _baselines(pdf, number - 1):
            if pt != BODY_PT:
                first = None
                continue
            first = y if first is None else first
            steps = (y - first) / PITCH
            assert abs(steps - round(steps)) * PITCH < 2.0, (number, y, first, steps)
        grid = round((body[-1]["y0"] - body[0]["y0"]) / PITCH) + 1 if body else 0
        assert grid <= 22, (number, grid)
        full_pages += grid == 22
        for a, b in zip(body, body[1:]):  # a line whose paragraph goes on is full: it ends at the edge
            if b["x0"] < LEFT + SLACK and not re.search(r"[\x21-\x7e]", a["text"]) and abs(a["x1"] - RIGHT) < 2:
                indent = round((a["x0"] - LEFT) / BODY_PT)  # a paragraph's first line: two characters in
                width = len(a["text"]) - a["text"].count("·") / 2  # the 仿宋 middle dot is half a character
                full_lines.append((28 - indent - width, a["text"]))
    assert full_pages >= 1  # the long paragraphs fill whole pages
    short = collections.Counter(n for n, _ in full_lines)
    # 28 characters a line; one fewer where the last went on with a mark that may not begin a line,
    # half a character fewer where a half-width · leaves room that no character fits
    assert full_lines and all(0 <= n <= 1 for n in short), [t for n, t in full_lines if not 0 <= n <= 1][:3]
    assert short[0] > 0.8 * len(full_lines), short


@pytest.mark.parametrize("doc_id", NARRATIVES)
def test_the_long_name_keeps_the_title_centred_at_22_pt(stress_data, docs, doc_id):
    from service.domain.catalog import DOCUMENTS

    _, pdf = docs[doc_id]
    lines = _lines(word_boxes(pdf)[0])
    title = [ln for ln in lines if ln["pt"] == TITLE_PT]
    assert len(title) >= 3  # the 30-character name takes two lines, the document's title a third
    assert squash("".join(ln["text"] for ln in title)).startswith(squash(stress_data["org"]["name"]))
    for ln in title:
        assert abs((ln["x0"] + ln["x1"]) / 2 - (LEFT + RIGHT) / 2) < 1.5, ln
    big = [(text, size) for text, size in printed_runs(pdf, 0) if size > BODY_PT + 1]
    assert {round(size) for _, size in big} == {TITLE_PT}  # the title, and only the title, at 22 pt
    assert squash("".join(text for text, _ in big)) == squash("".join(ln["text"] for ln in title))
    assert DOCUMENTS[doc_id].title in squash("".join(ln["text"] for ln in title))


@pytest.mark.parametrize("doc_id", NARRATIVES)
def test_the_signature_is_the_whole_full_name_and_the_date_four_characters_in(stress_data, docs, doc_id):
    _, pdf = docs[doc_id]
    pages = word_boxes(pdf)
    lines = [ln for ln in _lines(pages[-1]) if not FOOTER.match(ln["text"])]
    date = lines[-1]
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", date["text"]), date["text"]
    edge = RIGHT - 4 * BODY_PT  # 右空四字
    signed = []
    for ln in reversed(lines[:-1]):
        if abs(ln["x1"] - edge) > 1.5:
            break
        signed.insert(0, ln)
    assert abs(date["x1"] - edge) < 1.5, date
    assert squash("".join(ln["text"] for ln in signed)) == squash(stress_data["org"]["full_name"])
    assert len(signed) >= 2  # the 50-character name wraps, still set right


@pytest.mark.parametrize("doc_id", NARRATIVES)
def test_every_character_is_printed(docs, doc_id):
    """What the DOCX holds is in the PDF, character for character (whatever the order)."""
    text, pdf = docs[doc_id]
    printed = collections.Counter(squash("".join(page_texts(pdf))))
    lost = collections.Counter(squash(text)) - printed
    assert not lost, dict(lost)


@pytest.mark.parametrize("doc_id", NARRATIVES)
def test_every_long_value_prints_its_start_and_its_end(stress_data, docs, doc_id):
    text, pdf = docs[doc_id]
    held = [v for v in _long_values(stress_data) if squash(v) in squash(text)]
    assert len(held) >= 15, len(held)  # names, the org's names, the paragraphs
    reading = squash(_without_page_numbers("\f".join(page_texts(pdf))))
    lacking = glyphs_missing_from("FandolFang")  # 仿宋_GB2312 in the PDFs
    drop = lambda s: "".join(ch for ch in s if ch not in lacking)  # noqa: E731
    raw = drop(squash(_without_page_numbers("\f".join(page_texts(pdf, raw=True)))))
    missing = []
    for value in held:
        v = squash(value)
        for end, part in (("start", v[:ENDS]), ("end", v[-ENDS:])):
            if part not in reading:
                missing.append(f"reading order: {end} of {v[:12]}…")
            if drop(part) not in raw:
                missing.append(f"-raw: {end} of {v[:12]}…")
    assert not missing, missing
    assert {"惇", "𠮷"} <= lacking  # what -raw moves: the stress branch's 夏侯惇德 and 东方晓𠮷


def _baselines(pdf: bytes, page: int) -> list[tuple[float, int, str]]:
    """(baseline in pt from the page's top, type size, the line's first font) of each printed line
    of a page, top down."""
    from pypdf import PdfReader

    height = float(PdfReader(io.BytesIO(pdf)).pages[page].mediabox.height)
    found: dict[tuple[float, int], str] = {}

    def visit(text, cm, tm, font, size):
        if font and text.strip():
            d = tm[2] * cm[1] + tm[3] * cm[3]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.setdefault((round(height - y, 1), round(size * abs(d))), str(font.get("/BaseFont", "")))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return [(y, pt, name) for (y, pt), name in sorted(found.items())]
