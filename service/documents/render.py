"""The one seam between office rendering and PDF conversion: a catalog id in, named bytes out.

Every document is a projection of one Dataset, so every table agrees with every other. The API,
the CLI, the clerk pages and batch all call render_document / render_package (packages.py).
"""
from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Iterator, Optional, Protocol

from service.domain import catalog, drafts, naming, scope, tables
from service.domain.catalog import MIMETYPES, Document
from service.domain.model import Dataset
from service.errors import ConversionUnavailable, UnknownDocument, UnsupportedFormat
from service.office import book, spreadsheet, word
from service.pdf.merge import merge, split

from . import sheets

log = logging.getLogger(__name__)

# How long LibreOffice takes, in pages of the register: loading and exporting one document costs
# about what 8 register pages do (measured here: ~0.3 s against ~0.035 s a page, see
# bench/web_bench.py), a printed page of a table about what 3 do (a workbook of 附件4–9 printing
# 6 pages took ~0.9 s, one of 16 pages ~1.9 s). Only used to order the conversions and to decide
# whether and where cutting the register into parts pays.
DOCUMENT_COST_PAGES = 8
SHEET_PAGE_COST = 3
NARRATIVE_PAGES = 6  # a narrative's pages, guessed before it is converted (5–10 here)
MIN_PAGES_PER_PART = 8  # never parts shorter than this
WORTH_IT = 0.85  # cut only when the estimated finish comes at least 15 % sooner


class Converter(Protocol):
    """What the PDF engine offers the renderers: bytes of a kind in, PDF bytes out."""

    parallelism: int  # how many conversions it runs side by side

    def convert(self, data: bytes, kind: str) -> bytes: ...

    # the pool and its client also take convert(data, kind, pdfa=True): PDF/A-2b, for the archive only

    # and optionally check_room() -> None, raising ConversionBusy when no conversion could start or wait now


@dataclass(frozen=True)
class Output:
    data: bytes
    filename: str  # the exact name of forms.md §1
    ascii_filename: str  # meaningful ASCII fallback for Content-Disposition
    mimetype: str


def document(doc_id: str) -> Document:
    try:
        return catalog.DOCUMENTS[doc_id]
    except KeyError:
        raise UnknownDocument(
            f"没有编号为「{doc_id}」的文书，可用的有：{'、'.join(catalog.DOCUMENT_IDS)}") from None


def context(ds: Dataset, doc: Document) -> dict:
    return tables.table_context(ds, doc.id) if doc.is_table else drafts.narrative_context(ds, doc.id)


def fill(doc: Document, ctx: dict) -> bytes:
    """The template filled with a context, as deterministic DOCX or XLSX bytes."""
    render = word.render_docx if doc.kind == "docx" else spreadsheet.render_xlsx
    return render(doc.template, ctx)


def render_office(ds: Dataset, doc_id: str) -> bytes:
    """The document in its own office format (DOCX or XLSX), deterministic bytes."""
    doc = document(doc_id)
    return fill(doc, context(ds, doc))


def named(ds: Dataset, key: str, ext: str, data: bytes) -> Output:
    return Output(data, naming.file_name(ds.org, key, ext), naming.ascii_name(ds.org, key, ext), MIMETYPES[ext])


def check_format(doc: Document, fmt: Optional[str]) -> str:
    fmt = fmt or doc.kind
    if fmt not in doc.formats:
        raise UnsupportedFormat(f"「{doc.title}」只提供 {doc.kind} 或 pdf 格式，不提供 {fmt}")
    return fmt


def render_document(ds: Dataset, doc_id: str, fmt: Optional[str] = None,
                    converter: Optional[Converter] = None) -> Output:
    """One document, named as forms.md §1, in its office format (default) or as PDF."""
    doc = document(doc_id)
    fmt = check_format(doc, fmt)
    if fmt == "pdf":
        return render_pdfs(ds, (doc_id,), converter)[0]
    return named(ds, doc_id, fmt, render_office(ds, doc_id))


def render_pdfs(ds: Dataset, doc_ids: tuple[str, ...], converter: Optional[Converter],
                apart: bool = False) -> list[Output]:
    """Several documents as PDF, converted side by side on as many instances as the converter has.

    Two tables or more (spreadsheets not paged per member) are joined as one workbook, converted
    once and cut back into one PDF each (service.documents.sheets): one document load instead of
    one per table, each PDF with exactly the pages the table prints alone. `apart` converts every
    document on its own instead (the print packet's fallback, and the tests' reference).

    A register with one page per member is cut into parts where that finishes sooner, sized to
    fill what the other conversions leave of each instance, and joined again: the long 附件3 then
    no longer holds one instance while the others wait. Each conversion is sent as soon as its
    bytes are rendered, so LibreOffice works while the rest is still being filled: the workbook of
    tables first (its page counts, known once it is rendered, tell its cost), then the others
    longest first, then the register's parts, largest first.
    """
    if converter is None:
        raise ConversionUnavailable(
            "PDF 转换不可用：服务器未安装或未启用 LibreOffice（libreoffice-writer-nogui、libreoffice-calc-nogui），"
            "Word/Excel 文件仍可下载")
    check_room = getattr(converter, "check_room", None)
    if check_room is not None:  # a full pool refuses before anything is rendered: a quick 503
        check_room()
    width = max(1, int(getattr(converter, "parallelism", 1) or 1))
    docs = [document(d) for d in doc_ids]
    booked = [] if apart else [i for i, d in enumerate(docs) if d.kind == "xlsx" and not d.paged_per_member]
    booked = booked if len(booked) >= 2 else []
    rest = [i for i in range(len(docs)) if i not in booked]
    pdfs: dict[int, list[bytes]] = {}
    with ThreadPoolExecutor(max_workers=width) as lanes:
        costs: list[float] = []
        if booked:
            parts = [(docs[i].template, context(ds, docs[i])) for i in booked]
            joined = book.render_book(parts)
            tables = lanes.submit(sheets.convert, parts, converter, joined)
            costs.append(DOCUMENT_COST_PAGES + SHEET_PAGE_COST * sum(joined.totals))
        estimated = {i: estimate(ds, docs[i]) for i in rest}
        sizes = {i: part_sizes(len(scope.in_scope(ds)), costs + [c for j, c in estimated.items() if j != i], width)
                 for i in rest if docs[i].paged_per_member}
        cut = [i for i in rest if len(sizes.get(i, ())) > 1]
        order = sorted((i for i in rest if i not in cut), key=lambda i: -estimated[i]) + cut
        futures: dict[int, list[Future]] = {}
        for i in order:
            futures[i] = [lanes.submit(converter.convert, part, docs[i].kind) for part in _parts(ds, docs[i], sizes.get(i))]
        if booked:
            pdfs.update(zip(booked, _tables(tables.result(), parts, [docs[i] for i in booked], converter, lanes)))
        pdfs.update({i: [f.result() for f in fs] for i, fs in futures.items()})
    return [named(ds, doc.id, "pdf", pdfs[i][0] if len(pdfs[i]) == 1 else merge(pdfs[i]))
            for i, doc in enumerate(docs)]


