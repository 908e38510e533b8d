"""Members' own 登记表 on the pages (Flask's client, as a phone's browser and a clerk's): the check, the lock,
the form's errors at their fields, the confirmation; the clerk's invitation slips with QR codes, progress,
accepting and returning; the district's 「本人确认 N/M」; and a wrong cell fixed on the result page."""
from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest

from service.intake.workbook import filled_workbook
from service.store import database
from service.store.models import Submission
from tests.conftest import SAMPLE_PATH, upload_file
from tests.databases import count_rows
from tests.principals import account, csrf_of, signed_in

SAMPLE = json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))
ZHOU = SAMPLE["members"][0]


@pytest.fixture
def clerk(app):
    assert app.test_client().put("/api/v1/branches/WJ017/dataset", json=SAMPLE).status_code == 201
    account(app, "wj017", "clerk", "WJ017")
    return signed_in(app, "wj017")


def slips(clerk) -> str:
    page = clerk.get("/members")
    assert page.status_code == 200
    resp = clerk.post("/members/invite", data={"who": "all", "csrf_token": csrf_of(page.get_data(as_text=True))})
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def link_of(html: str, name: str) -> str:
    found = re.search(rf"<strong>{name}</strong>.*?<p class=\"url\">http://localhost(/m/[^<]+)</p>", html, re.S)
    assert found, name
    return found[1]


def checked_in(app, link: str):
    phone = app.test_client(anonymous=True)
    page = phone.get(link).get_data(as_text=True)
    assert "后六位" in page
    resp = phone.post(link + "/check", data={"check": ZHOU["id_number"][-6:], "csrf_token": csrf_of(page)})
    assert resp.status_code == 303
    return phone


def test_slips_carry_each_members_name_link_and_qr_code(clerk):
    html = slips(clerk)
    assert html.count('class="slip"') == len(SAMPLE["members"])
    assert html.count("<svg") == len(SAMPLE["members"])  # segno's QR code, inline: no image request, no script
    assert all(m["id_number"] not in html for m in SAMPLE["members"])
    assert "/m/" in link_of(html, ZHOU["name"])
    progress = clerk.get("/members").get_data(as_text=True)
    assert re.search(r"<dt>已邀请</dt><dd>12</dd>", progress)


def test_a_member_checks_edits_and_confirms_on_the_page(app, clerk):
    link = link_of(slips(clerk), ZHOU["name"])
    phone = app.test_client(anonymous=True)
    page = phone.get(link).get_data(as_text=True)
    wrong = phone.post(link + "/check", data={"check": "000000", "csrf_token": csrf_of(page)})
    assert wrong.status_code == 403 and "还可以再试 4 次" in wrong.get_data(as_text=True)
    phone = checked_in(app, link)
    form = phone.get(link).get_data(as_text=True)
    assert ZHOU["id_number"] in form and SAMPLE["members"][1]["name"] not in form
    assert 'type="date"' in form and '<select id="f-education"' in form
    token = csrf_of(form)
    bad = phone.post(link, data={"education": "博士", "confirmed": "yes", "csrf_token": token})
    assert bad.status_code == 422
    assert re.search(r'id="e-education">学历：「博士」不是有效值', bad.get_data(as_text=True))
    unconfirmed = phone.post(link, data={"job_post": "副校长", "csrf_token": token})
    assert unconfirmed.status_code == 422 and "请勾选「以上信息经本人核对无误」" in unconfirmed.get_data(as_text=True)
    ok = phone.post(link, data={"job_post": "副校长", "confirmed": "yes", "csrf_token": token})
    assert ok.status_code == 303
    after = phone.get(ok.headers["Location"]).get_data(as_text=True)
    assert "已提交，谢谢" in after and 'value="副校长"' in after
    clerk_page = clerk.get("/members").get_data(as_text=True)
    assert "副校长" in clerk_page and re.search(r"<dt>有改动</dt><dd>1</dd>", clerk_page)
    answer = re.search(r'action="(/members/responses/\d+)"', clerk_page)[1]
    stored = clerk.post(answer, data={"decision": "accept", "csrf_token": csrf_of(clerk_page)})
    assert stored.status_code == 303 and stored.headers["Location"].startswith("/result/")
    assert count_rows(database(app), Submission) == 2
    district = app.test_client().get("/district/").get_data(as_text=True)
    assert "本人确认 1/12" in district


def test_five_wrong_checks_lock_the_page(app, clerk):
    link = link_of(slips(clerk), ZHOU["name"])
    phone = app.test_client(anonymous=True)
    token = csrf_of(phone.get(link).get_data(as_text=True))
    statuses = [phone.post(link + "/check", data={"check": "12345X", "csrf_token": token}).status_code for _ in range(5)]
    assert statuses == [403, 403, 403, 403, 423]
    locked = phone.get(link)
    assert locked.status_code == 423 and "已锁定" in locked.get_data(as_text=True) and 'name="check"' not in locked.get_data(as_text=True)


def test_a_returned_answer_shows_the_reason_on_the_members_page(app, clerk):
    link = link_of(slips(clerk), ZHOU["name"])
    phone = checked_in(app, link)
    token = csrf_of(phone.get(link).get_data(as_text=True))
    assert phone.post(link, data={"phone": "13800001111", "confirmed": "yes", "csrf_token": token}).status_code == 303
    clerk_page = clerk.get("/members").get_data(as_text=True)
    answer = re.search(r'action="(/members/responses/\d+)"', clerk_page)[1]
    back = clerk.post(answer, data={"decision": "return", "reason": "号码请再核对", "csrf_token": csrf_of(clerk_page)})
    assert back.status_code == 303
    assert "党务干事退回了您上次提交的信息：号码请再核对" in phone.get(link).get_data(as_text=True)


def test_a_wrong_cell_is_fixed_on_the_result_page_and_the_corrected_workbook_kept(app, client):
    book = openpyxl.load_workbook(io.BytesIO(filled_workbook(SAMPLE)))
    sheet = book["党员名册"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == SAMPLE["members"][1]["name"])
    sheet.cell(row, 7).value = "博士"  # 学历
    sheet.cell(row, 10).value = "2099-13-01"  # 转正时间: no date
    out = io.BytesIO()
    book.save(out)
    first = upload_file(client, out.getvalue())
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    inputs = dict(re.findall(r'<(select|input) id="fix-\d+" name="(fix:[^"]+)"', page)[i][::-1] for i in range(2))
    assert set(inputs) == {f"fix:党员名册!G{row}", f"fix:党员名册!J{row}"}
    assert inputs[f"fix:党员名册!G{row}"] == "select" and inputs[f"fix:党员名册!J{row}"] == "input"
    assert f'name="fix:党员名册!J{row}" type="date"' in page
    fixed = client.post(first.headers["Location"] + "/fix", data={
        f"fix:党员名册!G{row}": "大学本科", f"fix:党员名册!J{row}": SAMPLE["members"][1]["full_member_date"],
        "csrf_token": csrf_of(page)})
    assert fixed.status_code == 303
    result = client.get(fixed.headers["Location"]).get_data(as_text=True)
    assert "数据检查通过" in result
    original = client.get(fixed.headers["Location"] + "/original")
    kept = openpyxl.load_workbook(io.BytesIO(original.data))["党员名册"]
    assert kept.cell(row, 7).value == "大学本科"
    with database(app).reading() as session:
        assert [s.source for s in session.query(Submission).order_by(Submission.id)] == ["upload", "fix"]
