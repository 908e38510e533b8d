"""Templates are prepared once per file version: renders stay fresh, independent and deterministic."""
from __future__ import annotations

import io
import os
import shutil
import zipfile

import docx
import openpyxl
import pytest
from docxtpl import DocxTemplate
from lxml import etree

from service.office import determinism, spreadsheet, word
from service.office.word_xml import Splice, docxtpl_document


def register(name: str, names: list[str]) -> dict:
    return {"org": {"name": name}, "rows": [{"name": n} for n in names]}


@pytest.fixture
def docx_template(tmp_path, monkeypatch):
    """A Word template with a title, a {%tr %} table of names and a footer placeholder."""
    monkeypatch.setattr(word, "TEMPLATES", tmp_path)
    d = docx.Document()
    d.add_paragraph("登记表 {{ org.name }}")
    table = d.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for r in rows %}"
    table.cell(1, 0).text = "{{ r.name }}"
    table.cell(1, 1).text = "{{ loop.index }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    d.sections[0].footer.paragraphs[0].text = "页脚 {{ org.name }}"
    d.save(tmp_path / "t.docx")
    return "t.docx"


@pytest.fixture
def xlsx_template(tmp_path, monkeypatch):
    monkeypatch.setattr(spreadsheet, "TEMPLATES", tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "名册 {{ org.name }}"
    ws["A2"] = "{{ row.name }}"
    ws["A3"] = "合计"
    wb.save(tmp_path / "t.xlsx")
    return "t.xlsx"


def docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    footer = [p.text for p in d.sections[0].footer.paragraphs]
    return "\n".join([p.text for p in d.paragraphs] + cells + footer)


def xlsx_text(data: bytes) -> str:
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


A = register("星河支部", ["陈晓燕", "王建国"])
B = register("东岭支部", ["李秀英", "赵卫东", "孙丽"])


def test_cached_word_template_gives_fresh_independent_results(docx_template):
    a1 = word.render_docx(docx_template, A)
    b = word.render_docx(docx_template, B)
    a2 = word.render_docx(docx_template, A)
    assert a1 == a2
    text_a, text_b = docx_text(a1), docx_text(b)
    assert "星河支部" in text_a and "陈晓燕" in text_a and "页脚 星河支部" in text_a
    assert not any(n in text_a for n in ("东岭支部", "李秀英", "赵卫东", "孙丽"))
    assert "李秀英" in text_b and "陈晓燕" not in text_b and "页脚 东岭支部" in text_b


def test_cached_word_render_is_what_docxtpl_renders(docx_template):
    expected = DocxTemplate(str(word.template_path(docx_template)))
    expected.render(B, autoescape=True)
    buf = io.BytesIO()
    expected.save(buf)
    assert word.render_docx(docx_template, B) == determinism.fix_office_zip(buf.getvalue())


def test_user_text_is_never_template_code(docx_template):
    data = word.render_docx(docx_template, register("{{ 7 * 7 }} <b>&", ["{% if true %}x{% endif %}"]))
    text = docx_text(data)
    assert "{{ 7 * 7 }} <b>&" in text and "{% if true %}x{% endif %}" in text and "49" not in text


def test_docxtpl_escapes_in_user_text_print_as_typed(docx_template):
    typed = "备注含{_{和}_}及{_%与%_}"
    text = docx_text(word.render_docx(docx_template, register(typed, [typed])))
    assert f"登记表 {typed}" in text and f"页脚 {typed}" in text and f"{typed}\n" in text
    assert "{{和}}" not in text


def test_docxtpl_escapes_in_the_template_print_braces_as_docxtpl_does(tmp_path, monkeypatch):
    monkeypatch.setattr(word, "TEMPLATES", tmp_path)
    d = docx.Document()
    d.add_paragraph("字面 {_{ org.name }_} 与 {_% if x %_}，名称 {{ org.name }}")
    d.sections[0].footer.paragraphs[0].text = "页脚 {_{页码}_}"
    d.save(tmp_path / "e.docx")
    context = register("星河{_{支部}_}", [])
    expected = DocxTemplate(str(tmp_path / "e.docx"))
    expected.render(register("星河支部", []), autoescape=True)
    buf = io.BytesIO()
    expected.save(buf)
    # the template's escapes as docxtpl prints them; only the user's own {_{ is left alone
    ours = docx_text(word.render_docx("e.docx", context))
    assert ours.startswith("字面 {{ org.name }} 与 {% if x %}，名称 星河{_{支部}_}")
    assert "页脚 {{页码}}" in ours
    assert word.render_docx("e.docx", register("星河支部", [])) == determinism.fix_office_zip(buf.getvalue())


def test_edited_word_template_is_picked_up(docx_template, tmp_path):
    before = docx_text(word.render_docx(docx_template, A))
    d = docx.Document(tmp_path / docx_template)
    d.paragraphs[0].text = "新标题 {{ org.name }}"
    d.save(tmp_path / docx_template)
    stat = os.stat(tmp_path / docx_template)
    os.utime(tmp_path / docx_template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    after = docx_text(word.render_docx(docx_template, A))
    assert "登记表 星河支部" in before and "新标题 星河支部" in after and "登记表" not in after


def test_cached_spreadsheet_template_gives_fresh_independent_results(xlsx_template):
    a1 = spreadsheet.render_xlsx(xlsx_template, A)
    b = spreadsheet.render_xlsx(xlsx_template, B)
    a2 = spreadsheet.render_xlsx(xlsx_template, A)
    assert a1 == a2
    text_a = xlsx_text(a1)
    assert "名册 星河支部" in text_a and "王建国" in text_a
    assert not any(n in text_a for n in ("东岭支部", "李秀英", "赵卫东", "孙丽"))
    assert xlsx_text(b).count("\n") == 4  # title, three rows, total: A's two rows left no trace


def test_edited_spreadsheet_template_is_picked_up(xlsx_template, tmp_path):
    spreadsheet.render_xlsx(xlsx_template, A)
    wb = openpyxl.load_workbook(tmp_path / xlsx_template)
    wb.active["A3"] = "合计（已改）"
    wb.save(tmp_path / xlsx_template)
    stat = os.stat(tmp_path / xlsx_template)
    os.utime(tmp_path / xlsx_template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert "合计（已改）" in xlsx_text(spreadsheet.render_xlsx(xlsx_template, A))


def test_copied_template_at_a_new_path_is_its_own_entry(docx_template, tmp_path):
    shutil.copy(tmp_path / docx_template, tmp_path / "copy.docx")
    assert word.render_docx("copy.docx", A) == word.render_docx(docx_template, A)


def test_table_grid_fix_matches_docxtpl(docx_template, tmp_path):
    """A body whose rows have fewer cells than its grid: the grid fix runs docxtpl's own code."""
    prep = word.prepared(word.template_path(docx_template))
    body = DocxTemplate(str(tmp_path / docx_template)).get_docx()._element.body
    for tc in body.xpath(".//w:tr/w:tc[2]"):
        tc.getparent().remove(tc)  # every row now has one cell; the grid still has two columns
    xml = etree.tostring(body, encoding="unicode")
    skeleton = dict(prep.entries)["word/document.xml"]
    splice = Splice.of(skeleton, xml)
    assert splice is not None
    helper = DocxTemplate(None)
    helper.docx_ids_index = 1000
    fast = splice.document(helper, xml)
    assert fast.count(b"<w:gridCol ") == 1  # docxtpl dropped the column no row uses
    assert fast == docxtpl_document(helper, skeleton, xml)


def test_office_zip_writes_what_zipfile_writes():
    entries = [("[Content_Types].xml", b"<Types/>"), ("word/document.xml", "<w:document/>".encode() * 50),
               ("docProps/core.xml", b"<dc:creator>x</dc:creator>")]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in entries:
            info = zipfile.ZipInfo(name, date_time=determinism.FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zf.writestr(info, body)
    assert determinism.fix_office_zip(out.getvalue()) == determinism.office_zip(entries)
    packed = [(n, determinism.pack(b)) if n == "word/document.xml" else (n, b) for n, b in entries]
    assert determinism.office_zip(packed) == determinism.office_zip(entries)
    with zipfile.ZipFile(io.BytesIO(determinism.office_zip(entries))) as zf:
        assert zf.testzip() is None
        assert zf.read("docProps/core.xml") == b"<dc:creator>Paicha</dc:creator>"


@pytest.mark.parametrize("name", sorted(p.name for p in word.TEMPLATES.glob("*.docx")))
def test_word_templates_carry_only_the_styles_they_use(name):
    """python-docx's 164 default styles and stylesWithEffects.xml are gone (tools/docx_slim.py):
    LibreOffice parses every style on every conversion."""
    import re
    import zipfile

    with zipfile.ZipFile(word.TEMPLATES / name) as zf:
        names = zf.namelist()
        styles = zf.read("word/styles.xml").decode("utf-8")
    assert "word/stylesWithEffects.xml" not in names
    assert len(re.findall(r"<w:style ", styles)) <= 25
