"""Build templates_docx/spot_check.docx: the district's 随机抽查清单, one Word section per drawn branch.

Made the way tools/build_docx_templates.py makes the narratives (its fonts, its styles, slimmed,
fixed properties), on A4 landscape: each branch starts a page of its own with its 编号 and 名称,
then a table of its drawn members (序号, 姓名, masked 公民身份号码, 人员类别, one column per 三查 item
with a box to tick and what the branch reported, 备注 to write in), then a line for whoever checked
to sign. The page header carries the district, the seed, who drew the sample and when.

    .venv/bin/python tools/build_spot_check_template.py            # writes templates_docx/
    .venv/bin/python tools/build_spot_check_template.py --out DIR

The context is built by service/domain/checklist.py.
"""
from __future__ import annotations

import argparse
import copy
import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.office.determinism import fix_office_zip  # noqa: E402
from tools.build_docx_templates import (BODY_FONT, FIXED_TIME, H1_FONT, TITLE_FONT, _defaults,  # noqa: E402
                                        _exact_lines, _fonts, _keep, _mm_twips, _no_auto_space, _ppr_child,
                                        _run_format, _styles)
from tools.docx_slim import slim  # noqa: E402

NAME = "spot_check.docx"
TITLE_PT = 18  # 小二: the title over each branch's table
LINE_PT = 12  # 小四: the branch's lines and the signature line
TABLE_PT = 10.5  # 五号: the table, eight columns across a landscape page
HEADER_PT = 9  # 小五: the page header
TABLE_PITCH = 300  # twips: 15 pt
MARGINS_MM = (20, 18, 20, 20)  # top, bottom, left, right
# (heading, width in mm, the row's cell): 257 mm, the landscape type area
COLUMNS = (
    ("序号", 12, "{{ r.no }}"),
    ("姓名", 20, "{{ r.name }}"),
    ("公民身份号码", 38, "{{ r.id }}"),
    ("人员类别", 24, "{{ r.category }}"),
    ("{{ items[0] }}", 42, "□ {{ r.facts[0] }}"),
    ("{{ items[1] }}", 56, "□ {{ r.facts[1] }}"),
    ("{{ items[2] }}", 40, "□ {{ r.facts[2] }}"),
    ("备注", 25, ""),
)
ROW_MIN_MM = 14  # room to write in 备注 and beside each box


def _page(doc) -> None:
    """A4 landscape; the header and footer a little inside the margins."""
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = (Mm(v) for v in MARGINS_MM)
    sec.header_distance, sec.footer_distance = Mm(10), Mm(9)
    sec.gutter = Mm(0)


