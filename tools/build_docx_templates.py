"""Generate the narrative Word templates (templates_docx/*.docx) in the GB/T 9704-2012 layout.

The templates are committed; this script is how they were made, so a layout change is a code
review plus a re-run rather than hand-editing four binaries. A clerk or district may still open
a template in Word/WPS and adjust wording or styles: every docxtpl tag sits in one run, and the
paragraph styles (公文标题, 一级标题, 二级标题, 公文正文, 落款) carry the layout.

    .venv/bin/python tools/build_docx_templates.py            # writes templates_docx/
    .venv/bin/python tools/build_docx_templates.py --out DIR  # elsewhere (tests, previews)

The context each template expects is built by service/domain/drafts.py.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from pathlib import Path
from typing import Optional

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.office.determinism import fix_office_zip  # noqa: E402
from tools.docx_slim import slim  # noqa: E402

LATIN = "Times New Roman"
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"

BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
PAGE_PT = 14  # 四号
CODE_PT = 9  # 小五: the 校验码 beside the page number
# Type area 156 mm × 225 mm holding 22 lines × 28 characters (GB/T 9704 §5.2.2).
LINE_PITCH = 579  # twips: 225 mm / 22 ≈ 28.95 pt
# 156 mm / 28 ≈ 15.79 pt per character, so 16 pt characters are set 0.25 pt tighter. A character
# grid (docGrid linesAndChars, charSpace -849) does the same in Word, but LibreOffice, which makes
# our PDFs, spreads such a grid to 14 characters a line; character spacing works in both.
CHAR_TIGHTEN = -5  # twentieths of a point
CHAR_TWIPS = 20 * BODY_PT  # one body character, for indents
# Member tables in 核查情况: 仿宋 小四 on its own line pitch, the width of the type area.
TABLE_PT = 12
TABLE_PITCH = 360  # twips: 18 pt
TABLE_COLUMNS = (("序号", 12), ("姓名", 22), ("公民身份号码", 42), ("核查情况", 80))  # mm, 156 in all

FIXED_TIME = dt.datetime(2023, 1, 1, 0, 0, 0)


# ---------------------------------------------------------------- the four documents

# A template is a list of blocks:
#   ("title",)              title lines (loop over title_lines), then one blank line
#   ("body", "intro")       one body paragraph per string in the list
#   ("h1", "一、目标任务")  literal heading, 黑体
#   ("subs", "sections.x")  per item: （一） heading (item.title, 楷体) and its item.paragraphs
#   ("items", "leading_group", "g", "g.line")  one body paragraph per item, printing an expression
#   ("findings", "finding_groups")  per item: （一） heading, a member table over item.rows
#                           (no, name, id, detail) and its item.paragraphs
#   ("signature",)          two blank lines, org full name and date at the right
# "closing" maps a block's sequence to the Jinja condition under which its last paragraph is the
# body's last (kept with the signature); the last block before the signature always is.
TEMPLATES: dict[str, dict] = {
    "work_plan.docx": {
        "title": "党员组织关系排查工作方案",
        "blocks": [
            ("title",),
            ("body", "intro"),
            ("h1", "一、目标任务"),
            ("body", "sections.goals"),
            ("h1", "二、排查范围和对象"),
            ("body", "sections.scope"),
            ("h1", "三、组织领导"),
            ("body", "sections.leadership"),
            ("items", "leading_group", "g", "g.line"),
            ("body", "sections.duties"),
            ("h1", "四、方法步骤和时间安排"),
            ("body", "sections.schedule_intro"),
            ("subs", "schedule"),
            ("h1", "五、工作要求"),
            ("body", "sections.requirements"),
            ("signature",),
        ],
    },
    "stage_summary.docx": {
        "title": "党员组织关系排查工作阶段性小结",
        "blocks": [
            ("title",),
            ("body", "intro"),
            ("h1", "一、基本情况"),
            ("body", "sections.basic"),
            ("h1", "二、“三查三核”开展情况"),
            ("body", "sections.checks"),
            ("h1", "三、排查发现的问题"),
            ("body", "sections.problems_intro"),
            ("subs", "sections.problems"),
            ("body", "sections.problems_analysis"),
            ("h1", "四、初步处理方案"),
            ("body", "sections.plan_intro"),
            ("subs", "sections.plan"),
            ("h1", "五、下一步工作安排"),
            ("body", "sections.next_steps"),
            ("signature",),
        ],
    },
    "final_report.docx": {
        "title": "党员组织关系排查工作总结",
        "blocks": [
            ("title",),
            ("body", "intro"),
            ("h1", "一、工作开展情况"),
            ("body", "sections.work_done"),
            ("h1", "二、排查结果"),
            ("subs", "sections.results"),
            ("body", "sections.results_comment"),
            ("h1", "三、问题处置情况"),
            ("body", "sections.handling_intro"),
            ("subs", "sections.handling"),
            ("h1", "四、主要做法和成效"),
            ("body", "sections.practices"),
            ("h1", "五、存在的问题和不足"),
            ("body", "sections.shortcomings"),
            ("h1", "六、长效化管理措施"),
            ("body", "sections.measures_intro"),
            ("items", "long_term_measures", "m", "m"),
            ("signature",),
        ],
    },
    "verification_report.docx": {
        "title": "党员组织关系排查核查情况",
        "blocks": [
            ("title",),
            ("body", "intro"),
            ("h1", "一、基本情况"),
            ("body", "sections.basic"),
            ("h1", "二、“三查”情况"),
            ("subs", "sections.three_checks"),
            ("h1", "三、“三核”情况"),
            ("subs", "sections.three_confirms"),
            ("h1", "四、核查发现的问题汇总"),
            ("body", "sections.findings_intro"),
            ("findings", "finding_groups"),
            ("h1", "五、初步处理方案"),
            ("body", "sections.plan_intro"),
            ("subs", "sections.plan"),
            ("signature",),
        ],
        "closing": {"sections.plan_intro": "not sections.plan"},  # no 初步处理方案 when nothing to handle
    },
}


# ---------------------------------------------------------------- low-level formatting

def _fonts(rpr, east: str, latin: str = LATIN) -> None:
    """rFonts with explicit names only: theme attributes would override them."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east)


