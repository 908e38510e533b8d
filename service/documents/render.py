"""The one seam between office rendering and PDF conversion: a catalog id in, named bytes out.

Every document is a projection of one Dataset, so every table agrees with every other. The API,
the CLI, the clerk pages and batch all call render_document / render_package (packages.py).
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Optional, Protocol

from service.domain import catalog, drafts, naming, scope, tables
from service.domain.catalog import MIMETYPES, Document
from service.domain.model import Dataset
from service.errors import ConversionUnavailable, UnknownDocument, UnsupportedFormat
from service.office import spreadsheet, word
from service.pdf.merge import merge

# How long LibreOffice takes, in pages of the register: loading and exporting one document costs
# about what 8 register pages do (measured here: ~0.3 s against ~0.035 s a page, see
# bench/web_bench.py). Only used to decide whether cutting the register into parts pays.
DOCUMENT_COST_PAGES = 8
MIN_PAGES_PER_PART = 8  # never parts shorter than this
WORTH_IT = 0.85  # cut only when the estimated finish comes at least 15 % sooner


class Converter(Protocol):
    """What the PDF engine offers the renderers: bytes of a kind in, PDF bytes out."""

    parallelism: int  # how many conversions it runs side by side

    def convert(self, data: bytes, kind: str) -> bytes: ...

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


def render_pdfs(ds: Dataset, doc_ids: tuple[str, ...], converter: Optional[Converter]) -> list[Output]:
    """Several documents as PDF, converted side by side on as many instances as the converter has.

    A register with one page per member is cut into parts, one per instance, and joined again:
    the long 附件3 then no longer holds one instance while the others wait. The long documents
    are rendered and sent first, and each part is sent as soon as it is rendered, so LibreOffice
    works while the rest is still being filled.
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
    first = sorted(range(len(docs)), key=lambda i: not docs[i].paged_per_member)  # stable: catalog order
    futures: dict[int, list] = {}
    with ThreadPoolExecutor(max_workers=width) as pool:
        for i in first:
            count = part_count(ds, docs, docs[i], width)
            futures[i] = [pool.submit(converter.convert, part, docs[i].kind) for part in _parts(ds, docs[i], count)]
        pdfs = [[f.result() for f in futures[i]] for i in range(len(docs))]
    return [named(ds, doc.id, "pdf", parts[0] if len(parts) == 1 else merge(parts))
            for doc, parts in zip(docs, pdfs)]


def part_count(ds: Dataset, docs: list[Document], doc: Document, width: int) -> int:
    """Into how many parts to cut a one-page-per-member document converted beside `docs`.

    Cutting costs a document load per part; it pays only when the other documents leave lanes
    idle while the register runs (a 附件3 on its own, or a long one). Estimated with the costs
    above and the finish time of a longest-first schedule on `width` lanes.
    """
    if not doc.paged_per_member or width < 2:
        return 1
    pages = len(scope.in_scope(ds))
    others = [DOCUMENT_COST_PAGES + 1 for d in docs if d is not doc]
    best, best_time = 1, _finish([DOCUMENT_COST_PAGES + pages] + others, width)
    for count in range(2, min(width, pages // MIN_PAGES_PER_PART) + 1):
        time = _finish([DOCUMENT_COST_PAGES + pages / count] * count + others, width)
        if time < best_time * WORTH_IT:
            best, best_time = count, time
    return best


def _finish(costs: list[float], width: int) -> float:
    """When the last lane finishes, each job going to the first free lane, longest first."""
    lanes = [0.0] * width
    for cost in sorted(costs, reverse=True):
        lanes[lanes.index(min(lanes))] += cost
    return max(lanes)


def _parts(ds: Dataset, doc: Document, count: int):
    """The office bytes to convert for a document, one part at a time as each is rendered:
    the document itself, or its per-member pages in `count` parts."""
    ctx = context(ds, doc)
    members = ctx.get("members") if doc.paged_per_member else None
    if not members or count < 2:
        yield fill(doc, ctx)
        return
    size = -(-len(members) // count)
    for start in range(0, len(members), size):
        chunk = members[start:start + size]
        yield fill(doc, {**ctx, "members": chunk, "rows": chunk})
