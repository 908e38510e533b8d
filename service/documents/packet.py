"""The print packet (附件4–9 in one PDF), converted as one workbook so its fonts are embedded once.

Converted apart and joined, six one-page tables carry six copies of the same three font subsets
(~580 KB for the sample branch); joined first into one workbook, a sheet each, and converted once,
they carry one (~240 KB; bench/print_packet_bench.py). Each sheet keeps its own page setup, and
its page numbers start again at 1 (service.office.book).

LibreOffice's &N (共 Y 页) counts the pages of the whole workbook, not of the sheet, so each
sheet's total is printed as a number: estimated from the row heights, read back from the pages
of the PDF (their own numbers restart at 1 on each sheet), and when an estimate was wrong the
book is converted again with the counts read. Documents that are not spreadsheets (none in the
packet today) are converted on their own and joined in their place.
"""
from __future__ import annotations

import logging
import re
from itertools import groupby

from service.domain.model import Dataset
from service.office import book
from service.pdf.merge import merge, page_texts

from .render import Converter, context, document, render_pdfs

log = logging.getLogger(__name__)


def packet_pdf(ds: Dataset, doc_ids: tuple[str, ...], converter: Converter | None) -> bytes:
    """One PDF of the documents in order, each from a new page; each run of tables converted once."""
    if converter is None:
        render_pdfs(ds, doc_ids, None)  # raises ConversionUnavailable with its one message
    pdfs = []
    for is_sheet, run in groupby(doc_ids, key=lambda d: document(d).kind == "xlsx"):
        ids = tuple(run)
        pdfs.extend([tables_pdf(ds, ids, converter)] if is_sheet else [o.data for o in render_pdfs(ds, ids, converter)])
    return pdfs[0] if len(pdfs) == 1 else merge(pdfs)


def tables_pdf(ds: Dataset, doc_ids: tuple[str, ...], converter: Converter) -> bytes:
    """The tables as one workbook converted once, each sheet's 共 Y 页 its own page count."""
    parts = [(document(d).template, context(ds, document(d))) for d in doc_ids]
    joined = book.render_book(parts)
    for _ in range(2):  # the estimate, then (when it was wrong) the counts read from the pages
        pdf = converter.convert(joined.data, "xlsx")
        if joined.numbering is None:
            return pdf
        counts = book.page_counts(_page_numbers(pdf, joined.numbering), len(parts))
        if counts == joined.totals:
            return pdf
        if counts is None:
            break
        joined = book.render_book(parts, counts)
    # the pages cannot be told apart: the tables one by one, as each prints alone
    log.warning("打印版：无法从 PDF 读出各表的页码，改为逐表转换后合并")
    return merge([o.data for o in render_pdfs(ds, doc_ids, converter)])


def _page_numbers(pdf: bytes, numbering: re.Pattern) -> list[int | None]:
    """The number each page prints (第 X 页), None where it prints none."""
    out = []
    for text in page_texts(pdf):
        found = numbering.search(re.sub(r"\s+", "", text))
        out.append(int(found.group(1)) if found else None)
    return out
