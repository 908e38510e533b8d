"""The four narrative documents: contexts fill their templates, and the rendered Word files read
right (figures, names, masked IDs, dates, layout, literal user text, zero-case wording)."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess

import docx
import pytest
from docx.shared import Mm, Pt

from service.office.word import placeholders, render_docx, template_path
from tests.conftest_pdf import page_texts
from tools.build_docx_templates import PPR_ORDER
from service.domain import drafts
from service.domain.figures import campaign_summary
from service.domain.verification import footer_line

CODE = re.compile(r"校验码 [0-9A-F]{4}-[0-9A-F]{4}")
DOCS = {
    "work_plan.docx": drafts.work_plan_context,
    "stage_summary.docx": drafts.stage_summary_context,
    "final_report.docx": drafts.final_report_context,
    "verification_report.docx": drafts.verification_context,
}
TITLES = {
    "work_plan.docx": "党员组织关系排查工作方案",
    "stage_summary.docx": "党员组织关系排查工作阶段性小结",
    "final_report.docx": "党员组织关系排查工作总结",
    "verification_report.docx": "党员组织关系排查核查情况",
}
ID_RE = re.compile(r"\d{17}[\dX]")
MASKED_RE = re.compile(r"\d{4}\*{10}[\dX]{4}")
OUR_STYLES = ("Normal", "公文标题", "一级标题", "二级标题", "公文正文", "落款", "页码", "表格文字")


def _render(ds, name):
    return docx.Document(io.BytesIO(render_docx(name, DOCS[name](ds))))


def _text(document) -> str:
    """The document's text; the footers' 校验码 (hexadecimal, tests/documents/test_verification_code.py
    reads it) without its digits, so that they are never taken for words or figures."""
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += ["\t".join(c.text for c in row.cells) for row in table.rows]
    for section in document.sections:
        parts += [p.text for p in section.footer.paragraphs]
    return CODE.sub("校验码", "\n".join(parts))


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start): text.index(end, text.index(start))]


@pytest.mark.parametrize("name", DOCS)
def test_context_provides_every_placeholder(sample_dataset, name):
    assert placeholders(name) <= set(DOCS[name](sample_dataset))


@pytest.mark.parametrize("name", DOCS)
def test_rendered_document_reads_right(sample_dataset, name):
    document = _render(sample_dataset, name)
    text = _text(document)
    assert TITLES[name] in text
    assert "{{" not in text and "{%" not in text and "}}" not in text
    assert "2024" not in text
    assert f"共有党员{campaign_summary(sample_dataset)['A1']}名" in text
    assert sample_dataset.org.full_name in [p.text for p in document.paragraphs][-2]
    assert re.search(r"20\d\d年\d{1,2}月\d{1,2}日$", document.paragraphs[-1].text)
    assert not re.search(r"[A-Za-z]{3,}", text.replace("WJ017", "")), "no English in the prose"
    assert "0名" not in text.replace("10名", "").replace("20名", "")


def test_dates_default_to_the_day_before_the_deadline(sample_dataset):
    assert drafts.work_plan_context(sample_dataset)["date"] == "2023年6月16日"  # given in the sample
    sample_dataset.work_plan.date = None
    sample_dataset.final_report.date = None
    assert drafts.work_plan_context(sample_dataset)["date"] == "2023年6月19日"
    assert drafts.final_report_context(sample_dataset)["date"] == "2023年10月14日"


def test_stage_summary_names_the_members_concerned(sample_dataset):
    text = _text(_render(sample_dataset, "stage_summary.docx"))
    lost = _section(text, "“失联”党员\n", "（四）")
    assert "孙海燕" in lost and "赵国庆" in lost and "2年8个月" in lost
    assert "李志强" in _section(text, "（一）外出流动党员", "（二）")
    assert "吴晓东" in text and "冯伟" in text and "郑雅文" in text
    plan = _section(text, "四、初步处理方案", "五、下一步工作安排")
    assert "停止党籍" in plan and "2023年9月底前" in plan


def test_work_plan_has_phases_group_and_file_names(sample_dataset):
    text = _text(_render(sample_dataset, "work_plan.docx"))
    for phase in ("动员部署阶段（2023年6月）", "集中排查阶段（2023年7月）", "整改规范阶段（2023年8月下旬至9月）"):
        assert phase in text
    assert "周建华（党支部书记）" in text and "负总责" in text
    assert "WJ017-星河实验小学党支部-党员组织关系排查工作方案" in text
    assert "WJ017-星河实验小学党支部-阶段性小结" in text
    assert "真摸实报" in text or "是什么情况就报什么情况" in text
    assert "信息安全" in text


def test_final_report_lists_long_term_measures(sample_dataset):
    ctx = drafts.final_report_context(sample_dataset)
    assert ctx["long_term_measures"][0].startswith("1．党员信息动态维护")
    assert any("3个月" in m for m in ctx["long_term_measures"])
    sample_dataset.final_report.long_term_measures = ["1. 每季度开展一次组织关系自查", "建立流动党员微信群"]
    ctx = drafts.final_report_context(sample_dataset)
    assert ctx["long_term_measures"] == ["1．每季度开展一次组织关系自查", "2．建立流动党员微信群"]


def test_verification_masks_id_numbers(sample_dataset):
    text = _text(_render(sample_dataset, "verification_report.docx"))
    assert "3204**********0342" in text  # 孙海燕
    assert not ID_RE.search(text)
    for m in sample_dataset.members:
        assert m.id_number not in text
    assert "流动党员应转移组织关系" in text and "组织关系转出未收到回执" in text


def test_overrides_replace_drafted_text_but_keep_figures(sample_dataset):
    sample_dataset.stage_summary.progress = "我支部于6月28日召开党员大会进行动员。\n第二段。"
    sample_dataset.stage_summary.plan = "按区委教育工委意见办理。"
    ctx = drafts.stage_summary_context(sample_dataset)
    basic = ctx["sections"]["basic"]
    assert basic[0].startswith("截至2023年6月30日") and "共有党员12名" in basic[0]
    assert basic[-2:] == ["我支部于6月28日召开党员大会进行动员。", "第二段。"]
    assert "按区委教育工委意见办理。" in ctx["sections"]["plan_intro"]
    assert "外出流动党员2名" in ctx["sections"]["plan_intro"][0]
    sample_dataset.final_report.results = "自定义评价。"
    ctx = drafts.final_report_context(sample_dataset)
    assert ctx["sections"]["results_comment"] == ["自定义评价。"]
    assert "共有党员12名" in ctx["sections"]["results"][0]["paragraphs"][0]


def test_user_text_prints_literally(sample_dataset):
    sample_dataset.members[6].name = "孙{{ 7*7 }}燕"
    sample_dataset.members[3].name = "<b>&</b>"
    sample_dataset.stage_summary.next_steps = "{% if true %}注入{% endif %} & <w:p/>"
    for name in DOCS:
        text = _text(_render(sample_dataset, name))
        if name != "work_plan.docx":
            assert "孙{{ 7*7 }}燕" in text and "<b>&</b>" in text
        assert "49" not in text
    text = _text(_render(sample_dataset, "stage_summary.docx"))
    assert "{% if true %}注入{% endif %} & <w:p/>" in text


def test_docxtpl_escapes_in_user_text_print_as_typed(sample_dataset):
    typed = "备注含{_{和}_}及{_%与%_}"  # docxtpl would print 备注含{{和}}及{%与%}
    sample_dataset.stage_summary.next_steps = typed
    text = _text(_render(sample_dataset, "stage_summary.docx"))
    assert typed in text and "{{和}}" not in text


def test_zero_cases_read_naturally(sample_data):
    from schemas import load_dataset

    for m in sample_data["members"]:
        for key in ("outgoing", "lost_contact", "hanging", "abroad", "transfer_out"):
            m.pop(key, None)
        m["last_org_life_date"], m["last_dues_date"] = "2023-06-28", "2023-06"
    ds = load_dataset(sample_data)
    summary = _text(_render(ds, "stage_summary.docx"))
    assert "本支部无外出流动党员" in summary
    assert "“失联”党员" in summary
    for name in DOCS:
        text = _text(_render(ds, name))
        assert "0名" not in text.replace("10名", "").replace("20名", ""), name
        assert "：。" not in text and "（）" not in text
    assert "排查发现的问题均已处置到位" in _text(_render(ds, "final_report.docx"))


@pytest.mark.parametrize("name", DOCS)
def test_layout_follows_gbt_9704(sample_dataset, name):
    document = _render(sample_dataset, name)
    sec = document.sections[0]
    assert abs(sec.page_width - Mm(210)) < Mm(0.1) and abs(sec.page_height - Mm(297)) < Mm(0.1)
    assert abs(sec.top_margin - Mm(37)) < Mm(0.1) and abs(sec.bottom_margin - Mm(35)) < Mm(0.1)
    assert abs(sec.left_margin - Mm(28)) < Mm(0.1) and abs(sec.right_margin - Mm(26)) < Mm(0.1)
    grid = sec._sectPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}docGrid")
    assert grid.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}linePitch") == "579"
    paras = [p for p in document.paragraphs if p.text]
    title, body = paras[0], next(p for p in paras if p.style.name == "公文正文")
    assert title.runs[0].font.size == Pt(22)
    assert _east_asia(title.runs[0]) == "方正小标宋简体" and _pf(title, "alignment") == 1
    assert body.runs[0].font.size == Pt(16) and _east_asia(body.runs[0]) == "仿宋_GB2312"
    assert body.runs[0].font.name == "Times New Roman"
    assert _pf(body, "line_spacing") == Pt(28.95) and _pf(body, "first_line_indent") == Pt(32)
    h1 = next(p for p in paras if p.text.startswith("一、"))
    assert _east_asia(h1.runs[0]) == "黑体"
    h2 = next(p for p in paras if p.text.startswith("（一）"))
    assert _east_asia(h2.runs[0]) == "楷体_GB2312"
    sign = document.paragraphs[-1]
    assert _pf(sign, "alignment") == 2 and _pf(sign, "right_indent") == Pt(64)  # 4 characters in
    odd, even = sec.footer.paragraphs[0], sec.even_page_footer.paragraphs[0]
    code = footer_line(sample_dataset)
    # the page number at the outside edge, the 校验码 on its line at the inside edge
    assert odd.text == f"{code}\t— 1 —" and even.text == f"— 1 —\t{code}"
    for footer in (odd, even):
        number = next(r for r in footer.runs if r.text == "— ")
        assert "PAGE" in footer._p.xml and number.font.size == Pt(14) and _east_asia(number) == "宋体"
        stamp = next(r for r in footer.runs if r.text == code)
        assert stamp.font.size == Pt(9) and _east_asia(stamp) == "宋体"  # 小五
    assert document.core_properties.author == "Paicha"


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _on(ppr, tag: str) -> bool:
    """A pPr on/off element is set (present and not w:val="0"/"false")."""
    el = None if ppr is None else ppr.find(W + tag)
    return el is not None and el.get(W + "val", "1") not in ("0", "false")


def _ppr(paragraph):
    return paragraph._p.pPr


@pytest.mark.parametrize("name", DOCS)
def test_no_auto_space_between_chinese_and_digits(name):
    """w:autoSpaceDE/DN off in docDefaults and every style the templates use (2023年6月30日, not
    2023 年 6 月 30 日), in the schema order Word requires."""
    document = docx.Document(str(template_path(name)))
    styles = document.styles.element
    default = styles.find(W + "docDefaults").find(W + "pPrDefault").find(W + "pPr")
    present = {s.name for s in document.styles}  # unused styles are not kept (tools/docx_slim.py)
    assert {"Normal", "公文标题", "公文正文", "页码"} <= present
    for ppr in [default] + [document.styles[n].element.pPr for n in OUR_STYLES if n in present]:
        for tag in ("autoSpaceDE", "autoSpaceDN"):
            assert ppr.find(W + tag) is not None and ppr.find(W + tag).get(W + "val") == "0", tag
        order = [c.tag.split("}")[1] for c in ppr]
        assert order == sorted(order, key=PPR_ORDER.index), order


@pytest.mark.parametrize("name", DOCS)
def test_signature_keeps_with_the_closing_paragraph(sample_dataset, name):
    """The last body paragraph, the blank lines and the 署名 keep with the 成文日期, whole; headings
    keep with what follows; widow/orphan control is on."""
    document = _render(sample_dataset, name)
    paras = document.paragraphs
    closing, blank1, blank2, sign, date = paras[-5:]
    assert closing.text and not blank1.text and not blank2.text
    assert sign.text == sample_dataset.org.full_name and date.text.endswith("日")
    for p in (closing, blank1, blank2, sign):
        assert _on(_ppr(p), "keepNext") and _on(_ppr(p), "keepLines"), p.text
    kept = [p for p in paras if p.style.name == "公文正文" and _on(_ppr(p), "keepNext")]
    assert kept == [closing, blank1, blank2], "only the closing paragraph of the body is kept"
    for style in ("公文标题", "一级标题", "二级标题"):
        assert document.styles[style].paragraph_format.keep_with_next, style
    assert document.styles["Normal"].paragraph_format.widow_control


def test_closing_paragraph_without_a_plan(sample_data):
    """核查情况 of a branch with nothing to handle ends with 五's intro, which then keeps."""
    from schemas import load_dataset

    for m in sample_data["members"]:
        for key in ("outgoing", "lost_contact", "hanging", "abroad", "transfer_out"):
            m.pop(key, None)
        m["last_org_life_date"], m["last_dues_date"] = "2023-06-28", "2023-06"
    document = _render(load_dataset(sample_data), "verification_report.docx")
    closing = document.paragraphs[-5]
    assert "未发现需要组织处理的问题" in closing.text
    assert _on(_ppr(closing), "keepNext") and _on(_ppr(closing), "keepLines")


