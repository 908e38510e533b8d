"""PDF helpers: join single-document PDFs into the print packet (附件4–9, each from a new page)."""
from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter


def merge(pdfs: list[bytes]) -> bytes:
    """One PDF with every page of each input, in order; each input starts on a new page."""
    writer = PdfWriter()
    for data in pdfs:
        writer.append(PdfReader(io.BytesIO(data)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_count(pdf: bytes) -> int:
    """Number of pages in a PDF."""
    return len(PdfReader(io.BytesIO(pdf)).pages)


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, as pypdf extracts it (to read back what a page prints)."""
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