def _run_format(run, east: str, size: float, latin: str = LATIN) -> None:
    run.font.size = Pt(size)
    _fonts(run._r.get_or_add_rPr(), east, latin)


# CT_PPrBase child order (ECMA-376 §17.3.1.26): Word rejects a pPr whose children are out of order.
PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange",
)


def _ppr_child(ppr, tag: str, **attrs):
    """The pPr child `w:<tag>`, created in schema order if missing, with attributes `w:<name>` set."""
    el = ppr.find(qn(f"w:{tag}"))
    if el is None:
        el = OxmlElement(f"w:{tag}")
        later = PPR_ORDER[PPR_ORDER.index(tag) + 1:]
        successor = next((c for c in ppr if c.tag in {qn(f"w:{t}") for t in later}), None)
        if successor is None:
            ppr.append(el)
        else:
            successor.addprevious(el)
    for name, value in attrs.items():
        el.set(qn(f"w:{name}"), value)
    return el


def _no_auto_space(ppr) -> None:
    """No extra space between Chinese and Latin/digits (2023年6月30日, 附件3—附件9): 公文 spacing is
    the font's own, and LibreOffice otherwise inserts a quarter em on both sides of every number.

    And no punctuation lost at a line's end. When a full line of 28 characters is followed by 。，：
    (which may not begin a line), LibreOffice 7.4 lets the mark hang in the margin and then drops it
    from a justified line: the PDF read 做到不漏一人 without its 。. Its DOCX import reads
    overflowPunct inverted (1 → no hanging), so overflowPunct="1" — Word's own default, hanging
    allowed — makes LibreOffice carry the last character over with the mark instead, and Word sets
    the text as before."""
    _ppr_child(ppr, "overflowPunct", val="1")
    _ppr_child(ppr, "autoSpaceDE", val="0")
    _ppr_child(ppr, "autoSpaceDN", val="0")


def _keep(ppr, with_next: bool = True, lines: bool = True) -> None:
    """Keep the paragraph on one page (keepLines) and on the page of the next one (keepNext)."""
    if with_next:
        _ppr_child(ppr, "keepNext")
    if lines:
        _ppr_child(ppr, "keepLines")


def _indent_chars(ppr, first_line: int = 0, right: int = 0) -> None:
    """Indents in characters (w:firstLineChars/w:rightChars, hundredths) and twips to match."""
    ind = _ppr_child(ppr, "ind")
    if first_line:
        ind.set(qn("w:firstLineChars"), str(first_line * 100))
        ind.set(qn("w:firstLine"), str(first_line * CHAR_TWIPS))
    if right:
        ind.set(qn("w:rightChars"), str(right * 100))
        ind.set(qn("w:right"), str(right * CHAR_TWIPS))


