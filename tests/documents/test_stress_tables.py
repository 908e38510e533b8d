"""附件4–附件9 of the stress branch (tools/synthetic.stress_branch: every free-text field at the
contract's limit) printed through LibreOffice: nothing is cut, and no page is headers alone.

The long values of the stress branch start and end with markers (备注3起…备注3止, 方式8-6起…,
结果8-6止, 地点2起…); each one a table holds must be found in the PDF's text, whitespace squashed
(pdftotext, reading order or -raw: a cell's lines may interleave with its neighbours' in one).
Page 1 of each table is kept as test-artifacts/stress/<doc>-1.png to be looked at.
"""
from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.conftest_pdf import HEADER_TEXT, needs_soffice, page_texts, squash, started_pool

pytestmark = needs_soffice

TABLES = ["member_roster", "outgoing_roster", "outgoing_summary", "recontacted_register",
          "unreachable_register", "campaign_summary"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "stress"
MARKER = re.compile(r"([\u4e00-\u9fff]{2}\d+(?:-\d+|之\d+)?)[起止]")
ID_NUMBER = re.compile(r"\d{17}[\dX]")


@pytest.fixture(scope="module")
def stress():
    from schemas import load_dataset
    from tools.synthetic import stress_branch

    data = stress_branch()
    return data, load_dataset(data)


@pytest.fixture(scope="module")
def pdfs(stress):
    from service.documents.render import render_document

    _, ds = stress
    with started_pool(2, 4313, 4413) as pool:
        return {doc_id: render_document(ds, doc_id, "pdf", pool).data for doc_id in TABLES}


def _raw_text(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", f.name, "-"], capture_output=True,
                             check=True, timeout=60).stdout.decode("utf-8")
    return squash(out)


def _markers(stress, doc_id) -> set[str]:
    """The start and end markers (备注3起, 备注3止) of every long value the table's rows hold."""
    import openpyxl

    from service.domain.catalog import DOCUMENTS
    from service.domain.tables import table_context
    from service.office import spreadsheet

    _, ds = stress
    ws = openpyxl.load_workbook(spreadsheet.template_path(DOCUMENTS[doc_id].template)).active
    printed = {m.group(1) for row in ws.iter_rows() for c in row if isinstance(c.value, str)
               for m in re.finditer(r"\{\{\s*row\.(\w+)", c.value)}  # the columns the table prints
    rows = table_context(ds, doc_id).get("rows") or []
    texts = [str(row[key]) for row in rows if isinstance(row, dict) for key in printed if key in row]
    found = set()
    for text in texts:
        for m in MARKER.finditer(squash(text)):
            found.add(m.group(0))
    return found


@pytest.mark.parametrize("doc_id", TABLES)
def test_the_full_org_name_is_on_page_1(stress, pdfs, doc_id):
    data, _ = stress
    pages = page_texts(pdfs[doc_id])
    assert squash(data["org"]["full_name"]) in squash(pages[0])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdfs[doc_id])
        f.flush()
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", f.name,
                        str(ARTIFACTS / f"{doc_id}-1")], check=True, timeout=120)
    assert (ARTIFACTS / f"{doc_id}-1.png").stat().st_size > 0


@pytest.mark.parametrize("doc_id", TABLES)
def test_every_long_value_prints_its_start_and_its_end(stress, pdfs, doc_id):
    markers = _markers(stress, doc_id)
    if doc_id.endswith("_roster") or doc_id.endswith("_register"):
        assert markers, "the stress branch's rows hold marked long values"
    text, raw = squash("".join(page_texts(pdfs[doc_id]))), _raw_text(pdfs[doc_id])
    lost = sorted(m for m in markers if m not in text and m not in raw)
    assert not lost, lost


@pytest.mark.parametrize("doc_id", TABLES)
def test_no_page_is_headers_without_a_row(stress, pdfs, doc_id):
    data, _ = stress
    org_name = squash(data["org"]["name"])[:6]  # the summaries' rows begin with the branch's name
    for number, page in enumerate(page_texts(pdfs[doc_id]), start=1):
        flat = squash(page)
        if HEADER_TEXT[doc_id] not in flat:
            continue
        if doc_id.endswith("summary"):
            assert org_name in flat and "合计" in flat, number
        else:  # every record holds a marked long value (岗位N起, 地点N起, 去向N起, 备注N起…)
            assert MARKER.search(flat) or ID_NUMBER.search(flat), f"page {number} is headers only"


def test_the_footer_names_print_whole(stress, pdfs):
    data, _ = stress
    for doc_id in ("outgoing_summary", "campaign_summary", "unreachable_register"):
        last = squash(page_texts(pdfs[doc_id])[-1])
        for key in ("secretary", "contact_person"):
            assert squash(data["org"][key]) in last or squash(data["org"][key]) in _raw_text(pdfs[doc_id]), \
                (doc_id, key)
