"""The clerk's roster import pages through Flask's test client, on both databases: upload, the mapping
table, a changed mapping, the preview (nothing stored), the store, the result page; every refusal at
the place it concerns."""
from __future__ import annotations

import io
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import undefer

from service.domain import idcard
from service.store import database
from service.store.models import Submission
from service.store.roster_tables import RosterMapping, RosterUpload
from tests.databases import count_rows
from tests.principals import account, csrf_of, signed_in

from .roster_files import NEW, school_roster


@pytest.fixture
def app_settings(db_url):
    return {"DATABASE_URL": db_url}


@pytest.fixture
def clerk(app, sample_data):
    """The sample branch stored by the district; its clerk signed in."""
    assert app.test_client().put("/api/v1/branches/WJ017/dataset", json=sample_data).status_code == 201
    account(app, "wj017", "clerk", "WJ017")
    return signed_in(app, "wj017")


def versions(app) -> int:
    return count_rows(database(app), Submission)


def upload(client, content: bytes, name: str = "党员花名册.xlsx", **form):
    csrf = csrf_of(client.get("/roster").get_data(as_text=True))
    return client.post("/roster", data={"file": (io.BytesIO(content), name), "csrf_token": csrf, **form},
                       content_type="multipart/form-data")


def mapping_form(html: str) -> dict:
    """The mapping page's form as the browser would send it: the selected option of every select."""
    form = {"csrf_token": csrf_of(html), "sheet": re.search(r'name="sheet" value="([^"]*)"', html)[1]}
    for name, options in re.findall(r'<select name="(map-[A-Z]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        form[name] = chosen[1] if chosen else ""
    return form


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_upload_confirm_a_changed_mapping_preview_and_store(app, clerk, sample_data):
    home = clerk.get("/").get_data(as_text=True)
    assert 'href="/roster"' in home and "从花名册导入" in home
    content = school_roster(sample_data)
    resp = upload(clerk, content)
    assert resp.status_code == 303, resp.get_data(as_text=True)[:800]
    mapping_url = resp.headers["Location"]
    page = clerk.get(mapping_url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    shown = text(html)
    assert "工作表「党员名册」" in shown and "表头在第 2、3 行" in shown and "读出 5 名党员" in shown
    rows = dict(re.findall(r'<td class="cell" data-label="列">([A-Z]+)</td>\s*<td class="header" data-label="列名">([^<]*)</td>', html))
    assert rows == {"A": "序号", "B": "姓名", "C": "公民身份号码", "D": "工作岗位", "E": "联系电话/手机号",
                    "F": "联系电话/固定电话", "G": "学历"}
    form = mapping_form(html)
    assert {k: v for k, v in form.items() if k.startswith("map-")} == {
        "map-A": "", "map-B": "name", "map-C": "id_number", "map-D": "job_post", "map-E": "phone", "map-F": "",
        "map-G": "education"}
    zhou = sample_data["members"][0]
    assert idcard.mask(zhou["id_number"]) in html and zhou["id_number"] not in html  # samples masked
    assert zhou["phone"] not in html and "0519-86310612" not in html
    assert "C8 身份证号以数字形式保存" in shown  # 李四's ID typed as a number, by its cell
    assert "不导入的列：A「序号」、F「联系电话/固定电话」" in shown
    assert versions(app) == 1 and content not in html.encode()

    form.update({"map-E": "", "map-F": "phone"})  # the clerk takes the landline column instead
    resp = clerk.post(mapping_url + "/preview", data=form)
    assert resp.status_code == 303 and resp.headers["Location"] == mapping_url + "/preview"
    preview = clerk.get(resp.headers["Location"])
    shown = text(preview.get_data(as_text=True))
    assert preview.status_code == 200 and versions(app) == 1  # nothing stored by a preview
    assert "还没有保存" in shown and "以本支部现有的第 1 版数据（通过校验）为基础" in shown
    assert f"新党员 {idcard.mask(NEW)}" in shown
    assert "周建华（3204**********0239） 4 工作岗位（职务） 校长、党支部书记 → 校长" in shown
    assert "王丽萍（3204**********0266） 6 联系电话 139****2947 → 051******0612" in shown  # phones masked
    assert "花名册中没有的党员（9 名）" in shown and "仍保留" in shown
    assert "「新党员」（花名册第7行） 「性别」「民族」「党员类别」「入党时间」「人员类别」：缺少必填项" in shown
    assert "陈晓燕" not in shown.split("信息有变化的党员")[1].split("花名册中没有的党员")[0]  # her mobile not taken: no change

    store_form = {"csrf_token": csrf_of(preview.get_data(as_text=True))}
    stored = clerk.post(mapping_url + "/store", data=store_form)
    assert stored.status_code == 303 and stored.headers["Location"].startswith("/result/")
    result = clerk.get(stored.headers["Location"])
    assert result.status_code == 200 and "党员「新党员」（花名册第7行）的「民族」：缺少必填项" in result.get_data(as_text=True)
    assert versions(app) == 2
    with database(app).reading() as session:
        sub = session.scalar(select(Submission).where(Submission.version == 2).options(undefer(Submission.input),
                                                                                       undefer(Submission.raw)))
        kept = session.scalars(select(RosterMapping)).one()
    assert (sub.source, sub.actor, sub.raw, sub.filename) == ("roster", "wj017", content, "党员花名册.xlsx")
    members = sub.input["members"]
    assert members[0]["job_post"] == "校长" and members[0]["phone"] == zhou["phone"]  # 手机号 column not imported
    assert members[2]["phone"] == "0519-86310612" and [m["name"] for m in members[12:]] == ["新党员", "李四"]
    assert kept.branch_code == "WJ017" and ["联系电话/固定电话", "phone"] in kept.mapping and ["联系电话/手机号", None] in kept.mapping

    again = clerk.post(mapping_url + "/store", data=store_form)  # a second click: the same result, no new version
    assert again.status_code == 303 and again.headers["Location"] == stored.headers["Location"] and versions(app) == 2

    second = upload(clerk, content, "下学期花名册.xlsx")  # the same headers: the confirmed mapping is proposed
    html = clerk.get(second.headers["Location"]).get_data(as_text=True)
    assert "已按那次确认的对应关系填好" in html and "本支部上次导入" in html
    chosen = mapping_form(html)
    assert (chosen["map-E"], chosen["map-F"]) == ("", "phone")


def test_a_mapping_with_a_field_twice_or_no_name_is_shown_again_with_the_error_at_its_columns(app, clerk, sample_data):
    url = upload(clerk, school_roster(sample_data)).headers["Location"]
    form = mapping_form(clerk.get(url).get_data(as_text=True))
    resp = clerk.post(url + "/preview", data={**form, "map-F": "phone"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    errors = dict(re.findall(r'<div class="field-error" id="err-([A-Z]+)" role="alert">([^<]+)</div>', html))
    assert errors == {"E": "「联系电话」同时选给了F 列：每项信息只能对应一列，请改选或选「不导入」",
                      "F": "「联系电话」同时选给了E 列：每项信息只能对应一列，请改选或选「不导入」"}
    assert 'aria-invalid="true" aria-describedby="err-E"' in html
    assert mapping_form(html)["map-F"] == "phone"  # the clerk's choice kept to correct it
    resp = clerk.post(url + "/preview", data={**form, "map-B": "", "map-C": ""})
    assert resp.status_code == 422 and "请至少为「姓名」或「公民身份号码」选择一列" in resp.get_data(as_text=True)
    resp = clerk.post(url + "/preview", data={**form, "map-D": "salary"})
    assert resp.status_code == 422 and "请从列表中选择要对应的信息" in resp.get_data(as_text=True)
    with database(app).reading() as session:
        assert session.scalar(select(RosterUpload.mapping)) is None  # nothing confirmed
    assert clerk.get(url + "/preview").status_code == 303  # no preview before a confirmed mapping


def test_a_file_that_is_no_roster_is_refused_on_the_form_with_the_reason(app, clerk):
    resp = upload(clerk, b"\x89PNG\r\n\x1a\n" + b"0" * 100, "照片.xlsx")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "未能导入" in html and 'name="file"' in html
    assert "图片" in text(html)
    resp = clerk.post("/roster", data={"csrf_token": csrf_of(clerk.get("/roster").get_data(as_text=True))},
                      content_type="multipart/form-data")
    assert resp.status_code == 400 and "请先点击“选择文件”" in resp.get_data(as_text=True)
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    resp = upload(clerk, b"x" * (80 * 1024), "大.csv")
    assert resp.status_code == 413
    assert count_rows(database(app), RosterUpload) == 0


def test_every_form_needs_its_csrf_token(app, clerk, sample_data):
    resp = clerk.post("/roster", data={"file": (io.BytesIO(school_roster(sample_data)), "名册.xlsx")},
                      content_type="multipart/form-data")
    assert resp.status_code == 400 and "页面已过期" in resp.get_data(as_text=True)
    url = upload(clerk, school_roster(sample_data)).headers["Location"]
    form = mapping_form(clerk.get(url).get_data(as_text=True))
    assert clerk.post(url + "/preview", data={k: v for k, v in form.items() if k != "csrf_token"}).status_code == 400
    assert clerk.post(url + "/preview", data=form).status_code == 303
    assert clerk.post(url + "/store", data={}).status_code == 400 and versions(app) == 1


def test_the_waiting_roster_is_its_uploaders_only_and_expires(app, clerk, sample_data):
    url = upload(clerk, school_roster(sample_data)).headers["Location"]
    account(app, "wj017b", "clerk", "WJ017")
    account(app, "wj018", "clerk", "WJ018")
    account(app, "zhang", "district")
    for login in ("wj017b", "wj018", "zhang"):
        other = signed_in(app, login)
        assert other.get(url).status_code == 404, login
        assert other.get(url + "/preview").status_code == 404, login
    assert clerk.get(url[:-3] + "abc").status_code == 404
    later = datetime.now(timezone.utc) + timedelta(hours=24, minutes=1)
    app.config["CLOCK"] = lambda: later
    resp = clerk.get(url)
    assert resp.status_code == 400 and "已超过 24 小时" in resp.get_data(as_text=True) and "请重新上传" in resp.get_data(as_text=True)


def test_district_staff_name_the_branch_they_import_for(app, clerk, sample_data):
    account(app, "zhang", "district")
    staff = signed_in(app, "zhang")
    form = staff.get("/roster").get_data(as_text=True)
    assert 'name="code"' in form
    resp = upload(staff, school_roster(sample_data), code="WJ/17")
    assert resp.status_code == 400 and "请填写要导入的支部编号" in resp.get_data(as_text=True)
    resp = upload(staff, school_roster(sample_data), code="WJ017")
    assert resp.status_code == 303
    assert "导入到支部 WJ017" in staff.get(resp.headers["Location"]).get_data(as_text=True)
    clerk_form = clerk.get("/roster").get_data(as_text=True)
    assert 'name="code"' not in clerk_form and "支部 WJ017" in clerk_form
