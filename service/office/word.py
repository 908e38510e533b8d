"""Word rendering: a docxtpl template from templates_docx/ prepared once, filled, packed.

One path per document: the template file is prepared once per version (docxtpl's patched XML
compiled by Jinja, the parts rendering does not touch deflated once, keyed by path, mtime and
size, so an edited template is picked up by its next render); a render fills the compiled parts
with the context through docxtpl's own post-processing (newlines and tabs, table grid fix,
picture ids) and packs the package once (determinism.office_zip). The output is byte for byte
what `DocxTemplate(path).render(context, autoescape=True)` would save, with fixed times, but for
one thing: docxtpl's escapes `{_{ }_} {_% %_}` (literal `{{ }} {% %}`) are applied to the
template's own text when it is prepared, never to the rendered XML, so user text that contains
them prints as typed. Only the template file is ever compiled; context values are rendered as
autoescaped text.
"""
from __future__ import annotations

import io
import re
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from docx import Document
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from jinja2 import Environment, Template
from jinja2.exceptions import TemplateError

from service.resources import package_dir

from .determinism import Packed, office_zip, pack
from .word_xml import Splice, docxtpl_document

TEMPLATES = package_dir("templates_docx")


def template_path(name: str) -> Path:
    return TEMPLATES / name


def render_docx(template_name: str, context: dict) -> bytes:
    """The filled document as deterministic bytes; autoescaped, so user text never becomes code."""
    prep = prepared(template_path(template_name))
    return office_zip(render_entries(prep, context))


def placeholders(template_name: str) -> set[str]:
    """Top-level names a template uses (for the test that every context provides them)."""
    tpl = DocxTemplate(str(template_path(template_name)))
    return set(tpl.get_undeclared_template_variables())


ENV = Environment(autoescape=True)  # what docxtpl builds for render(autoescape=True)
# the core properties docxtpl renders as templates (DocxTemplate.render_properties)
CORE_PROPS = ("author", "comments", "identifier", "language", "subject", "title")
_PARA_NL = re.compile(r"<w:p([ >])")
_LISTING_CHAR = re.compile("[\t\a\n\f]")
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # as in DocxTemplate.resolve_listing
# docxtpl's escapes for literal braces, and what Jinja must see to print them; a Jinja tag in between
_ESCAPE = re.compile(r"\{_\{|\}_\}|\{_%|%_\}")
_UNESCAPED = {"{_{": '{{ "{{" }}', "{_%": '{{ "{%" }}', "}_}": "}}", "%_}": "%}"}  # }} and %} are plain text to Jinja
_JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


@dataclass(frozen=True)
class PreparedDocx:
    """One template version: constant package entries plus compiled parts to render."""
    entries: tuple[tuple[str, bytes], ...]  # the package as python-docx saves it, in order
    constant: dict[str, Packed]  # the parts rendering does not touch, deflated once
    body: Template
    body_source: str
    parts: dict[str, tuple[Template, str, str]]  # zip name → (template, source, encoding)
    core: tuple[tuple[str, Template], ...]
    path: str
    splice: Optional[Splice]  # the one-parse way to document.xml, when it gives docxtpl's bytes


_lock = threading.Lock()
_cache: dict[str, tuple[tuple[int, int], PreparedDocx]] = {}


def prepared(path: Path) -> PreparedDocx:
    """The prepared template for the file as it is on disk now."""
    st = path.stat()
    key, version = str(path), (st.st_mtime_ns, st.st_size)
    hit = _cache.get(key)
    if hit and hit[0] == version:
        return hit[1]
    prep = _prepare(path)
    with _lock:
        _cache[key] = (version, prep)
    return prep


def clear() -> None:
    with _lock:
        _cache.clear()


def _compile(source: str) -> Template:
    try:
        return ENV.from_string(source)
    except TemplateError as exc:
        _attach_context(exc, source)
        raise


def _attach_context(exc: TemplateError, source: str) -> None:
    """The lines around a template error, as docxtpl reports them."""
    if getattr(exc, "lineno", None) is not None:
        first = max(exc.lineno - 4, 0)
        exc.docx_context = [re.sub(r"<[^>]+>", "", x) for x in source.splitlines()[first:first + 7]]


