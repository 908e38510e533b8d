"""Tables converted together: one workbook, one conversion, and each table's pages told apart.

Six tables converted apart cost six document loads in LibreOffice and carry six copies of the same
font subsets; joined first into one workbook, a sheet each (service.office.book), they are loaded
and converted once. Each sheet keeps its own page setup, and its page numbers start again at 1.

LibreOffice's &N (共 Y 页) counts the pages of the whole workbook, not of the sheet, so each
sheet's total is printed as a number: estimated from the row heights, then read back from the PDF
— LibreOffice bookmarks the first page of every sheet with the sheet's name — and when an estimate
was wrong the book is converted again with the counts read. The print packet keeps the PDF whole
(service.documents.packet); render_pdfs cuts it back into one PDF per table
(service.pdf.merge.split), each with exactly the pages the table prints alone.
"""
from __future__ import annotations

from dataclasses import dataclass

from service.office import book
from service.pdf.merge import sections


@dataclass(frozen=True)
class Converted:
    pdf: bytes  # the whole workbook's PDF
    counts: list[int]  # the pages of each sheet, in order
    book: book.Book  # what was converted


def convert(parts: list[tuple[str, dict]], converter, joined: book.Book | None = None) -> Converted | None:
    """The filled templates `parts` (template, context) as one workbook's PDF, each sheet printing
    its own page total; `joined` is that workbook when it is rendered already. None when the PDF
    does not tell where each sheet starts (the caller then converts the tables one by one)."""
    joined = joined or book.render_book(parts)
    for _ in range(2):  # the estimate, then (when it was wrong) the counts read from the PDF
        pdf = converter.convert(joined.data, "xlsx")
        counts = page_counts(pdf, joined.sheets)
        if counts is None:
            return None
        if counts == joined.totals or not joined.prints_totals:
            return Converted(pdf, counts, joined)
        joined = book.render_book(parts, counts)
    return None


def page_counts(pdf: bytes, sheets: list[str]) -> list[int] | None:
    """How many pages each sheet printed, from the bookmarks LibreOffice sets on each sheet's first
    page; None when they are not one per sheet, in order, from the first page on."""
    marks = sections(pdf)
    if [title for title, _, _ in marks] != sheets or not marks or marks[0][1] != 0:
        return None
    counts = [count for _, _, count in marks]
    return counts if all(n > 0 for n in counts) else None
