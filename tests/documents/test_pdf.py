"""Every document as a PDF through the real LibreOffice pool, read back the way a clerk reads it.

For the sample branch and a synthetic 60-member branch: every document opens, 附件3 has one page
per member, the tables repeat their header on every page, every name (·, 喆 堃, 𠮷) is in the
text, fonts are embedded and are the mapped faces; the print packet, the tables zip and the `all`
zip in PDF.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

import pytest

from service.documents import packages, render
from service.domain import catalog
from service.domain.catalog import PRINT_IDS, TABLE_IDS
from service.domain import naming, scope
from tests.conftest_pdf import (HEADER_TEXT, NARRATIVES, needs_soffice, page_texts, pages_of, pdf_fonts,
                                font_runs, sample_dataset_once, squash, started_pool, word_boxes)
from tools.synthetic import SPECIAL_NAMES, synthetic_branch

pytestmark = needs_soffice

A4_SHORT, A4_LONG = 595.3, 841.9


@pytest.fixture(scope="module")
def pool():
    with started_pool(2, 2303, 2403) as p:
        yield p


@dataclass
class Case:
    name: str
    ds: object
    pdfs: dict = field(default_factory=dict)  # doc id -> Output
    texts: dict = field(default_factory=dict)  # doc id -> [page text]


def _dataset(name: str):
    from schemas import load_dataset

    return sample_dataset_once() if name == "sample" else load_dataset(synthetic_branch(60))


@pytest.fixture(scope="module", params=["sample", "synthetic60"])
def case(request, pool) -> Case:
    """Every document of one branch converted once; the tests only read."""
    c = Case(request.param, _dataset(request.param))
    for doc_id in catalog.DOCUMENT_IDS:
        c.pdfs[doc_id] = render.render_document(c.ds, doc_id, "pdf", pool)
        c.texts[doc_id] = page_texts(c.pdfs[doc_id].data)
    return c


def test_every_document_is_a_pdf_that_opens_with_its_name(case):
    for doc_id, out in case.pdfs.items():
        assert out.data.startswith(b"%PDF") and out.mimetype == "application/pdf", doc_id
        office = naming.file_name(case.ds.org, doc_id, render.document(doc_id).kind)
        assert out.filename == office.rsplit(".", 1)[0] + ".pdf"
        pages = pages_of(out.data)
        assert pages, doc_id
        landscape = doc_id in PRINT_IDS
        for page in pages:
            w, h = float(page.mediabox.width), float(page.mediabox.height)
            expected = (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
            assert (round(w), round(h)) == (round(expected[0]), round(expected[1])), (doc_id, w, h)
        assert all(t.strip() for t in case.texts[doc_id]), f"{doc_id} has an empty page"


def test_member_register_has_one_page_per_member_in_scope(case):
    members = scope.in_scope(case.ds)
    texts = case.texts["member_register"]
    assert len(texts) == len(members)
    for member, text in zip(members, texts):
        flat = squash(text)
        assert flat.startswith("附件3") and "党员基本情况登记表" in flat
        assert member.name in flat and member.id_number in flat


def test_tables_repeat_their_header_on_every_page(case):
    if case.name == "synthetic60":
        assert len(case.texts["member_roster"]) > 1, "60 members should need more than one page"
    for doc_id, header in HEADER_TEXT.items():
        texts = case.texts[doc_id]
        for number, text in enumerate(texts, 1):
            assert header in squash(text), f"{doc_id} page {number}/{len(texts)} lacks 「{header}」"
        assert squash(texts[0]).startswith(f"附件{catalog.DOCUMENTS[doc_id].attachment}")


def printed(name: str, flat: str) -> bool:
    """The name is in the text, whole or wrapped: a rare long name (阿依古丽·买买提) takes two lines
    of its 姓名 cell, and the text reads the row's other one-line cells between the two halves."""
    return name in flat or any(
        re.search(re.escape(name[:i]) + ".{0,80}?" + re.escape(name[i:]), flat) for i in range(2, len(name) - 1))


def test_roster_prints_every_member_in_scope_and_nobody_else(case):
    flat = squash("".join(case.texts["member_roster"]))
    for member in scope.in_scope(case.ds):
        assert printed(member.name, flat) and member.id_number in flat, member.name
    for member in scope.excluded(case.ds):
        assert member.id_number not in flat, f"{member.name} joined after the cutoff"
    n = len(scope.in_scope(case.ds))
    assert f"合计：{n}人" in flat


def test_every_name_survives_into_the_pdf_text_hard_ones_included(case):
    names = {m.name for m in scope.in_scope(case.ds)}
    if case.name == "synthetic60":  # the branch that carries ·, 喆, 堃 and a non-BMP character
        hard = {name for name, _, _ in SPECIAL_NAMES.values()}
        assert {"阿依古丽·买买提", "张喆", "王堃", "李𠮷"} <= hard <= names
    roster = squash("".join(case.texts["member_roster"]))
    register = squash("".join(case.texts["member_register"]))
    for name in names:
        assert printed(name, roster) and name in register, name


def test_fonts_are_embedded_and_none_is_type3(case):
    for doc_id, out in case.pdfs.items():
        fonts = pdf_fonts(out.data)
        assert fonts, doc_id
        for f in fonts:
            assert f["emb"], f"{doc_id}: {f['name']} not embedded"
            assert "Type 3" not in f["type"], f"{doc_id}: {f['name']} is Type 3"
        names = " ".join(f["name"] for f in fonts)
        # 方正小标宋简体 → Noto Serif CJK SC Bold (the OTC's shared CFF is named …CJKjp-Bold)
        assert re.search(r"NotoSerifCJK\w*-Bold", names), f"{doc_id}: no bold serif title font: {names}"