def _exact_lines(pf, pitch_twips: int = LINE_PITCH) -> None:
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Twips(pitch_twips)
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)


def _char_spacing(rpr, twentieths: int) -> None:
    spacing = rpr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        rpr.append(spacing)
    spacing.set(qn("w:val"), str(twentieths))


def _outline_level(style, level: int) -> None:
    _ppr_child(style.element.get_or_add_pPr(), "outlineLvl", val=str(level))


# ---------------------------------------------------------------- styles and page

def _defaults(doc) -> None:
    """docDefaults: body font and size, Chinese language, no theme fonts, no paragraph spacing."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr, BODY_FONT)
    for tag, val in (("w:sz", "32"), ("w:szCs", "32")):
        rpr.find(qn(tag)).set(qn("w:val"), val)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    for attr in list(spacing.attrib):
        del spacing.attrib[attr]
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(LINE_PITCH))
    spacing.set(qn("w:lineRule"), "exact")
    _no_auto_space(ppr)


def _styles(doc) -> dict:
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    _char_spacing(normal.element.get_or_add_rPr(), CHAR_TIGHTEN)
    _exact_lines(normal.paragraph_format)
    normal.paragraph_format.widow_control = True  # no single line of a paragraph alone on a page
    _no_auto_space(normal.element.get_or_add_pPr())

    def para_style(name, east, size, align=None, first=0, right=0, outline=None, keep=False,
                   pitch=LINE_PITCH, grid=True):
        st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        st.quick_style = True
        st.font.size = Pt(size)
        _fonts(st.element.get_or_add_rPr(), east)
        if size != BODY_PT:
            _char_spacing(st.element.get_or_add_rPr(), 0)
        _exact_lines(st.paragraph_format, pitch)
        ppr = st.element.get_or_add_pPr()
        _no_auto_space(ppr)
        if keep:  # a heading never ends a page
            _keep(ppr)
        if not grid:  # LibreOffice would give a line taller than the grid pitch two grid lines
            _ppr_child(ppr, "snapToGrid", val="0")
        if align is not None:
            st.paragraph_format.alignment = align
        if first or right:
            _indent_chars(st.element.get_or_add_pPr(), first, right)
        if outline is not None:
            _outline_level(st, outline)
        return st

    return {
        "title": para_style("公文标题", TITLE_FONT, TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, keep=True,
                            grid=False),
        "h1": para_style("一级标题", H1_FONT, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, first=2, outline=0,
                         keep=True),
        "h2": para_style("二级标题", H2_FONT, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, first=2, outline=1,
                         keep=True),
        "body": para_style("公文正文", BODY_FONT, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, first=2),
        "sign": para_style("落款", BODY_FONT, BODY_PT, WD_ALIGN_PARAGRAPH.RIGHT, right=4),
        "page": para_style("页码", PAGE_FONT, PAGE_PT),
        "cell": para_style("表格文字", BODY_FONT, TABLE_PT, WD_ALIGN_PARAGRAPH.CENTER,
                           pitch=TABLE_PITCH, grid=False),
    }


def _page(doc) -> None:
    """A4 portrait, GB/T 9704 margins and a 22 × 28 document grid."""
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    sec.header_distance, sec.footer_distance = Mm(15), Mm(25)
    sec.gutter = Mm(0)
    grid = sec._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sec._sectPr.append(grid)
    for attr in list(grid.attrib):
        del grid.attrib[attr]
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))


def _page_number(paragraph) -> None:
    """`— 1 —`: an em dash, the PAGE field and an em dash, 宋体 四号 (field code, not text)."""

    def run(text=None, fld=None, instr=None):
        r = paragraph.add_run()
        _run_format(r, PAGE_FONT, PAGE_PT, latin=PAGE_FONT)
        if fld:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), fld)
            r._r.append(el)
        elif instr:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = instr
            r._r.append(el)
        else:
            r.text = text
        return r

    run("— ")
    run(fld="begin")
    run(instr=" PAGE ")
    run(fld="separate")
    run("1")
    run(fld="end")
    run(" —")


def _verification(paragraph) -> None:
    """The 校验码 (`{{ verification }}`, 「校验码 7F3A-92C1」), 宋体 小五: small, on the page number's line."""
    _run_format(paragraph.add_run("{{ verification }}"), PAGE_FONT, CODE_PT, latin=PAGE_FONT)


