"""The 校验码 on paper: every page of every document carries the code of the dataset it was made from.

Read back the way the district would check a sealed copy: the Word footers with python-docx (odd and
even pages), the Excel page footers with openpyxl, and, through the real LibreOffice pool, the text
of every printed page with pdftotext (the sample branch, the stress branch at the contract's limits,
the print packet); a changed member prints another code. First pages are saved under
test-artifacts/verification/ (pdftoppm -r 60) to be looked at.
"""
from __future__ import annotations

import copy
import io
import re
from pathlib import Path

import docx
import openpyxl
import pytest

from schemas import load_dataset
from service.documents import packages, render
from service.domain import catalog, scope
from service.domain.verification import footer_line, verification_code
from tests.conftest_pdf import page_texts, sample_dataset_once, save_pngs, soffice_test, started_pool, word_boxes
from tools.synthetic import stress_branch

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "verification"
PRINTED = re.compile(r"校验码 ([0-9A-F]{4}-[0-9A-F]{4})")
DOCX_IDS = [d.id for d in catalog.DOCUMENT_LIST if d.kind == "docx"]
XLSX_IDS = [d.id for d in catalog.DOCUMENT_LIST if d.kind == "xlsx"]


def changed(data: dict) -> dict:
    """The same branch with one member's name changed by one character."""
    data = copy.deepcopy(data)
    data["members"][0]["name"] += "明"
    return data


# ---- the office files ---------------------------------------------------------------------------

def footers(data: bytes) -> dict[str, str]:
    """The text of each footer a Word file has: default (odd pages) and, when set, even pages."""
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    out = {"default": "\n".join(p.text for p in section.footer.paragraphs)}
    if document.settings.odd_and_even_pages_header_footer:
        out["even"] = "\n".join(p.text for p in section.even_page_footer.paragraphs)
    return out


@pytest.mark.parametrize("doc_id", DOCX_IDS)
def test_every_word_footer_holds_the_code(sample_dataset, doc_id):
    code = verification_code(sample_dataset)
    found = footers(render.render_office(sample_dataset, doc_id))
    if doc_id != "member_register":  # the narratives: page numbers on odd and even pages
        assert set(found) == {"default", "even"}
    for which, text in found.items():
        assert PRINTED.findall(text) == [code], (doc_id, which, text)


@pytest.mark.parametrize("doc_id", XLSX_IDS)
def test_every_excel_page_footer_holds_the_code(sample_dataset, doc_id):
    code = verification_code(sample_dataset)
    wb = openpyxl.load_workbook(io.BytesIO(render.render_office(sample_dataset, doc_id)))
    for ws in wb.worksheets:
        assert ws.oddFooter.right.text == f"校验码 {code}", ws.title
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"  # the page numbers stay
        assert not ws.HeaderFooter.differentOddEven and not ws.HeaderFooter.differentFirst


def test_a_changed_member_changes_the_code_in_every_file(sample_data):
    before, after = load_dataset(sample_data), load_dataset(changed(sample_data))
    old, new = verification_code(before), verification_code(after)
    assert old != new
    for doc_id in DOCX_IDS:
        assert all(PRINTED.findall(t) == [new] for t in footers(render.render_office(after, doc_id)).values())
    for doc_id in XLSX_IDS:
        ws = openpyxl.load_workbook(io.BytesIO(render.render_office(after, doc_id))).active
        assert ws.oddFooter.right.text == f"校验码 {new}", doc_id


# ---- the printed pages --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pool():
    with started_pool(2, 4513, 4613) as p:
        yield p


def codes_per_page(pdf: bytes) -> list[list[str]]:
    return [PRINTED.findall(text) for text in page_texts(pdf)]


@soffice_test
def test_every_page_of_every_sample_document_prints_the_code(pool):
    ds = sample_dataset_once()
    code = verification_code(ds)
    outputs = render.render_pdfs(ds, catalog.DOCUMENT_IDS, pool)
    for doc_id, out in zip(catalog.DOCUMENT_IDS, outputs):
        pages = codes_per_page(out.data)
        assert pages and all(found == [code] for found in pages), (doc_id, pages)
    for doc_id, out in zip(catalog.DOCUMENT_IDS, outputs):
        if doc_id in ("work_plan", "member_register", "member_roster"):
            save_pngs(out.data, ARTIFACTS, f"sample-{doc_id}", first_only=True)
    assert len(page_texts(outputs[1].data)) == len(scope.in_scope(ds))  # 附件3: still one page per member


@soffice_test
@pytest.mark.parametrize("doc_id", ["work_plan", "final_report"])
def test_narratives_print_the_code_at_the_inner_edge_beside_the_page_number(pool, doc_id):
    """Odd pages: 校验码 at the left, 「— n —」 at the right; even pages the other way round; both on
    the page number's line, under the type area, in a smaller size than the page number."""
    ds = sample_dataset_once()
    pdf = render.render_document(ds, doc_id, "pdf", pool).data
    pages = word_boxes(pdf)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        label = next(w for w in page if w.text == "校验码")
        digits = next(w for w in page if w.text == verification_code(ds))
        page_no = next(w for w in page if w.text == str(number) and w.y0 > 700)
        body = [w for w in page if w not in (label, digits, page_no) and w.text != "—"]
        assert label.y0 > max(w.y1 for w in body), "the code is below the last line of text"
        assert abs((label.y0 + label.y1) / 2 - (page_no.y0 + page_no.y1) / 2) < 4, "on the number's line"
        assert (label.y1 - label.y0) < (page_no.y1 - page_no.y0), "smaller than the page number"
        middle = 595.3 / 2
        if number % 2:
            assert digits.x1 < middle < page_no.x0, number
        else:
            assert page_no.x1 < middle < label.x0, number


@soffice_test
def test_stress_branch_register_and_tables_print_the_code_on_every_page(pool):
    """At the contract's limits 附件3 stays one page per member and every page, of it and of the long
    tables, carries the code."""
    ds = load_dataset(stress_branch())
    code = verification_code(ds)
    ids = ("member_register", "member_roster", "unreachable_register")
    outputs = render.render_pdfs(ds, ids, pool)
    for doc_id, out in zip(ids, outputs):
        pages = codes_per_page(out.data)
        assert all(found == [code] for found in pages), (doc_id, pages)
        save_pngs(out.data, ARTIFACTS, f"stress-{doc_id}", first_only=True)
    assert len(codes_per_page(outputs[0].data)) == len(scope.in_scope(ds))
    assert len(codes_per_page(outputs[1].data)) > 1  # a table of many pages: the code on each


@soffice_test
def test_every_page_of_the_print_packet_prints_the_code(pool):
    ds = sample_dataset_once()
    packet = packages.render_package(ds, "print", None, pool)
    pages = codes_per_page(packet.data)
    assert len(pages) >= len(catalog.PRINT_IDS)
    assert all(found == [verification_code(ds)] for found in pages), pages


@soffice_test
def test_a_changed_member_prints_another_code(pool, sample_data):
    before = load_dataset(sample_data)
    after = load_dataset(changed(sample_data))
    pdf = render.render_document(after, "member_roster", "pdf", pool).data
    assert codes_per_page(pdf) == [[verification_code(after)]]
    assert footer_line(after) != footer_line(before)
