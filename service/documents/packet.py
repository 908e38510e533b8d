"""The print packet (附件4–9 in one PDF), converted as one workbook so its fonts are embedded once.

Converted apart and joined, six one-page tables carry six copies of the same three font subsets
(~580 KB for the sample branch); joined first into one workbook, a sheet each, and converted once,
they carry one (~240 KB; bench/print_packet_bench.py). Each sheet keeps its own page setup, and
its page numbers and totals are its own (service.documents.sheets, service.office.book). The
packet keeps the workbook's PDF whole; when the PDF does not tell where each sheet starts, the
tables are converted one by one and joined. Documents that are not spreadsheets (none in the
packet today) are converted on their own and joined in their place.
"""
from __future__ import annotations

import logging
from itertools import groupby

from service.domain.model import Dataset
from service.pdf.merge import merge

from . import sheets
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
    converted = sheets.convert([(document(d).template, context(ds, document(d))) for d in doc_ids], converter)
    if converted is not None:
        return converted.pdf
    # the pages cannot be told apart: the tables one by one, as each prints alone
    log.warning("打印版：无法从 PDF 读出各表的页数，改为逐表转换后合并")
    return merge([o.data for o in render_pdfs(ds, doc_ids, converter, apart=True)])
