"""附件4–附件9 of the stress branch (tools/synthetic.stress_branch: every free-text field at the
contract's limit) printed through LibreOffice: nothing is cut, and no page is headers alone; every
page is landscape and repeats the column headers; the sheet still prints one page wide at its
scale (88%: 10.5 pt cells), so nothing overflowed the width; the page counts stay what a clerk
can accept (printed with -s, and bounded).

The long values of the stress branch start and end with markers (备注3起…备注3止, 方式8-6起…,
结果8-6止, 地点2起…); each one a table holds must be found in the PDF's text, whitespace squashed
(pdftotext, reading order or -raw: a cell's lines may interleave with its neighbours' in one).
Page 1 of each table is kept as test-artifacts/stress/<doc>-1.png to be looked at.
"""
from __future__ import annotations

import collections
import html
import io
import re
import zipfile
from pathlib import Path

import pytest

from tests.conftest_pdf import (HEADER_TEXT, needs_soffice, page_texts, pages_of, printed_runs, save_pngs,
                                squash, started_pool)

pytestmark = needs_soffice

TABLES = ["member_roster", "outgoing_roster", "outgoing_summary", "recontacted_register",
          "unreachable_register", "campaign_summary"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "stress"
MARKER = re.compile(r"([\u4e00-\u9fff]{2}\d+(?:-\d+|之\d+)?)[起止]")
ID_NUMBER = re.compile(r"\d{17}[\dX]")


@pytest.fixture(scope="module")
def pdfs(stress_dataset):
    from service.documents.render import render_document

    with started_pool(2, 4313, 4413) as pool:
        return {doc_id: render_document(stress_dataset, doc_id, "pdf", pool).data for doc_id in TABLES}


def _raw_text(pdf: bytes) -> str:
    """The text in the order it was printed (pdftotext -raw), whitespace squashed."""
    return squash("".join(page_texts(pdf, raw=True)))


def _markers(ds, doc_id) -> set[str]:
    """The start and end markers (备注3起, 备注3止) of every long value the table's rows hold."""
    import openpyxl

    from service.domain.catalog import DOCUMENTS
    from service.domain.tables import table_context
    from service.office import spreadsheet

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
def test_the_full_org_name_is_on_page_1(stress_data, pdfs, doc_id):
    pages = page_texts(pdfs[doc_id])
    assert squash(stress_data["org"]["full_name"]) in squash(pages[0])
    (png,) = save_pngs(pdfs[doc_id], ARTIFACTS, doc_id, first_only=True)
    assert png.stat().st_size > 0


@pytest.mark.parametrize("doc_id", TABLES)
def test_every_long_value_prints_its_start_and_its_end(stress_dataset, pdfs, doc_id):
    markers = _markers(stress_dataset, doc_id)
    if doc_id.endswith("_roster") or doc_id.endswith("_register"):
        assert markers, "the stress branch's rows hold marked long values"
    text, raw = squash("".join(page_texts(pdfs[doc_id]))), _raw_text(pdfs[doc_id])
    lost = sorted(m for m in markers if m not in text and m not in raw)
    assert not lost, lost


@pytest.mark.parametrize("doc_id", TABLES)
def test_no_page_is_headers_without_a_row(stress_data, pdfs, doc_id):
    org_name = squash(stress_data["org"]["name"])[:6]  # the summaries' rows begin with the branch's name
    for number, page in enumerate(page_texts(pdfs[doc_id]), start=1):
        flat = squash(page)
        if HEADER_TEXT[doc_id] not in flat:
            continue
        if doc_id.endswith("summary"):
            assert org_name in flat and "合计" in flat, number
        else:  # every record holds a marked long value (岗位N起, 地点N起, 去向N起, 备注N起…)
            assert MARKER.search(flat) or ID_NUMBER.search(flat), f"page {number} is headers only"


def test_the_footer_names_print_whole(stress_data, pdfs):
    for doc_id in ("outgoing_summary", "campaign_summary", "unreachable_register"):
        last = squash(page_texts(pdfs[doc_id])[-1])
        for key in ("secretary", "contact_person"):
            name = squash(stress_data["org"][key])
            assert name in last or name in _raw_text(pdfs[doc_id]), (doc_id, key)


# what the stress branch prints on, at most: 25 members with a 100-字 备注 and a 30-字 岗位 each fit
# three a page in 附件4 (the template's widths gave 13 pages); a record of 附件5 or 附件8 at the
# limits (six search attempts of ~90 字, a 150-字 备注) takes most of a page
MOST_PAGES = {"member_roster": 9, "outgoing_roster": 5, "outgoing_summary": 1, "recontacted_register": 1,
              "unreachable_register": 4, "campaign_summary": 1}
# the type sizes the sheets print at (forms.md §2: cells 10.5–12 pt; 附件9's 31 columns: figures 10, headers 9)
MIN_PRINTED = {"campaign_summary": 9}
# the page footer: 「第 1 页，共 3 页」 and, smaller, the 校验码 at its right (neither is a cell)
PAGE_FOOTER = re.compile(r"^([第页，共\s\d]+|\s*校验码\s*|\s*校验码?\s*[0-9A-F]{4}-[0-9A-F]{4}\s*|\s*[0-9A-F]{4}-[0-9A-F]{4}\s*)$")


def _header_labels(doc_id) -> list[str]:
    """The column headers of a table: the text of its print title rows, as the template has them."""
    import openpyxl

    from service.domain.catalog import DOCUMENTS
    from service.office import spreadsheet

    ws = openpyxl.load_workbook(spreadsheet.template_path(DOCUMENTS[doc_id].template)).active
    first, last = (int(n) for n in re.findall(r"\d+", ws.print_title_rows))
    return [squash(c.value) for row in ws.iter_rows(min_row=first, max_row=last) for c in row
            if isinstance(c.value, str) and c.value.strip()]


@pytest.mark.parametrize("doc_id", TABLES)
def test_every_page_is_landscape_and_repeats_the_column_headers(pdfs, doc_id):
    pages, texts = pages_of(pdfs[doc_id]), page_texts(pdfs[doc_id], raw=True)  # -raw: a stacked header reads whole
    assert len(pages) == len(texts) <= MOST_PAGES[doc_id], (doc_id, len(pages))
    print(f"\n{doc_id}: {len(pages)} 页")
    labels = _header_labels(doc_id)
    assert len(labels) >= 6
    for number, (page, text) in enumerate(zip(pages, texts), start=1):
        assert float(page.mediabox.width) > float(page.mediabox.height), (doc_id, number)
        flat = squash(text)
        missing = [label for label in labels if label not in flat]
        assert not missing, (doc_id, number, missing)
    if len(pages) > 1:
        assert all(squash(texts[0]).count(HEADER_TEXT[doc_id]) == squash(t).count(HEADER_TEXT[doc_id])
                   for t in texts)  # once a page: the header row, not a cell


@pytest.mark.parametrize("doc_id", TABLES)
def test_the_sheet_prints_one_page_wide_at_its_type_size(pdfs, doc_id):
    """An overflowing cell made LibreOffice shrink the whole sheet (to 88% and below): every cell's
    text still prints at the size forms.md names."""
    sizes = [size for text, size in printed_runs(pdfs[doc_id]) if not PAGE_FOOTER.match(text)]
    assert min(sizes) >= MIN_PRINTED.get(doc_id, 10.5), sorted(sizes)[:5]


@pytest.mark.parametrize("doc_id", TABLES)
def test_every_character_of_the_sheet_is_printed(stress_dataset, pdfs, doc_id):
    """What the workbook holds is in the PDF, character for character (whatever the order)."""
    from service.documents.render import render_office

    with zipfile.ZipFile(io.BytesIO(render_office(stress_dataset, doc_id))) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))
    held = squash(html.unescape("".join(re.findall(r"<t(?: [^>]*)?>([^<]*)</t>", xml))))
    lost = collections.Counter(held) - collections.Counter(squash("".join(page_texts(pdfs[doc_id]))))
    assert held and not lost, dict(lost)
