"""The clerk pages through Flask's test client: upload, result, downloads, and Chinese errors."""
from __future__ import annotations

import io
import json
import re
from urllib.parse import quote, unquote

import docx
import openpyxl
import pytest

from schemas import load_dataset
from service.domain.verification import verification_code
from service.intake.workbook import filled_workbook
from tests.conftest import make_app, upload_file

from .browsing import with_errors


def result_page(client, content, name="数据采集表.xlsx"):
    resp = upload_file(client, content, name)
    assert resp.status_code == 303, resp.data.decode()
    page = client.get(resp.headers["Location"])
    assert page.status_code == 200
    return resp.headers["Location"], page.data.decode()


def test_home_page_in_chinese(client):
    html = client.get("/").data.decode()
    assert "党员组织关系排查文书生成" in html
    for step in ("下载数据采集表", "填写", "上传", "下载文书"):
        assert step in html
    assert 'href="/workbook"' in html and 'enctype="multipart/form-data"' in html
    assert "http://" not in html and "https://" not in html  # no CDN


def test_valid_upload_shows_figures_and_downloads(client, sample_data):
    url, html = result_page(client, filled_workbook(sample_data))
    assert "数据检查通过" in html
    figures = {label: value for value, label in
               re.findall(r'<div class="value">(\d+)</div><div class="label">([^<]+)</div>', html)}
    assert figures == {"纳入排查党员": "12", "外出流动党员": "2", "“空挂”党员": "1",
                                                  "“失联”党员": "2", "出国（境）党员": "1"}
    assert "李志强" in html  # a 三查三核 finding
    assert f"{url}/packages/all?format=office" in html
    resp = client.get(f"{url}/documents/work_plan?format=docx")
    assert resp.status_code == 200
    expected = "WJ017-星河实验小学党支部-党员组织关系排查工作方案.docx"
    assert resp.headers["Content-Disposition"].endswith(f"filename*=UTF-8''{quote(expected)}")
    assert resp.data[:2] == b"PK"


def test_result_page_shows_the_code_every_printed_page_carries(client, sample_data):
    """The 校验码 near the figures is the one in the footers of the documents the page offers."""
    url, html = result_page(client, filled_workbook(sample_data))
    code = verification_code(load_dataset(sample_data))
    block = re.search(r'<p[^>]*id="verification-code"[^>]*>(.*?)</p>', html, re.S)
    assert block and f"校验码 {code}" in block.group(1) and "页脚" in block.group(1)
    assert html.index("<h2>主要数字</h2>") < html.index('id="verification-code"') < html.index("<h2>下载文书</h2>")
    plan = docx.Document(io.BytesIO(client.get(f"{url}/documents/work_plan?format=docx").data))
    assert plan.sections[0].footer.paragraphs[0].text.startswith(f"校验码 {code}\t")
    roster = openpyxl.load_workbook(io.BytesIO(client.get(f"{url}/documents/member_roster?format=xlsx").data))
    assert roster.active.oddFooter.right.text == f"校验码 {code}"
    wb = openpyxl.load_workbook(io.BytesIO(filled_workbook(sample_data)))
    wb["党员名册"]["I8"].value = "2023.02.30"
    out = io.BytesIO()
    wb.save(out)
    _, wrong = result_page(client, out.getvalue())
    assert "发现 1 处错误" in wrong and "校验码" not in wrong  # no code while the data is wrong


def test_table_download_and_package(client, sample_data):
    url, _ = result_page(client, filled_workbook(sample_data))
    roster = client.get(f"{url}/documents/member_roster?format=xlsx")
    name = unquote(roster.headers["Content-Disposition"].split("''")[1])
    assert name == "WJ017-星河实验小学党支部-附件4-党员名册.xlsx"
    tables = client.get(f"{url}/packages/tables?format=office")
    assert unquote(tables.headers["Content-Disposition"].split("''")[1]) == "WJ017-星河实验小学党支部-党员组织关系排查相关表格.zip"


def test_pdf_unavailable_gives_a_chinese_page(client, sample_data):
    url, _ = result_page(client, filled_workbook(sample_data))
    resp = client.get(f"{url}/documents/work_plan?format=pdf")
    assert resp.status_code == 503
    html = resp.data.decode()
    assert "暂时不能生成 PDF" in html and "Traceback" not in html and url in html


def test_errors_listed_with_cells_and_marked_copy(client, sample_data):
    content = with_errors(sample_data)
    url, html = result_page(client, content)
    assert "发现 3 处错误" in html
    for cell in ("E6", "I8", "F4"):
        assert re.search(f'<td class="cell"[^>]*>{cell}</td>', html)
    assert "/documents/" not in html  # nothing to download while errors remain
    assert client.get(f"{url}/documents/work_plan").status_code == 400
    marked = client.get(f"{url}/marked")
    assert marked.status_code == 200
    assert unquote(marked.headers["Content-Disposition"].split("''")[1]) == "数据采集表-错误标注.xlsx"
    marked_wb = openpyxl.load_workbook(io.BytesIO(marked.data))
    assert marked_wb["党员名册"]["I8"].comment is not None
    original = client.get(f"{url}/original")
    assert original.data == content


def test_json_upload(client, sample_data):
    _, html = result_page(client, json.dumps(sample_data, ensure_ascii=False).encode(), "branch.json")
    assert "数据检查通过" in html


@pytest.mark.parametrize("content, name, words", [
    (b"hello", "a.txt", "只能上传数据采集表"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "old.xls", "另存为"),
])
def test_bad_upload_message_on_the_page(client, content, name, words):
    resp = upload_file(client, content, name)
    assert resp.status_code == 400
    html = resp.data.decode()
    assert "上传未成功" in html and words in html


def test_no_file_chosen(client):
    resp = client.post("/upload", data={}, content_type="multipart/form-data")
    assert resp.status_code == 400 and "选择文件" in resp.data.decode()


def test_too_large_is_a_chinese_page(tmp_path):
    app = make_app(tmp_path, MAX_CONTENT_LENGTH=10_000)
    resp = upload_file(app.test_client(), b"PK\x03\x04" + b"0" * 20_000)
    assert resp.status_code == 413
    assert "文件太大" in resp.data.decode()


def test_unknown_token_and_document(client, sample_data):
    resp = client.get("/result/doesnotexist1234567890")
    assert resp.status_code == 404 and "重新上传" in resp.data.decode()
    url, _ = result_page(client, filled_workbook(sample_data))
    resp = client.get(f"{url}/documents/nope")
    assert resp.status_code == 404 and "找不到该文书" in resp.data.decode()


def test_unexpected_failure_never_shows_a_trace(client, sample_data, monkeypatch):
    url, _ = result_page(client, filled_workbook(sample_data))
    from service.documents import render

    monkeypatch.setattr(render, "render_document", lambda *a, **k: 1 / 0)
    resp = client.get(f"{url}/documents/work_plan")
    assert resp.status_code == 500
    html = resp.data.decode()
    assert "系统出错了" in html and "ZeroDivision" not in html and "Traceback" not in html


def test_a_file_the_reader_chokes_on_is_kept_and_offered_back(client, sample_data, monkeypatch):
    from service.intake import received

    monkeypatch.setattr(received, "check_workbook", lambda content: 1 / 0)
    content = filled_workbook(sample_data)
    url, html = result_page(client, content)
    assert "系统未能读取这个文件" in html and "Traceback" not in html
    original = client.get(f"{url}/original")
    assert original.status_code == 200 and original.data == content
    assert client.get(f"{url}/marked").status_code == 200
