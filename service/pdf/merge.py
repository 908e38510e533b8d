"""PDF helpers: join PDFs (each from a new page), cut one into documents, read its bookmarks and text."""
from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject, NullObject, NumberObject

_CATALOG = ("/Lang", "/ViewerPreferences")  # what a converted document's catalog says of the whole document


def merge(pdfs: list[bytes]) -> bytes:
    """One PDF with every page of each input, in order; each input starts on a new page."""
    writer = PdfWriter()
    for data in pdfs:
        writer.append(PdfReader(io.BytesIO(data)))
    return _bytes(writer)


def split(pdf: bytes, counts: list[int], titles: list[str]) -> list[bytes]:
    """The PDF cut into documents of `counts` consecutive pages, each a PDF of its own.

    Each keeps the pages as they are (their fonts embedded with them), the document information
    with its own title, the catalog's language and viewer preferences, opens at its first page and
    has one bookmark, the one the source had there: what the document converted alone carries."""
    reader = PdfReader(io.BytesIO(pdf))
    if sum(counts) != len(reader.pages) or len(titles) != len(counts):
        raise ValueError(f"{len(reader.pages)} 页无法分为 {counts}")
    marks = {first: title for title, first, _ in sections(reader)}
    info = dict(reader.metadata or {})
    root = reader.trailer["/Root"]
    out, start = [], 0
    for count, title in zip(counts, titles):
        writer = PdfWriter()
        writer.pdf_header = reader.pdf_header
        for page in reader.pages[start:start + count]:
            writer.add_page(page)
        writer.add_metadata({**info, "/Title": title})
        for key in _CATALOG:
            if key in root:
                writer.root_object[NameObject(key)] = root[key].clone(writer)
        first = writer.pages[0].indirect_reference
        writer.root_object[NameObject("/OpenAction")] = ArrayObject(
            [first, NameObject("/XYZ"), NullObject(), NullObject(), NumberObject(0)])
        if start in marks:
            writer.add_outline_item(title=marks[start], page_number=0)
        out.append(_bytes(writer))
        start += count
    return out


def sections(pdf: bytes | PdfReader) -> list[tuple[str, int, int]]:
    """The top-level bookmarks: (title, index of the page it opens, pages until the next one or the
    end), in order. LibreOffice marks the first page of each sheet of a workbook so."""
    reader = pdf if isinstance(pdf, PdfReader) else PdfReader(io.BytesIO(pdf))
    marks = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline
             if not isinstance(item, list)]
    ends = [first for _, first in marks[1:]] + [len(reader.pages)]
    return [(title, first, end - first) for (title, first), end in zip(marks, ends)]


def page_count(pdf: bytes) -> int:
    """Number of pages in a PDF."""
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