def test_narratives_set_title_in_bold_serif_and_body_in_fangsong(case):
    for doc_id in NARRATIVES:
        runs = font_runs(case.pdfs[doc_id].data, 0)
        title = [f for f, size, _ in runs if size >= 20]
        assert title and all(re.search(r"NotoSerifCJK\w*-Bold", f) for f in title), (doc_id, title)
        body = {}
        for font, size, text in runs:
            if size == 16:
                body[font] = body.get(font, 0) + len(text.strip())
        main = max(body, key=body.get)
        assert "FandolFang" in main, f"{doc_id}: body text in {main}, not 仿宋 (FandolFang)"


def test_table_titles_are_bold_serif(case):
    for doc_id in TABLE_IDS:
        runs = font_runs(case.pdfs[doc_id].data, 0)
        title = [(font, text) for font, _, text in runs if re.search(r"NotoSerifCJK\w*-Bold", font)]
        assert catalog.DOCUMENTS[doc_id].name in squash("".join(t for _, t in title)), (doc_id, runs[:5])


# --- packages --------------------------------------------------------------------------------

def test_print_packet_is_attachments_4_to_9_each_from_a_new_page(case, pool):
    out = packages.render_package(case.ds, "print", "pdf", pool)
    assert out.mimetype == "application/pdf"
    assert out.filename == naming.file_name(case.ds.org, "print", "pdf")
    texts = page_texts(out.data)
    counts = [len(case.texts[d]) for d in PRINT_IDS]
    assert len(texts) == sum(counts)
    starts = [i for i, t in enumerate(texts) if re.match(r"\s*附件\d", t)]
    assert [int(re.match(r"\s*附件(\d)", texts[i]).group(1)) for i in starts] == [4, 5, 6, 7, 8, 9]
    expected, at = [], 0
    for n in counts:
        expected.append(at)
        at += n
    assert starts == expected
    for doc_id, i in zip(PRINT_IDS, starts):
        assert catalog.DOCUMENTS[doc_id].name in squash(texts[i])


def test_tables_package_in_pdf_is_a_zip_of_seven_pdfs_named_like_the_office_files(case, pool):
    office = packages.render_package(case.ds, "tables", "office")
    out = packages.render_package(case.ds, "tables", "pdf", pool)
    assert out.mimetype == "application/zip" and out.filename == office.filename
    office_names = zipfile.ZipFile(io.BytesIO(office.data)).namelist()
    with zipfile.ZipFile(io.BytesIO(out.data)) as zf:
        names = zf.namelist()
        assert names == [n.rsplit(".", 1)[0] + ".pdf" for n in office_names]
        assert names == [naming.file_name(case.ds.org, d, "pdf") for d in TABLE_IDS]
        for info in zf.infolist():
            assert info.flag_bits & 0x800  # UTF-8 names
            assert zf.read(info).startswith(b"%PDF")
            pages_of(zf.read(info))


def test_all_package_in_pdf_holds_the_four_deliverables(case, pool):
    out = packages.render_package(case.ds, "all", "pdf", pool)
    org = case.ds.org
    assert out.filename == naming.file_name(org, "all", "zip")
    with zipfile.ZipFile(io.BytesIO(out.data)) as zf:
        assert zf.namelist() == [
            naming.file_name(org, "work_plan", "pdf"), naming.file_name(org, "tables", "zip"),
            naming.file_name(org, "stage_summary", "pdf"), naming.file_name(org, "final_report", "pdf"),
        ]
        inner = zipfile.ZipFile(io.BytesIO(zf.read(naming.file_name(org, "tables", "zip"))))
        assert inner.namelist() == [naming.file_name(org, d, "pdf") for d in TABLE_IDS]
        for name in zf.namelist():
            if name.endswith(".pdf"):
                assert pages_of(zf.read(name))
        # the same text as the document on its own: one render path
        assert page_texts(zf.read(naming.file_name(org, "work_plan", "pdf"))) == case.texts["work_plan"]


def test_no_space_between_chinese_and_digits_in_word_documents(case):
    """「2023年6月30日」 and 「附件3」 as typed: LibreOffice's CJK autospace is off (unoserver_hidden).

    Measured on the page: where pdftotext splits a date into words (7月25 日), the gap is what
    justifying the line adds (a line that carries its last character over with a closing mark
    is spread by under a character, ~2 pt at the digits), never autospace's quarter em (4 pt)."""
    for doc_id in ("work_plan", "stage_summary", "final_report", "verification_report", "member_register"):
        text = "".join(case.texts[doc_id])
        assert re.search(r"\d{4}年\d{1,2}月", text), doc_id
        gaps = []
        for words in word_boxes(case.pdfs[doc_id].data):
            for a, b in zip(words, words[1:]):
                if a.line == b.line and re.search(r"\d$", a.text) and re.match(r"[年月日]", b.text) \
                        or a.line == b.line and re.search(r"[年月]$", a.text) and re.match(r"\d", b.text):
                    gaps.append((round(b.x0 - a.x1, 1), a.text + " " + b.text))
        em = 16
        assert all(gap < em / 5 for gap, _ in gaps), (doc_id, [g for g in gaps if g[0] >= em / 5][:3])