def _header_footer(doc, styles) -> None:
    """Header: the district, the seed and how the sample was drawn, by whom and when; footer: 第 N 页."""
    sec = doc.sections[0]
    header = sec.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.style = styles["small"]
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _run_format(p.add_run("{{ header }}"), BODY_FONT, HEADER_PT)
    footer = sec.footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    p.style = styles["small"]
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run_format(p.add_run("第 "), BODY_FONT, HEADER_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = p.add_run()
        _run_format(r, BODY_FONT, HEADER_PT)
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            r._r.append(el)
        elif text == " PAGE ":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
            r._r.append(el)
        else:
            r.text = text
    _run_format(p.add_run(" 页"), BODY_FONT, HEADER_PT)


def _own_styles(doc, styles) -> dict:
    """The narratives' styles, plus the smaller sizes a landscape table and its header need."""

    def para_style(name, east, size, pitch, align):
        st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = doc.styles["Normal"]
        st.font.size = Pt(size)
        _fonts(st.element.get_or_add_rPr(), east)
        _exact_lines(st.paragraph_format, pitch)
        ppr = st.element.get_or_add_pPr()
        _no_auto_space(ppr)
        _ppr_child(ppr, "snapToGrid", val="0")
        st.paragraph_format.alignment = align
        return st

    return {
        **styles,
        "sheet_title": para_style("抽查标题", TITLE_FONT, TITLE_PT, 560, WD_ALIGN_PARAGRAPH.CENTER),
        "line": para_style("抽查说明", BODY_FONT, LINE_PT, 400, WD_ALIGN_PARAGRAPH.LEFT),
        "cell": para_style("抽查表格文字", BODY_FONT, TABLE_PT, TABLE_PITCH, WD_ALIGN_PARAGRAPH.CENTER),
        "small": para_style("抽查页眉", BODY_FONT, HEADER_PT, 240, WD_ALIGN_PARAGRAPH.LEFT),
    }


def _para(doc, style, text: str = "", east: str = BODY_FONT, size: float = LINE_PT, keep: bool = False):
    p = doc.add_paragraph(style=style)
    if keep:
        _keep(p._p.get_or_add_pPr())
    if text:
        _run_format(p.add_run(text), east, size)
    return p


def _table(doc, styles) -> None:
    """The drawn members: the heading row repeated on every page, a row never split across pages."""
    table = doc.add_table(rows=4, cols=len(COLUMNS))
    table.autofit = False
    tblpr = table._tbl.tblPr
    for tag, attrs in (("w:tblW", {"w:w": str(sum(_mm_twips(w) for _, w, _ in COLUMNS)), "w:type": "dxa"}),
                       ("w:jc", {"w:val": "center"}), ("w:tblLayout", {"w:type": "fixed"})):
        el = OxmlElement(tag)
        for k, v in attrs.items():
            el.set(qn(k), v)
        tblpr.append(el)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = OxmlElement(f"w:{side}")
        for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            b.set(qn(k), v)
        borders.append(b)
    tblpr.append(borders)
    for col, (_, width, _) in zip(table.columns, COLUMNS):
        col.width = Twips(_mm_twips(width))
    rows = [[h for h, _, _ in COLUMNS], ["{%tr for r in b.rows %}"] + [""] * (len(COLUMNS) - 1),
            [c for _, _, c in COLUMNS], ["{%tr endfor %}"] + [""] * (len(COLUMNS) - 1)]
    for i, (row, texts) in enumerate(zip(table.rows, rows)):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if i == 0:
            trpr.append(OxmlElement("w:tblHeader"))
        if i == 2:
            height = OxmlElement("w:trHeight")
            height.set(qn("w:val"), str(_mm_twips(ROW_MIN_MM)))
            height.set(qn("w:hRule"), "atLeast")
            trpr.append(height)
        for j, (cell, text) in enumerate(zip(row.cells, texts)):
            cell.width = Twips(_mm_twips(COLUMNS[j][1]))
            valign = OxmlElement("w:vAlign")
            valign.set(qn("w:val"), "center")
            cell._tc.get_or_add_tcPr().append(valign)
            p = cell.paragraphs[0]
            p.style = styles["cell"]
            if i == 2 and 4 <= j <= 6:  # what the branch reported reads as text, from the left
                p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
            if text:
                _run_format(p.add_run(text), H1_FONT if i == 0 else BODY_FONT, TABLE_PT)


def _section_break(doc) -> None:
    """A paragraph ending a branch's section (all but the last): the page set-up and header of the
    document's own section, a new page after it."""
    p = doc.add_paragraph()
    sect = copy.deepcopy(doc.sections[0]._sectPr)
    kind = OxmlElement("w:type")
    kind.set(qn("w:val"), "nextPage")
    sect.insert(0, kind)  # w:type follows the header/footer references; those are moved before it
    for ref in reversed([c for c in sect if c.tag in (qn("w:headerReference"), qn("w:footerReference"))]):
        sect.remove(ref)
        sect.insert(0, ref)
    p._p.get_or_add_pPr().append(sect)


def build() -> bytes:
    doc = Document()
    _defaults(doc)
    styles = _own_styles(doc, _styles(doc))
    _page(doc)
    _header_footer(doc, styles)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):  # the default template's empty paragraph
        body.remove(p)
    _para(doc, styles["line"], "{%p for b in branches %}")
    _para(doc, styles["sheet_title"], "{{ title }}", TITLE_FONT, TITLE_PT, keep=True)
    _para(doc, styles["line"], "{{ b.heading }}", H1_FONT, keep=True)
    _para(doc, styles["line"], "{{ b.line }}", keep=True)
    _table(doc, styles)
    _para(doc, styles["line"], "{{ signature }}").paragraph_format.space_before = Pt(8)
    _para(doc, styles["line"], "{%p if not loop.last %}")
    _section_break(doc)
    _para(doc, styles["line"], "{%p endif %}")
    _para(doc, styles["line"], "{%p endfor %}")
    _properties(doc)
    slim(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return fix_office_zip(buf.getvalue())


def _properties(doc) -> None:
    """Fixed core properties: the same script run twice gives byte-identical templates."""
    cp = doc.core_properties
    cp.title = "党员组织关系排查随机抽查清单"
    cp.subject = "党员组织关系排查"
    cp.author = cp.last_modified_by = "Paicha"
    cp.keywords = "随机抽查"
    cp.comments = "由 tools/build_spot_check_template.py 生成的 docxtpl 模板"
    cp.category = "表格"
    cp.language = "zh-CN"
    cp.revision = 1
    cp.created = cp.modified = cp.last_printed = FIXED_TIME


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "templates_docx")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / NAME).write_bytes(build())
    print(f"wrote {args.out / NAME}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
