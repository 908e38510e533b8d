"""A clerk in a real browser: download the blank workbook, fill it, upload it, download a document."""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from .browsing import CHROMIUM, send_passing, shot

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists() and not os.environ.get("CI"):  # CI installs chromium and never skips
    pytest.skip("Debian chromium not installed (apt-get install chromium)", allow_module_level=True)
from playwright import sync_api  # noqa: E402  (a test dependency: a missing one must fail, not skip)


ORG = ["WJ017", "星河实验小学党支部", "中共常州市武进区星河实验小学支部委员会", "常州市武进区星河实验小学", "党支部",
       "周建华", "陈晓燕", "0519-86310611"]
MEMBERS = [  # as a clerk types them: dates in several forms, √ for yes
    ["周建华", "男", "汉族", "320412197204180239", None, "研究生", "正式党员", "1996.6.28", "1997/6/28", "在岗教职工",
     "校长、党支部书记", "13900087109", "花园街21号", None, "2023.6.28", "2023.6", "√"],
    ["陈晓燕", "女", "汉族", "320412198609020246", None, "大学本科", "正式党员", "2010-05-20", "2011年5月20日", "在岗教职工",
     "教导处副主任", "13900095028", "花园街22号", None, "2023-06-28", "2023-06", "是"],
    ["李志强", "男", "汉族", "320412196802140291", None, "大学专科", "正式党员", "1992.12.10", "1993.12.10", "离退休人员",
     "退休教师", "13900110866", "花园街24号", None, "2023.6.28", "2023.6", "是"],
    ["何静", "女", "汉族", "320412199707070428", None, "大学本科", "预备党员", "2022.12.16", None, "在岗教职工",
     "专任教师", "13900166299", "花园街31号", None, "2023.6.28", "2023.6", "是"],
]
OUTGOING = ["320412196802140291", "李志强", "2021.9", None, "上海市", "上海市", "浦东新区", "随子女居住", "异地居住",
            "是", "否", None, None, "是", "微信"]


def fill(blank: bytes, members=MEMBERS) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(blank))
    for row, value in enumerate(ORG, 2):
        wb["党组织信息"].cell(row, 2).value = value
    for r, member in enumerate(members, 4):
        for c, value in enumerate(member, 2):
            wb["党员名册"].cell(r, c).value = value
    for c, value in enumerate(OUTGOING, 2):
        wb["外出流动"].cell(4, c).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_clerk_downloads_fills_uploads_and_downloads(server, page, tmp_path):
    page.goto(server + "/")
    assert page.title() == "党员组织关系排查文书生成"
    assert page.locator("h1").inner_text() == "党员组织关系排查文书生成"
    shot(page, "01-home.png")

    with page.expect_download() as info:
        page.get_by_text("下载数据采集表（Excel）").click()
    download = info.value
    assert download.suggested_filename == "数据采集表.xlsx"
    blank = Path(download.path()).read_bytes()

    filled = tmp_path / "星河-数据采集表.xlsx"
    filled.write_bytes(fill(blank))
    send_passing(page, filled)
    figures = {page.locator(".figure .label").nth(i).inner_text(): page.locator(".figure .value").nth(i).inner_text()
               for i in range(page.locator(".figure").count())}
    assert figures == {"纳入排查党员": "4", "外出流动党员": "1", "“空挂”党员": "0", "“失联”党员": "0", "出国（境）党员": "0"}
    shot(page, "02-result-valid.png")

    row = page.locator("tr", has_text="党员组织关系排查工作方案").first
    with page.expect_download() as info:
        row.get_by_role("link", name="Word").click()
    doc = info.value
    assert doc.suggested_filename == "WJ017-星河实验小学党支部-党员组织关系排查工作方案.docx"
    body = zipfile.ZipFile(doc.path()).read("word/document.xml").decode("utf-8")
    assert "中共常州市武进区星河实验小学支部委员会" in body

    roster_row = page.locator("tr", has_text="附件4 党员名册").first
    with page.expect_download() as info:
        roster_row.get_by_role("link", name="Excel").click()
    roster = info.value
    assert roster.suggested_filename == "WJ017-星河实验小学党支部-附件4-党员名册.xlsx"
    values = [c.value for r in openpyxl.load_workbook(io.BytesIO(Path(roster.path()).read_bytes())).active.iter_rows() for c in r]
    assert "何静" in values and "320412196802140291" in values

    page.locator("tr", has_text="党员组织关系排查工作方案").first.get_by_role("link", name="PDF").click()
    alert = page.get_by_role("alert")  # the reason, in Chinese, under the row; the page stays
    sync_api.expect(alert).to_contain_text("暂时不能生成 PDF")
    assert "Word/Excel" in alert.inner_text() and "/result/" in page.url
    shot(page, "03-pdf-unavailable.png")


def test_three_mistakes_are_all_named(server, page, tmp_path):
    page.goto(server + "/")
    with page.expect_download() as info:
        page.get_by_text("下载数据采集表（Excel）").click()
    members = [list(m) for m in MEMBERS]
    members[1][3] = "320412198609020247"  # 党员名册 row 5: check digit → E5
    members[2][7] = "1992.13.10"  # row 6: no month 13 → I6
    members[3][1] = "女士"  # row 7: not in the list → C7
    filled = tmp_path / "有错误的表.xlsx"
    filled.write_bytes(fill(Path(info.value.path()).read_bytes(), members))
    page.set_input_files("input[type=file]", str(filled))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_url("**/result/**")
    assert "发现 3 处错误" in page.locator(".box.bad").inner_text()
    cells = page.locator("table.errors td.cell").all_inner_texts()
    assert cells == ["E5", "I6", "C7"]
    text = page.locator("table.errors").inner_text()
    assert "校验位错误" in text and "不是有效的日期" in text and "应为男、女" in text
    shot(page, "04-result-errors.png")

    with page.expect_download() as info:
        page.get_by_role("link", name="下载标出错误的表格").click()
    marked = info.value
    assert marked.suggested_filename == "有错误的表-错误标注.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(Path(marked.path()).read_bytes()))
    assert "校验位" in wb["党员名册"]["E5"].comment.text


def test_bad_file_message(server, page, tmp_path):
    page.goto(server + "/")
    bad = tmp_path / "照片.xlsx"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="上传并检查").click()
    assert "上传未成功" in page.locator(".box.bad").inner_text()
    shot(page, "05-bad-upload.png")
