"""Tables asked together as PDF: one workbook converted once, cut back into one PDF per table.

Through the real LibreOffice pool, for the sample branch and a synthetic 60-member branch: each
table's PDF has exactly the pages of the table converted on its own — as many, the same text
(pdftotext, plain and laid out), the same page sizes —, is a PDF of its own (pdfinfo opens it,
pdffonts finds every font embedded, none Type 3), carries the title and bookmark the table's own
PDF carries, and the whole took one conversion for the tables; the same data gives the same bytes.
"""
from __future__ import annotations

import io
import re
import subprocess
import tempfile
from dataclasses import dataclass

import pytest
from pypdf import PdfReader

from schemas import load_dataset
from service.documents import render
from service.domain import catalog
from service.domain.catalog import PRINT_IDS, TABLE_IDS
from tests.conftest_pdf import Counting, needs_soffice, page_texts, page_size, pages_of, pdf_fonts, sample_dataset_once, started_pool
from tools.synthetic import synthetic_branch

pytestmark = needs_soffice


@pytest.fixture(scope="module")
def pool():
    with started_pool(2, 4943, 5043) as p:
        yield p


@dataclass
class Case:
    name: str
    ds: object
    together: dict  # doc id -> PDF bytes, the tables asked together
    alone: dict  # doc id -> PDF bytes, each converted on its own
    kinds: list  # the conversions asked for the tables together


@pytest.fixture(scope="module", params=["sample", "synthetic60"])
def case(request, pool) -> Case:
    ds = sample_dataset_once() if request.param == "sample" else load_dataset(synthetic_branch(60))
    counting = Counting(pool)
    together = {d: o.data for d, o in zip(TABLE_IDS, render.render_pdfs(ds, TABLE_IDS, counting))}
    alone = {d: render.render_pdfs(ds, (d,), pool)[0].data for d in TABLE_IDS}
    return Case(request.param, ds, together, alone, counting.kinds)


def test_the_six_tables_took_one_conversion(case):
    assert case.kinds.count("xlsx") == 1
    assert case.kinds.count("docx") >= 1  # 附件3, whole or in parts


@pytest.mark.parametrize("doc_id", TABLE_IDS)
def test_each_table_has_the_pages_and_text_of_the_table_converted_alone(case, doc_id):
    together, alone = case.together[doc_id], case.alone[doc_id]
    assert len(pages_of(together)) == len(pages_of(alone))
    assert page_texts(together) == page_texts(alone)
    assert page_texts(together, layout=True) == page_texts(alone, layout=True)
    assert [page_size(p) for p in pages_of(together)] == [page_size(p) for p in pages_of(alone)]
    if case.name == "synthetic60" and doc_id == "member_roster":
        assert len(pages_of(together)) > 1  # a table of several pages is covered


@pytest.mark.parametrize("doc_id", PRINT_IDS)
def test_each_table_is_a_pdf_of_its_own_with_its_fonts_embedded(case, doc_id):
    data = case.together[doc_id]
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=True, timeout=60)
    assert re.search(r"^Pages:\s+(\d+)$", info.stdout, re.M).group(1) == str(len(pages_of(case.alone[doc_id])))
    fonts = pdf_fonts(data)
    assert fonts and all(row["emb"] for row in fonts), fonts
    assert not any("Type 3" in row["type"] for row in fonts)
    mine, own = PdfReader(io.BytesIO(data)), PdfReader(io.BytesIO(case.alone[doc_id]))
    assert mine.metadata.title == own.metadata.title == catalog.DOCUMENTS[doc_id].title
    assert [o.title for o in mine.outline] == [o.title for o in own.outline] == [catalog.DOCUMENTS[doc_id].name]


def test_the_same_data_gives_the_same_bytes(case, pool):
    again = render.render_pdfs(case.ds, TABLE_IDS, pool)  # the same workbook: the PDF cache's PDF, cut again
    assert {d: o.data for d, o in zip(TABLE_IDS, again)} == case.together