def test_verification_lists_members_in_tables_not_inside_sentences(sample_dataset):
    """A masked ID cannot break: it starts a paragraph (fits the first line) or sits in the
    公民身份号码 column of a finding table, never in the middle of a justified sentence."""
    document = _render(sample_dataset, "verification_report.docx")
    for p in document.paragraphs:
        for match in MASKED_RE.finditer(p.text):
            assert match.start() <= 12, f"masked ID inside a sentence: {p.text}"
    assert len(document.tables) == 2
    for table in document.tables:
        header = [c.text for c in table.rows[0].cells]
        assert header == ["序号", "姓名", "公民身份号码", "核查情况"]
        assert table.rows[0]._tr.trPr.find(W + "tblHeader") is not None
        for i, row in enumerate(table.rows[1:], 1):
            no, name, masked_id, detail = (c.text for c in row.cells)
            assert no == str(i) and MASKED_RE.fullmatch(masked_id) and detail.endswith("。")
            assert not detail.startswith(name) and "依据" not in detail
    rows = {tuple(c.text for c in r.cells[1:3]) for t in document.tables for r in t.rows[1:]}
    assert ("李志强", "3204**********0291") in rows and ("冯伟", "3204**********0414") in rows


def test_long_lists_share_a_sentence(sample_dataset):
    """Above five members a category's plan groups members with the same handling."""
    from schemas import load_dataset
    from tools.synthetic import synthetic_branch

    ds = load_dataset(synthetic_branch(60))
    for name in ("stage_summary.docx", "verification_report.docx"):
        text = _text(_render(ds, name))
        plan = _section(text[text.index("、初步处理方案\n"):], "（一）外出流动党员\n", "（二）")
        assert re.search(r"等\d+名同志外出均在6个月以上且地点相对固定", plan), plan
        assert len(plan.splitlines()) <= 4, plan
    text = _text(_render(sample_dataset, "stage_summary.docx"))
    assert "李志强同志外出21个月且地点相对固定" in text  # short lists stay one sentence each


