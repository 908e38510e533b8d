"""What can be checked here of a PDF/A-2b file, before it goes into the campaign's archive.

Not a full validator (veraPDF checks hundreds of clauses); the four things an archive most often
loses and a reader can tell at once: the file says it is PDF/A-2b (pdfaid:part=2, conformance B in
its XMP), every font is embedded, nothing is encrypted, and an OutputIntent names the colour space
the pages are printed in (GTS_PDFA1).
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

import pikepdf

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


@dataclass(frozen=True)
class PdfaReport:
    """The findings on one PDF; `problems` says in Chinese what keeps it from passing."""

    part: str | None = None  # pdfaid:part in the XMP
    conformance: str | None = None  # pdfaid:conformance
    encrypted: bool = False
    output_intent: bool = False  # an /OutputIntents entry with /S /GTS_PDFA1 and a profile
    fonts: int = 0  # fonts seen, descendant fonts of Type0 included
    unembedded: tuple[str, ...] = ()  # base font names without a font file
    problems: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems


def check(pdf: bytes) -> PdfaReport:
    """The PDF/A-2b markers of `pdf`, read with pikepdf (qpdf): what is there and what is missing."""
    try:
        doc = pikepdf.open(io.BytesIO(pdf))
    except pikepdf.PasswordError:
        return PdfaReport(encrypted=True, problems=("文件已加密（需要密码才能打开），不能归档",))
    except pikepdf.PdfError:
        return PdfaReport(problems=("不是可读的 PDF 文件",))
    with doc:
        part, conformance = _pdfaid(doc)
        fonts, unembedded = _fonts(doc)
        report = PdfaReport(part=part, conformance=conformance, encrypted=doc.is_encrypted,
                            output_intent=_output_intent(doc), fonts=fonts, unembedded=tuple(unembedded))
    return PdfaReport(**{**report.__dict__, "problems": tuple(_problems(report))})


def _problems(report: PdfaReport) -> list[str]:
    out = []
    if (report.part, (report.conformance or "").upper()) != ("2", "B"):
        said = f"part={report.part}，conformance={report.conformance}" if report.part else "没有 pdfaid 标记"
        out.append(f"XMP 元数据未声明 PDF/A-2b（{said}）")
    if report.unembedded:
        out.append(f"有 {len(report.unembedded)} 种字体未嵌入：{'、'.join(report.unembedded)}")
    if report.encrypted:
        out.append("文件已加密，PDF/A 不允许加密")
    if not report.output_intent:
        out.append("缺少输出意图（OutputIntent，GTS_PDFA1）")
    return out


def _pdfaid(doc: pikepdf.Pdf) -> tuple[str | None, str | None]:
    """pdfaid:part and pdfaid:conformance of the XMP, whether written as attributes or elements."""
    if "/Metadata" not in doc.Root:
        return None, None
    meta = doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
    part, conformance = meta.get("pdfaid:part"), meta.get("pdfaid:conformance")
    return (str(part) if part else None), (str(conformance) if conformance else None)


def _output_intent(doc: pikepdf.Pdf) -> bool:
    intents = doc.Root.get("/OutputIntents") or []
    return any(intent.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in intent for intent in intents)


def _fonts(doc: pikepdf.Pdf) -> tuple[int, list[str]]:
    """How many fonts the file has and the names of those without an embedded font program.

    Every object reachable from the trailer is visited once, so fonts in pages, form XObjects,
    annotation appearances and Type3 resources all count, direct or indirect. A Type0 font has
    no program of its own (its descendant CIDFont, visited too, does); a Type3 font's glyphs
    are drawn by the file itself.
    """
    seen: set[tuple[int, int]] = set()
    fonts: list[pikepdf.Dictionary] = []
    stack: list = [doc.trailer]
    while stack:
        obj = stack.pop()
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        children = list(obj) if isinstance(obj, pikepdf.Array) else list(obj.values())
        if not isinstance(obj, pikepdf.Array) and obj.get("/Type") == "/Font":
            fonts.append(obj)
        stack.extend(c for c in children if isinstance(c, (pikepdf.Dictionary, pikepdf.Stream, pikepdf.Array)))
    unembedded = sorted({str(font.get("/BaseFont", "?"))[1:] for font in fonts if not _embedded(font)})
    return len(fonts), unembedded


def _embedded(font: pikepdf.Dictionary) -> bool:
    subtype = font.get("/Subtype")
    if subtype in ("/Type0", "/Type3"):
        return True
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(name in descriptor for name in FONT_FILES)
