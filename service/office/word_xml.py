"""word/document.xml from a rendered body, in one parse: what docxtpl does in three.

docxtpl parses the rendered body on its own (fix_tables), moves it into the parsed document (lxml
then drops the body's namespace declarations that the document root already makes) and
serialises the document. Here the rendered body, without those declarations, is spliced into the
document's text and parsed once; the table grid fix runs on that tree. `Splice.of` checks on the
template itself that both ways give the same bytes and returns None (use docxtpl's way) when not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from docx.opc.oxml import serialize_part_xml
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from lxml import etree

_XMLNS = re.compile(r'\sxmlns:(\w+)="([^"]*)"')
_W_BODY_OPEN = re.compile(r"<w:body(\s[^>]*)?>")
_PARSER = etree.XMLParser(resolve_entities=False)  # well-formed input; anything else goes docxtpl's way
_TBL, _TBLGRID, _GRIDCOL, _TR, _TC = (qn(t) for t in ("w:tbl", "w:tblGrid", "w:gridCol", "w:tr", "w:tc"))
_SPANS = etree.XPath("w:tc/w:tcPr[1]/w:gridSpan[1]/@w:val", namespaces=nsmap)
_DOCPR = qn("wp:docPr")


@dataclass(frozen=True)
class Splice:
    """The document's text around its body, and the body's opening tag as it must read there."""
    head: str
    tail: str
    body_open: str  # the template body's opening tag
    bare_open: str  # the same without the declarations the root already makes

    @classmethod
    def of(cls, skeleton: bytes, body_xml: str) -> Optional["Splice"]:
        """The splice for a document, if it reproduces docxtpl's bytes for the unrendered body."""
        text = skeleton.decode("utf-8")
        start, end = text.find("<w:body>"), text.rfind("</w:body>")
        opening = _W_BODY_OPEN.match(body_xml)
        if start < 0 or end < 0 or not opening:
            return None
        root_decls = set(_XMLNS.findall(text[:start]))
        bare = _XMLNS.sub(lambda m: "" if (m.group(1), m.group(2)) in root_decls else m.group(0), opening.group(0))
        splice = cls(text[:start], text[end + len("</w:body>"):], opening.group(0), bare)
        helper = DocxTemplate(None)
        helper.docx_ids_index = 1000
        return splice if splice.document(helper, body_xml) == docxtpl_document(helper, skeleton, body_xml) else None

    def document(self, helper: DocxTemplate, body_xml: str) -> Optional[bytes]:
        """document.xml for a rendered body; None when the body is not well-formed XML."""
        if not body_xml.startswith(self.body_open):
            return None
        try:
            root = etree.fromstring((self.head + self.bare_open + body_xml[len(self.body_open):]
                                     + self.tail).encode("utf-8"), _PARSER)
        except etree.XMLSyntaxError:
            return None
        body = root.find(qn("w:body"))
        fix_tables(helper, body)
        for elt in body.iter(_DOCPR):  # docxtpl's fix_docpr_ids
            helper.docx_ids_index += 1
            elt.attrib["id"] = str(helper.docx_ids_index)
        return serialize_part_xml(root)


def docxtpl_document(helper: DocxTemplate, skeleton: bytes, body_xml: str) -> bytes:
    """document.xml exactly as DocxTemplate.render builds it."""
    tree = helper.fix_tables(body_xml)
    if "docPr" in body_xml:
        helper.fix_docpr_ids(tree)
    root = parse_xml(skeleton)
    root.replace(root.find(qn("w:body")), tree)
    return serialize_part_xml(root)


def fix_tables(helper: DocxTemplate, body) -> None:
    """DocxTemplate.fix_tables on a parsed body: a table whose rows and grid disagree is fixed by
    docxtpl's own code; the common case, where they agree, is found with one query per row."""
    for t in body.iter(_TBL):
        columns = len(t.find(_TBLGRID).findall(_GRIDCOL))
        rows = list(t.iter(_TR))
        cells = [len(r.findall(_TC)) for r in rows]
        if max(cells, default=0) > columns:
            return _docxtpl_fix(helper, body)
        spans = [n - len(vals) + sum(int(v) for v in vals) for n, r in zip(cells, rows) for vals in [_SPANS(r)]]
        if columns > max(spans, default=0):
            return _docxtpl_fix(helper, body)


def _docxtpl_fix(helper: DocxTemplate, body) -> None:
    """Run docxtpl's fix_tables on the body in place (it only edits tblGrid elements)."""
    fixed = helper.fix_tables(etree.tostring(body, encoding="unicode"))
    for old, new in zip(body.iter(_TBLGRID), fixed.iter(_TBLGRID)):
        old.getparent().replace(old, new)
