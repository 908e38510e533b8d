"""Build templates_docx/member_register.docx: 附件3 党员基本情况登记表, one A4 page per member.

The .docx is the source of truth once built (a district edits it in Word or WPS); this script
keeps the first version reproducible. docxtpl loops over `members`; every page after the first
starts with a paragraph that has "page break before", so there is never a trailing blank page.

One page per member up to the contract's limits (tools/synthetic.stress_branch, tests/documents/
test_stress.py): a long name, 工作岗位, 所在党支部, 家庭住址 or 备注 prints at 10.5 pt instead of 12 pt
(its `m.fit` class, service/domain/tables_rows.py REGISTER_FIT, 9 pt only beyond the budget there), so
that it wraps within the lines the page has room for; rows stay "at least" high, so nothing is ever cut.
Run: .venv/bin/python tools/build_register_template.py
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from service.office.determinism import fix_office_zip  # noqa: E402
from tools.docx_slim import slim  # noqa: E402

OUT = ROOT / "templates_docx" / "member_register.docx"
HEI, TITLE, FANG = "黑体", "方正小标宋简体", "仿宋_GB2312"
WIDTHS = (Mm(38), Mm(47), Mm(38), Mm(47))  # label | value | label | value = 170 mm
ORG_WIDTHS = (Mm(118), Mm(52))  # 党组织名称（盖章）：… | 填报日期：…
ORG_PT = 10.5
BODY_PT = 12
CODE_PT = 9  # 小五: the 校验码 in the footer

# (label, placeholder, label, placeholder); a single pair spans the three right-hand columns
FIELDS = [
    ("姓名", "m.name", "性别", "m.gender"),
    ("民族", "m.ethnicity", "出生日期", "m.birth"),
    ("公民身份号码", "m.id_number"),
    ("学历", "m.education", "人员类别", "m.person_category"),
    ("所在党支部", "m.branch"),
    ("入党时间", "m.join_date", "转正时间", "m.full_member_date"),
    ("党员类别", "m.member_type", "党籍状态", "m.party_status"),
    ("工作岗位\n（职务）", "m.job_post", "联系电话", "m.phone"),
    ("家庭住址", "m.home_address"),
    ("是否失联党员", "m.lost", "失去联系日期", "m.lost_since"),
    ("是否流动党员", "m.outgoing", "外出流向", "m.band"),
]
DATE_LINE = "年　　月　　日"


def font(run, name: str, size: float, bold: bool = False) -> None:
    """Name the font for Latin and East Asian text alike (Word picks eastAsia for Chinese)."""
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def para(container, text: str = "", name: str = FANG, size: float = BODY_PT, align=None,
         bold: bool = False, before: float = 0, after: float = 0):
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = 1.0
    if align is not None:
        p.alignment = align
    if text:
        font(p.add_run(text), name, size, bold)
    return p


def tag(doc, text: str) -> None:
    """A paragraph holding only a docxtpl `{%p … %}` tag (docxtpl removes the paragraph)."""
    p = doc.add_paragraph()
    p.add_run(text)


def heading(doc, page_break: bool) -> None:
    p = para(doc, "附件3", HEI, 16)
    p.paragraph_format.page_break_before = page_break


def cell_text(cell, text: str, name: str, size: float, align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
    lines = text.split("\n") if text else []
    for i, line in enumerate(lines):
        run = p.add_run(line)
        font(run, name, size)
        if i < len(lines) - 1:
            run.add_break()
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


# the font size of each size class a value may have (service/domain/tables_rows.py REGISTER_FIT)
FIT_PT = (("small", 10.5), ("smaller", 9))
FITTED = {"m.name", "m.job_post", "m.branch", "m.home_address", "m.remarks"}


def value_text(cell, placeholder: str, align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    """A value cell. A long value (name, 工作岗位, 所在党支部, 家庭住址, 备注) prints at the size its
    `m.fit` class names, so that it wraps inside the room the page has for it: one run per size, and
    docxtpl `{%r %}` tags choose one (each tag removes its own run)."""
    if placeholder not in FITTED:
        cell_text(cell, f"{{{{ {placeholder} }}}}", FANG, BODY_PT, align)
        return
    cell_text(cell, "", FANG, BODY_PT, align)  # alignment and spacing; no run
    p = cell.paragraphs[0]
    key = placeholder.split(".", 1)[1]
    first = True
    for cls, size in FIT_PT:
        p.add_run(f"{{%r {'if' if first else 'elif'} m.fit.{key} == '{cls}' %}}")
        font(p.add_run(f"{{{{ {placeholder} }}}}"), FANG, size)
        first = False
    p.add_run("{%r else %}")
    font(p.add_run(f"{{{{ {placeholder} }}}}"), FANG, BODY_PT)
    p.add_run("{%r endif %}")


def fix_widths(table, widths=WIDTHS) -> None:
    """Fixed layout, grid columns and cell widths (LibreOffice reads w:gridCol, Word reads tcW)."""
    tbl = table._tbl
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl.tblPr.append(layout)
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(width.twips)))
    for row in table.rows:
        for idx, cell in enumerate(row.cells):
            cell.width = widths[idx]


def sign_row(table, label: str, lines: list[tuple[str, object]], height_mm: float) -> None:
    """A label cell and one wide cell for an opinion or a signature, with its date line."""
    row = table.add_row()
    row.height, row.height_rule = Mm(height_mm), WD_ROW_HEIGHT_RULE.AT_LEAST
    cell_text(row.cells[0], label, HEI, BODY_PT)
    wide = row.cells[1].merge(row.cells[3])
    wide.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
    first = True
    for text, align in lines:
        p = wide.paragraphs[0] if first else wide.add_paragraph()
        first = False
        p.alignment = align
        p.paragraph_format.space_after = Pt(4)
        p.paragraph_format.right_indent = Mm(6)
        if text:
            font(p.add_run(text), FANG, BODY_PT)


def register_table(doc) -> None:
    table = doc.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for spec in FIELDS:
        row = table.add_row()
        row.height, row.height_rule = Mm(10), WD_ROW_HEIGHT_RULE.AT_LEAST
        cells = row.cells
        cell_text(cells[0], spec[0], HEI, BODY_PT)
        if len(spec) == 2:
            value_text(cells[1].merge(cells[3]), spec[1], WD_ALIGN_PARAGRAPH.LEFT)
        else:
            value_text(cells[1], spec[1])
            cell_text(cells[2], spec[2], HEI, BODY_PT)
            value_text(cells[3], spec[3])
    row = table.add_row()
    row.height, row.height_rule = Mm(24), WD_ROW_HEIGHT_RULE.AT_LEAST
    cell_text(row.cells[0], "备注", HEI, BODY_PT)
    value_text(row.cells[1].merge(row.cells[3]), "m.remarks", WD_ALIGN_PARAGRAPH.LEFT)
    right, left = WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT
    sign_row(table, "党员本人签字", [("", left), (DATE_LINE, right)], 16)
    sign_row(table, "党支部审核意见", [("", left), ("", left), (DATE_LINE, right)], 22)
    sign_row(table, "党支部书记签字", [("", left), ("党组织（盖章）", right), (DATE_LINE, right)], 21)
    fix_widths(table)


def org_line(doc) -> None:
    """党组织名称 at the left and 填报日期 at the right, on one line: a borderless two-cell table
    (a long full_name wraps inside its cell instead of pushing the date onto a line of its own)."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    cell_text(left, "党组织名称（盖章）：{{ org.full_name }}", FANG, ORG_PT, WD_ALIGN_PARAGRAPH.LEFT)
    cell_text(right, "填报日期：{{ fill_date }}", FANG, ORG_PT, WD_ALIGN_PARAGRAPH.RIGHT)
    for cell in (left, right):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    fix_widths(table, ORG_WIDTHS)
    margins = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), "0")
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    table._tbl.tblPr.append(margins)
    para(doc, size=4)  # a sliver of space between this line and the form; keeps the tables apart


