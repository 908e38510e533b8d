"""The print packet through the real LibreOffice pool, against the tables converted one by one.

The packet is converted as one workbook (service.documents.packet); the tables converted apart and
joined are what it printed before. Both must print the same pages in the same order with the same
text and orientation, each page numbered within its own table (第 X 页，共 Y 页) and carrying the
校验码; the packet is smaller than the sum of the tables converted apart, embeds each font subset
once, and the same data gives the same bytes. The pages are kept as
test-artifacts/print-packet/<case>-N.png (pdftoppm -r 60), to be looked at.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from schemas import load_dataset
from service.documents import packages, render
from service.domain import catalog
from service.domain.catalog import PRINT_IDS
from service.domain.verification import verification_code
from service.pdf.merge import merge
from tests.conftest_pdf import (Counting, needs_soffice, page_texts, page_size, pages_of, sample_dataset_once,
                                save_pngs, squash, started_pool)
from tools.synthetic import synthetic_branch

pytestmark = needs_soffice

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "print-packet"


@pytest.fixture(scope="module")
def pool():
    with started_pool(2, 4903, 5003) as p:
        yield p


@dataclass
class Case:
    name: str
    ds: object
    parts: list  # each table's PDF, converted on its own
    packet: bytes


@pytest.fixture(scope="module", params=["sample", "synthetic60"])
def case(request, pool) -> Case:
    ds = sample_dataset_once() if request.param == "sample" else load_dataset(synthetic_branch(60))
    parts = [o.data for o in render.render_pdfs(ds, PRINT_IDS, pool, apart=True)]
    return Case(request.param, ds, parts, packages.render_package(ds, "print", "pdf", pool).data)


def test_same_pages_with_the_same_text_and_orientation_as_the_tables_one_by_one(case):
    before, after = merge(case.parts), case.packet
    assert len(pages_of(after)) == sum(len(pages_of(p)) for p in case.parts)
    assert page_texts(after) == page_texts(before)
    assert page_texts(after, layout=True) == page_texts(before, layout=True)
    assert [page_size(p) for p in pages_of(after)] == [page_size(p) for p in pages_of(before)]


def test_each_page_is_numbered_within_its_table_and_carries_the_code(case):
    texts = [squash(t) for t in page_texts(case.packet)]
    expected = [(doc_id, k, len(pages_of(part))) for doc_id, part in zip(PRINT_IDS, case.parts)
                for k in range(1, len(pages_of(part)) + 1)]
    code = verification_code(case.ds)
    assert len(texts) == len(expected)
    for text, (doc_id, k, total) in zip(texts, expected):
        assert re.findall(r"第\d+页，共\d+页", text) == [f"第{k}页，共{total}页"], (doc_id, k)
        assert f"校验码{code}" in text, (doc_id, k)
        if k == 1:
            assert catalog.DOCUMENTS[doc_id].name in text
    if case.name == "synthetic60":
        assert any(len(pages_of(p)) > 1 for p in case.parts)  # a table of several pages is covered


def test_smaller_than_its_parts_with_each_font_subset_embedded_once(case):
    assert len(case.packet) < sum(len(p) for p in case.parts)
    assert len(case.packet) < 0.6 * len(merge(case.parts))
    fonts = _embedded_fonts(case.packet)
    assert fonts and all(len(files) == 1 for files in fonts.values()), fonts
    assert len({f for files in fonts.values() for f in files}) == len(fonts)  # no file shared by two names
    before = _embedded_fonts(merge(case.parts))
    assert sum(map(len, before.values())) > len(fonts)  # what the packet saves: the copies per table


def test_the_same_data_gives_the_same_packet_bytes_from_one_conversion(case, pool):
    counting = Counting(pool)
    again = packages.render_package(case.ds, "print", "pdf", counting).data
    assert again == case.packet
    assert counting.kinds == ["xlsx"]  # the estimated page counts were right: no second conversion


def test_pages_saved_as_png_for_a_look(case):
    assert len(save_pngs(case.packet, ARTIFACTS, case.name)) == len(pages_of(case.packet))


def _embedded_fonts(pdf: bytes) -> dict[str, set[int]]:
    """Each embedded font's name → the object numbers of the font programs embedded for it."""
    out: dict[str, set[int]] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = described["/FontDescriptor"].get_object()
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in descriptor:
                    out.setdefault(str(font["/BaseFont"]), set()).add(descriptor.raw_get(key).idnum)
    return out