def _tables(converted: Optional[sheets.Converted], parts: list[tuple[str, dict]], docs: list[Document],
            converter: Converter, lanes: ThreadPoolExecutor) -> list[list[bytes]]:
    """Each table's PDF cut from the workbook's; converted one by one when its pages cannot be told apart."""
    if converted is not None:
        return [[pdf] for pdf in split(converted.pdf, converted.counts, converted.book.titles)]
    log.warning("无法从 PDF 读出各表的页数，改为逐表转换")
    futures = [lanes.submit(converter.convert, fill(doc, ctx), doc.kind) for doc, (_, ctx) in zip(docs, parts)]
    return [[f.result()] for f in futures]


def estimate(ds: Dataset, doc: Document) -> float:
    """What converting a document on its own costs, in register pages, guessed before it is rendered."""
    if doc.paged_per_member:
        return DOCUMENT_COST_PAGES + len(scope.in_scope(ds))
    return DOCUMENT_COST_PAGES + (SHEET_PAGE_COST if doc.kind == "xlsx" else NARRATIVE_PAGES)


def part_sizes(pages: int, others: list[float], width: int) -> list[int]:
    """The pages of each part to cut a one-page-per-member document into, converted beside jobs
    costing `others` on `width` lanes; one part: not cut.

    Cutting costs a document load per part; it pays only when the other jobs leave lanes idle while
    the register runs (a 附件3 on its own, or a long one). The others go first, longest first, each
    to the first free lane; the parts then fill the least loaded lanes up to one level (largest part
    to the emptiest lane). Cut only when that finishes WORTH_IT sooner than the register whole
    among the others, longest first.
    """
    best = [pages]
    if width < 2 or pages < 2 * MIN_PAGES_PER_PART:
        return best
    ahead = sorted(others, reverse=True)
    best_time = _finish(sorted(ahead + [DOCUMENT_COST_PAGES + pages], reverse=True), width)
    loads = sorted(_lanes(ahead, width))
    for count in range(2, width + 1):
        sizes = _fill(pages, loads[:count])
        if sizes is None:
            break
        time = _finish(ahead + [DOCUMENT_COST_PAGES + s for s in sizes], width)
        if time < best_time * WORTH_IT:
            best, best_time = sizes, time
    return best


def _fill(pages: int, loads: list[float]) -> Optional[list[int]]:
    """`pages` in one part per lane, each part paying a document load, so that the lanes (their
    `loads`, ascending) end level; largest part first. None when a part would be shorter than
    MIN_PAGES_PER_PART."""
    level = (pages + sum(load + DOCUMENT_COST_PAGES for load in loads)) / len(loads)
    shares = [level - load - DOCUMENT_COST_PAGES for load in loads]
    if min(shares) < MIN_PAGES_PER_PART:
        return None
    sizes = [int(share) for share in shares]
    for k in range(pages - sum(sizes)):  # what rounding down left, a page each from the largest on
        sizes[k % len(sizes)] += 1
    return sorted(sizes, reverse=True)


def _lanes(costs: list[float], width: int) -> list[float]:
    """How long each lane works when the jobs, in this order, each go to the first free lane."""
    lanes = [0.0] * width
    for cost in costs:
        lanes[lanes.index(min(lanes))] += cost
    return lanes


def _finish(costs: list[float], width: int) -> float:
    """When the last lane finishes, the jobs sent in this order."""
    return max(_lanes(costs, width))


def _parts(ds: Dataset, doc: Document, sizes: Optional[list[int]]) -> Iterator[bytes]:
    """The office bytes to convert for a document, one part at a time as each is rendered:
    the document itself, or its per-member pages in parts of `sizes` pages."""
    ctx = context(ds, doc)
    members = ctx.get("members") if doc.paged_per_member else None
    if not members or not sizes or len(sizes) < 2 or sum(sizes) != len(members):
        yield fill(doc, ctx)
        return
    start = 0
    for size in sizes:
        chunk = members[start:start + size]
        start += size
        yield fill(doc, {**ctx, "members": chunk, "rows": chunk})