@pytest.mark.pdf
@pytest.mark.skipif(shutil.which("soffice") is None and not os.environ.get("CI"),
                    reason="LibreOffice (soffice) not installed; CI installs it and never skips")
def test_signature_is_never_alone_on_the_last_page(sample_dataset, tmp_path):
    """Through LibreOffice: the last page of every narrative carries body text above the 署名."""
    files = []
    for name in DOCS:
        path = tmp_path / name
        path.write_bytes(render_docx(name, DOCS[name](sample_dataset)))
        files.append(str(path))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), *files],
                   capture_output=True, timeout=300, check=True)
    org = sample_dataset.org.full_name
    for name in DOCS:
        pages = page_texts((tmp_path / name.replace(".docx", ".pdf")).read_bytes())
        last = [ln.strip() for ln in pages[-1].splitlines() if ln.strip()]
        body = [ln for ln in last if ln != org and not re.fullmatch(r"20\d\d\s*年.*日|—\s*\d+\s*—", ln)]
        assert org in last and len(body) >= 2, f"{name}: last page is {last}"


def _east_asia(run) -> str:
    fonts = run._r.rPr.rFonts
    return fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")


def _pf(paragraph, attr):
    """A paragraph format value, direct or from the paragraph's style."""
    value = getattr(paragraph.paragraph_format, attr)
    return value if value is not None else getattr(paragraph.style.paragraph_format, attr)