def _escaped(source: str) -> str:
    """The template source with docxtpl's escapes in its text turned into what prints them.

    docxtpl replaces `{_{` and the rest after rendering, on the whole XML, user text included;
    here only the template's own text (outside its Jinja tags) is changed, once, before compiling.
    """
    if not _ESCAPE.search(source):
        return source
    out, pos = [], 0
    for tag in _JINJA_TAG.finditer(source):
        out += [_ESCAPE.sub(lambda m: _UNESCAPED[m.group()], source[pos:tag.start()]), tag.group()]
        pos = tag.end()
    out.append(_ESCAPE.sub(lambda m: _UNESCAPED[m.group()], source[pos:]))
    return "".join(out)


def _prepare(path: Path) -> PreparedDocx:
    data = path.read_bytes()
    tpl = DocxTemplate(io.BytesIO(data))
    doc = Document(io.BytesIO(data))
    tpl.docx = doc
    doc.core_properties  # noqa: B018  (creates the default part when missing, as render does)
    if any(p.content_type.endswith("footnotes+xml") for p in doc.part.package.parts):
        raise ValueError(f"{path.name}: footnotes are not supported in Word templates")
    body_source = _escaped(_PARA_NL.sub(r"\n<w:p\1", tpl.patch_xml(tpl.get_xml())))
    parts = {}
    for uri in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            xml = tpl.get_part_xml(part)
            source = _escaped(_PARA_NL.sub(r"\n<w:p\1", tpl.patch_xml(xml)))
            parts[part.partname.lstrip("/")] = (_compile(source), source, tpl.get_headers_footers_encoding(xml))
    core = tuple((name, _compile(getattr(doc.core_properties, name))) for name in CORE_PROPS)
    buf = io.BytesIO()
    doc.save(buf)
    with zipfile.ZipFile(buf) as zf:
        entries = tuple((i.filename, zf.read(i.filename)) for i in zf.infolist())
    rendered = {"word/document.xml", "docProps/core.xml", *parts}
    constant = {name: pack(body) for name, body in entries if name not in rendered}
    splice = Splice.of(dict(entries)["word/document.xml"], tpl.get_xml())
    return PreparedDocx(entries, constant, _compile(body_source), body_source, parts, core, str(path), splice)


def render_entries(prep: PreparedDocx, context: dict) -> list[tuple[str, bytes | Packed]]:
    """The rendered package's entries, in the order python-docx writes them."""
    helper = DocxTemplate(prep.path)  # docxtpl's post-processing methods; opens nothing
    helper.docx_ids_index = 1000
    helper.current_rendering_part = None
    rendered: dict[str, bytes] = {}
    for name, body in prep.entries:
        if name == "word/document.xml":
            rendered[name] = _document_xml(helper, prep, body, context)
        elif name in prep.parts:
            tpl, source, encoding = prep.parts[name]
            xml = _render(helper, tpl, source, context).encode(encoding)
            rendered[name] = serialize_part_xml(parse_xml(xml))
        elif name == "docProps/core.xml":
            rendered[name] = _core_xml(prep, body, context)
    return [(name, rendered[name] if name in rendered else prep.constant[name]) for name, _ in prep.entries]


def _render(helper: DocxTemplate, tpl: Template, source: str, context: dict) -> str:
    """docxtpl's render_xml_part with the template already compiled."""
    try:
        xml = tpl.render(context)
    except TemplateError as exc:
        _attach_context(exc, source)
        raise
    # = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml), which docxtpl runs; str.replace is faster
    xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
    return _resolve_listing(helper, xml)


def _resolve_listing(helper: DocxTemplate, xml: str) -> str:
    """docxtpl's resolve_listing, run only on the paragraphs that hold a tab, newline or break.

    On any other paragraph it changes nothing, and it never touches text between paragraphs.
    """
    if not _LISTING_CHAR.search(xml):
        return xml

    def paragraph(m: re.Match) -> str:
        text = m.group(0)
        return helper.resolve_listing(text) if _LISTING_CHAR.search(text) else text

    return _PARAGRAPH.sub(paragraph, xml)


def _document_xml(helper: DocxTemplate, prep: PreparedDocx, skeleton: bytes, context: dict) -> bytes:
    xml = _render(helper, prep.body, prep.body_source, context)
    data = prep.splice.document(helper, xml) if prep.splice else None
    return data if data is not None else docxtpl_document(helper, skeleton, xml)


def _core_xml(prep: PreparedDocx, skeleton: bytes, context: dict) -> bytes:
    element = parse_xml(skeleton)
    props = CoreProperties(element)
    for name, tpl in prep.core:
        setattr(props, name, tpl.render(context))
    return serialize_part_xml(element)
