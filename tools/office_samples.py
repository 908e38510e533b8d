"""Office files to convert, for the conversion tests and the PDF benchmark: 公文-like DOCX and XLSX
with the hard names (a middle dot, rare characters, one outside the BMP)."""
from __future__ import annotations

import io

NAMES = ["阿依古丽·买买提", "喆堃昇玥", "𠮷"]
TITLE = "关于开展党员组织关系排查工作的通知"


def make_docx(paragraphs: int = 3, title: str = TITLE, tag: str = "") -> bytes:
    """A 公文-like DOCX: a 方正小标宋简体 title, body in 仿宋_GB2312 with the hard names."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def font(run, name, size):
        run.font.name = name
        run.font.size = Pt(size)
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)

    doc = Document()
    font(doc.add_paragraph().add_run(title), "方正小标宋简体", 22)
    body = f"{tag}党员{'、'.join(NAMES)}的组织关系已核查，情况属实。2024年3月15日。"
    for i in range(paragraphs):
        font(doc.add_paragraph().add_run(f"{i + 1}. {body}" * 3), "仿宋_GB2312", 16)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def make_xlsx(rows: int = 20, tag: str = "") -> bytes:
    """A 花名册-like XLSX in 仿宋_GB2312 with the hard names."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["序号", "姓名", "备注"])
    for i in range(rows):
        ws.append([i + 1, NAMES[i % len(NAMES)], f"{tag}已核查"])
    for row in ws.iter_rows():
        for cell in row:
            cell.font = Font(name="仿宋_GB2312", size=12)
    ws.column_dimensions["B"].width = 24
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