def _tab_stop(paragraph, twips: int) -> None:
    """A right-aligned tab stop, `twips` from the left margin (Word and LibreOffice alike)."""
    tab = OxmlElement("w:tab")
    tab.set(qn("w:val"), "right")
    tab.set(qn("w:pos"), str(twips))
    _ppr_child(paragraph._p.get_or_add_pPr(), "tabs").append(tab)


def _footers(doc, styles) -> None:
    """Page numbers at the outside edge, one character in: odd pages right, even pages left; the
    校验码 on the same line at the inside edge (odd pages left, even pages right), so the page
    number keeps its place and the code sits where the binding is, away from the eye."""
    doc.settings.odd_and_even_pages_header_footer = True
    sec = doc.sections[0]
    width = _mm_twips(210 - 28 - 26)  # the type area, 156 mm
    indent = 20 * PAGE_PT  # one 四号 character
    for footer, odd in ((sec.footer, True), (sec.even_page_footer, False)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.style = styles["page"]
        p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        if odd:  # 校验码 ⇥ — 1 —, the number ending one character before the right edge
            _tab_stop(p, width - indent)
            _verification(p)
            p.add_run("\t")
            _page_number(p)
        else:  # — 2 — ⇥ 校验码, the number one character in from the left edge
            _ppr_child(p._p.get_or_add_pPr(), "ind", leftChars="100", left=str(indent))
            _tab_stop(p, width)
            _page_number(p)
            p.add_run("\t")
            _verification(p)


# ---------------------------------------------------------------- blocks

class Builder:
    """Writes blocks as paragraphs; each docxtpl tag is one run in a paragraph of its own style.

    The closing paragraph of the body (the last one the data yields) keeps with the signature,
    whole, so the 署名 and 成文日期 never stand alone on a page: for the last block always, for
    an earlier block when `closing` (a Jinja condition) says the blocks after it are empty.
    """

    def __init__(self, doc, styles):
        self.doc, self.styles = doc, styles

    def para(self, kind: str, text: str = "", keep: bool = False, east: Optional[str] = None):
        p = self.doc.add_paragraph(style=self.styles[kind])
        if keep:
            _keep(p._p.get_or_add_pPr())
        if text:
            east = east or {"title": TITLE_FONT, "h1": H1_FONT, "h2": H2_FONT}.get(kind, BODY_FONT)
            size = {"title": TITLE_PT, "cell": TABLE_PT}.get(kind, BODY_PT)
            _run_format(p.add_run(text), east, size)
        return p

    def loop(self, kind: str, var: str, seq: str, expr: str, closing: Optional[str] = None) -> None:
        self.para(kind, f"{{%p for {var} in {seq} %}}")
        if closing is None:
            self.para(kind, f"{{{{ {expr} }}}}")
        else:
            self.para(kind, f"{{%p if loop.last and ({closing}) %}}")
            self.para(kind, f"{{{{ {expr} }}}}", keep=True)
            self.para(kind, "{%p else %}")
            self.para(kind, f"{{{{ {expr} }}}}")
            self.para(kind, "{%p endif %}")
        self.para(kind, "{%p endfor %}")

    def block(self, block: tuple, closing: Optional[str] = None) -> None:
        kind = block[0]
        if kind == "title":
            self.loop("title", "line", "title_lines", "line")
            self.para("body")  # one blank line below the title
        elif kind == "body":
            self.loop("body", "p", block[1], "p", closing)
        elif kind == "h1":
            self.para("h1", block[1])
        elif kind == "items":
            _, seq, var, expr = block[:4]
            self.loop("body", var, seq, expr, closing)
        elif kind == "subs":
            self.para("h2", f"{{%p for sub in {block[1]} %}}")
            if closing is not None:
                self.para("h2", "{%p set last_sub = loop.last %}")
            self.para("h2", "{{ sub.title }}")
            self.loop("body", "p", "sub.paragraphs", "p", None if closing is None else f"last_sub and ({closing})")
            self.para("h2", "{%p endfor %}")
        elif kind == "findings":
            self.para("h2", f"{{%p for sub in {block[1]} %}}")
            self.para("h2", "{{ sub.title }}")
            self.member_table("sub.rows")
            self.loop("body", "p", "sub.paragraphs", "p")
            self.para("h2", "{%p endfor %}")
        elif kind == "signature":
            self.para("body", keep=True)
            self.para("body", keep=True)
            self.para("sign", "{{ signature }}", keep=True)
            self.para("sign", "{{ date }}")
        else:  # pragma: no cover - a typo in TEMPLATES
            raise ValueError(kind)

    def member_table(self, seq: str) -> None:
        """序号 | 姓名 | 公民身份号码 | 核查情况, one row per member (`{%tr for %}`), the header row
        repeated on every page, a row never split; masked ID numbers stay whole in their column."""
        cols = TABLE_COLUMNS
        table = self.doc.add_table(rows=4, cols=len(cols))
        table.autofit = False
        tbl = table._tbl
        tblpr = tbl.tblPr
        for tag, attrs in (("w:tblW", {"w:w": str(sum(_mm_twips(w) for _, w in cols)), "w:type": "dxa"}),
                           ("w:jc", {"w:val": "center"}),
                           ("w:tblLayout", {"w:type": "fixed"})):
            el = tblpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                tblpr.append(el)
            for k, v in attrs.items():
                el.set(qn(k), v)
        borders = OxmlElement("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            b = OxmlElement(f"w:{side}")
            b.set(qn("w:val"), "single")
            b.set(qn("w:sz"), "4")
            b.set(qn("w:space"), "0")
            b.set(qn("w:color"), "000000")
            borders.append(b)
        tblpr.append(borders)
        margins = OxmlElement("w:tblCellMar")
        for side, w in (("left", 85), ("right", 85)):  # 1.5 mm
            m = OxmlElement(f"w:{side}")
            m.set(qn("w:w"), str(w))
            m.set(qn("w:type"), "dxa")
            margins.append(m)
        tblpr.append(margins)
        for col, (_, w) in zip(table.columns, cols):
            col.width = Twips(_mm_twips(w))
        texts = [
            [label for label, _ in cols],
            [f"{{%tr for r in {seq} %}}", "", "", ""],
            ["{{ r.no }}", "{{ r.name }}", "{{ r.id }}", "{{ r.detail }}"],
            ["{%tr endfor %}", "", "", ""],
        ]
        for i, (row, values) in enumerate(zip(table.rows, texts)):
            trpr = row._tr.get_or_add_trPr()
            trpr.append(OxmlElement("w:cantSplit"))
            if i == 0:
                trpr.append(OxmlElement("w:tblHeader"))
            for j, (cell, text) in enumerate(zip(row.cells, values)):
                cell.width = Twips(_mm_twips(cols[j][1]))
                tcpr = cell._tc.get_or_add_tcPr()
                valign = OxmlElement("w:vAlign")
                valign.set(qn("w:val"), "center")
                tcpr.append(valign)
                p = cell.paragraphs[0]
                p.style = self.styles["cell"]
                if i == 2 and j == len(cols) - 1:
                    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                if text:
                    _run_format(p.add_run(text), H1_FONT if i == 0 else BODY_FONT, TABLE_PT)


def _mm_twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def build(spec: dict) -> bytes:
    doc = Document()
    _defaults(doc)
    styles = _styles(doc)
    _page(doc)
    _footers(doc, styles)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):  # the default template's empty paragraph
        body.remove(p)
    builder = Builder(doc, styles)
    blocks = spec["blocks"]
    closing = spec.get("closing", {})
    last = max(i for i, b in enumerate(blocks) if b[0] != "signature")
    for i, block in enumerate(blocks):
        builder.block(block, "true" if i == last else closing.get(block[1] if len(block) > 1 else ""))
    _properties(doc, spec["title"])
    slim(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return fix_office_zip(buf.getvalue())


def _properties(doc, title: str) -> None:
    """Fixed core properties: the same script run twice gives byte-identical templates."""
    cp = doc.core_properties
    cp.title = title
    cp.subject = "党员组织关系排查"
    cp.author = "Paicha"
    cp.last_modified_by = "Paicha"
    cp.keywords = "党员组织关系排查"
    cp.comments = "由 tools/build_docx_templates.py 生成的 docxtpl 模板"
    cp.category = "公文"
    cp.language = "zh-CN"
    cp.revision = 1
    cp.created = FIXED_TIME
    cp.modified = FIXED_TIME
    cp.last_printed = FIXED_TIME


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "templates_docx")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, spec in TEMPLATES.items():
        (args.out / name).write_bytes(build(spec))
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