def footer(doc) -> None:
    """The 校验码 (`{{ verification }}`, 「校验码 7F3A-92C1」) at the foot of every page, right, 仿宋 小五:
    below the form's 20 mm bottom margin, so the page holds as much of the form as before."""
    sec = doc.sections[0]
    sec.footer_distance = Mm(10)
    p = sec.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    font(p.add_run("{{ verification }}"), FANG, CODE_PT)
    no_autospace_ppr(p._p.get_or_add_pPr())


def no_autospace(doc) -> None:
    """No extra space between CJK and Latin/digits (LibreOffice would print 「附件 3」).

    w:autoSpaceDE / w:autoSpaceDN off in the document defaults and the Normal style.
    """
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is None:
        ppr_default = OxmlElement("w:pPrDefault")
        defaults.append(ppr_default)
    targets = [ppr_default.find(qn("w:pPr"))]
    if targets[0] is None:
        targets[0] = OxmlElement("w:pPr")
        ppr_default.append(targets[0])
    targets.append(doc.styles["Normal"].element.get_or_add_pPr())
    for ppr in targets:
        no_autospace_ppr(ppr)


def no_autospace_ppr(ppr) -> None:
    for tag_name in ("w:autoSpaceDE", "w:autoSpaceDN"):
        for old in ppr.findall(qn(tag_name)):
            ppr.remove(old)
        el = OxmlElement(tag_name)
        el.set(qn("w:val"), "0")
        ppr.append(el)
    _order_ppr(ppr)


# CT_PPrBase child order (the part of it these styles use)
_PPR_ORDER = ["w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
              "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
              "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
              "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
              "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc"]


def _order_ppr(ppr) -> None:
    rank = {qn(t): i for i, t in enumerate(_PPR_ORDER)}
    children = list(ppr)
    for child in children:
        ppr.remove(child)
    for child in sorted(children, key=lambda c: rank.get(c.tag, len(rank))):
        ppr.append(child)


def build() -> Document:
    doc = Document()
    no_autospace(doc)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(25), Mm(20)
    sec.left_margin, sec.right_margin = Mm(20), Mm(20)
    props = doc.core_properties
    props.author = props.last_modified_by = "Paicha"
    props.title = "附件3 党员基本情况登记表"
    props.revision = 1
    footer(doc)

    tag(doc, "{%p for m in members %}")
    tag(doc, "{%p if loop.first %}")
    heading(doc, page_break=False)
    tag(doc, "{%p else %}")
    heading(doc, page_break=True)
    tag(doc, "{%p endif %}")
    para(doc, "党员基本情况登记表", TITLE, 22, WD_ALIGN_PARAGRAPH.CENTER, before=4, after=8)
    org_line(doc)
    register_table(doc)
    para(doc, "注：本表由党员本人填写，党支部审核；一人一表，留存学校备查。", FANG, 10.5, before=6)
    tag(doc, "{%p endfor %}")
    for ppr in doc.element.body.iter(qn("w:p")):  # direct formatting too: LibreOffice reads it first
        no_autospace_ppr(ppr.get_or_add_pPr())
    return doc


def main() -> None:
    OUT.parent.mkdir(exist_ok=True)
    buf = io.BytesIO()
    doc = build()
    slim(doc)
    doc.save(buf)
    OUT.write_bytes(fix_office_zip(buf.getvalue()))
    print("wrote", OUT)


if __name__ == "__main__":
    main()
