"""PDF/A-2b from the real LibreOffice, and the checker that tells a PDF/A from a PDF that is not one.

The sample branch's 工作方案 (DOCX) and 附件4 党员名册 (XLSX) are converted plainly and as PDF/A,
plain first: with the same bytes, a cache that ignored the flag would hand back the plain PDF.
Ports 4963+ (UNO 5063+).
"""
from __future__ import annotations

import io

import pikepdf
import pytest

from service.documents.render import render_office
from service.pdf import pdfa
from tests.conftest_pdf import needs_soffice, page_texts, sample_dataset_once, squash, started_pool

pytestmark = needs_soffice
DOCUMENTS = {"work_plan": "docx", "member_roster": "xlsx"}  # 工作方案, 附件4
WORDS = {"work_plan": "工作方案", "member_roster": "党员名册"}


@pytest.fixture(scope="module")
def converted():
    """doc id → (plain PDF, PDF/A), each converted once by a one-instance pool of its own."""
    ds = sample_dataset_once()
    out = {}
    with started_pool(1, 4963, 5063) as pool:
        for doc_id, kind in DOCUMENTS.items():
            data = render_office(ds, doc_id)
            out[doc_id] = (pool.convert(data, kind), pool.convert(data, kind, pdfa=True))
    return out


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_pdfa_conversion_passes_the_checker(converted, doc_id):
    report = pdfa.check(converted[doc_id][1])
    assert report.problems == ()
    assert (report.part, report.conformance) == ("2", "B")
    assert report.output_intent and not report.encrypted
    assert report.fonts >= 2 and report.unembedded == ()  # the CJK face and at least one more


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_a_plain_conversion_does_not_claim_pdfa(converted, doc_id):
    report = pdfa.check(converted[doc_id][0])
    assert (report.part, report.conformance) == (None, None)
    assert any("没有 pdfaid 标记" in p for p in report.problems)
    assert not report.ok


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_pdfa_prints_what_the_plain_pdf_prints(converted, doc_id):
    plain, archived = converted[doc_id]
    assert [squash(p) for p in page_texts(archived)] == [squash(p) for p in page_texts(plain)]
    assert WORDS[doc_id] in squash("".join(page_texts(archived)))


def test_a_font_that_is_not_embedded_fails(converted):
    """The PDF/A with one more page whose text is set in Helvetica, named but not embedded."""
    doc = pikepdf.open(io.BytesIO(converted["work_plan"][1]))
    helvetica = doc.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                     BaseFont=pikepdf.Name.Helvetica))
    _page_with_font(doc, helvetica, b"(not embedded) Tj")
    report = pdfa.check(_saved(doc))
    assert report.unembedded == ("Helvetica",)
    assert report.problems == ("有 1 种字体未嵌入：Helvetica",)  # everything else still holds


def test_a_font_stripped_of_its_program_fails(converted):
    """One of LibreOffice's own embedded fonts, its font file taken away, is named."""
    doc = pikepdf.open(io.BytesIO(converted["member_roster"][1]))
    font = next(o for o in doc.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font")
    for name in pdfa.FONT_FILES:
        if name in font.FontDescriptor:
            del font.FontDescriptor[name]
    assert pdfa.check(_saved(doc)).unembedded == (str(font.BaseFont)[1:],)


@pytest.mark.parametrize("embedded", [False, True])
def test_a_type0_font_is_judged_by_its_descendant(converted, embedded):
    """A composite (Type0) font has no program of its own: its descendant CIDFont must carry one.
    (LibreOffice 7.4 writes CJK text as simple subset fonts, so the composite font is made here.)"""
    doc = pikepdf.open(io.BytesIO(converted["work_plan"][1]))
    descriptor = pikepdf.Dictionary(Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/SimSun"), Flags=4,
                                    FontBBox=[0, 0, 1000, 1000], ItalicAngle=0, Ascent=880, Descent=-120,
                                    CapHeight=700, StemV=80)
    if embedded:
        descriptor.FontFile2 = doc.make_stream(b"\0\1\0\0")  # its presence is what is checked, not the program
    cid = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2,
                             BaseFont=pikepdf.Name("/SimSun"),
                             CIDSystemInfo=pikepdf.Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
                             FontDescriptor=doc.make_indirect(descriptor))
    font = doc.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0,
                                                BaseFont=pikepdf.Name("/SimSun"), Encoding=pikepdf.Name("/Identity-H"),
                                                DescendantFonts=[doc.make_indirect(cid)]))
    _page_with_font(doc, font, b"<0001> Tj")
    report = pdfa.check(_saved(doc))
    assert report.unembedded == (() if embedded else ("SimSun",))
    assert report.ok is embedded


@pytest.mark.parametrize("user_password", ["", "secret"])
def test_an_encrypted_pdf_fails(converted, user_password):
    """Encrypted so that anyone may open it (empty user password), or only with a password."""
    doc = pikepdf.open(io.BytesIO(converted["work_plan"][1]))
    out = io.BytesIO()
    doc.save(out, encryption=pikepdf.Encryption(owner="owner", user=user_password, R=6))
    report = pdfa.check(out.getvalue())
    assert report.encrypted and not report.ok
    assert any("加密" in p for p in report.problems)


def test_something_that_is_not_a_pdf_fails_with_a_reason():
    assert pdfa.check(b"not a pdf at all").problems == ("不是可读的 PDF 文件",)


def _page_with_font(doc: pikepdf.Pdf, font, shown: bytes) -> None:
    """One more page that shows text in `font`."""
    page = pikepdf.Page(doc.add_blank_page(page_size=(595, 842)))
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = doc.make_stream(b"BT /F1 12 Tf 72 720 Td " + shown + b" ET")


def _saved(doc: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
