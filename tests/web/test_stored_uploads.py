"""The clerk's uploads are submissions: kept whatever they are, result pages that outlive the app."""
from __future__ import annotations

import io
from datetime import datetime, timezone

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import undefer

from service.intake.workbook import filled_workbook
from service.store import database
from service.store.models import Branch, Submission
from tests.conftest import make_app, upload_file


@pytest.fixture
def app_settings(db_url):
    return {"DATABASE_URL": db_url}


def stored(app) -> list[Submission]:
    with database(app).reading() as session:
        return session.scalars(select(Submission).order_by(Submission.id).options(
            undefer(Submission.raw), undefer(Submission.errors))).all()


def test_an_upload_is_the_branchs_next_version_and_its_page_outlives_the_app(tmp_path, db_url, sample_data):
    app = make_app(tmp_path, DATABASE_URL=db_url)
    content = filled_workbook(sample_data)
    resp = upload_file(app.test_client(), content)
    assert resp.status_code == 303
    url = resp.headers["Location"]
    (sub,) = stored(app)
    assert (sub.source, sub.version, sub.valid, sub.raw_kind, sub.filename) == ("upload", 1, True, "xlsx", "数据采集表.xlsx")
    assert sub.raw == content and url.endswith(sub.token)
    database(app).dispose()
    again = make_app(tmp_path, DATABASE_URL=db_url)  # a restart: a new app on the same database
    html = again.test_client().get(url).get_data(as_text=True)
    assert "数据检查通过" in html and "星河实验小学党支部" in html and "待核查" in html
    original = again.test_client().get(f"{url}/original")
    assert original.data == content
    api = again.test_client().get("/api/v1/branches/WJ017").get_json()
    assert api["versions"][0]["source"] == "upload"


def test_a_returned_version_shows_the_reason_on_the_clerks_page(tmp_path, db_url, sample_data):
    evening = datetime(2023, 6, 20, 17, 0, tzinfo=timezone.utc)  # already 6月21日 in Beijing
    client = make_app(tmp_path, DATABASE_URL=db_url, CLOCK=lambda: evening).test_client()
    url = upload_file(client, filled_workbook(sample_data)).headers["Location"]
    client.post("/api/v1/branches/WJ017/versions/1/review", json={"decision": "returned", "reason": "请补充李志强的外出地点"})
    html = client.get(url).get_data(as_text=True)
    assert "区委教育工委核查：退回修改" in html and "退回原因：请补充李志强的外出地点" in html
    assert "（第1版，2023年6月21日）" in html
    url2 = upload_file(client, filled_workbook(sample_data)).headers["Location"]
    assert "本支部已保存更新的第2版" in client.get(url).get_data(as_text=True)
    client.post("/api/v1/branches/WJ017/versions/2/review", json={"decision": "verified"})
    assert "区委教育工委核查：已核查" in client.get(url2).get_data(as_text=True)


def test_a_workbook_with_errors_is_a_rejected_version_with_its_cells(app, sample_data):
    wb = openpyxl.load_workbook(io.BytesIO(filled_workbook(sample_data)))
    wb["党员名册"]["E6"].value = "320412197911230265"
    out = io.BytesIO()
    wb.save(out)
    url = upload_file(app.test_client(), out.getvalue()).headers["Location"]
    (sub,) = stored(app)
    assert (sub.version, sub.valid) == (1, False)
    assert any(e.get("cell") == "E6" for e in sub.errors)
    assert "发现 1 处错误" in app.test_client().get(url).get_data(as_text=True)


def test_a_file_naming_no_branch_is_kept_without_one(app, sample_data):
    data = dict(sample_data, org={**sample_data["org"], "code": ""})
    url = upload_file(app.test_client(), filled_workbook(data)).headers["Location"]
    (sub,) = stored(app)
    assert (sub.branch_id, sub.version, sub.valid) == (None, None, False)
    assert app.test_client().get(url).status_code == 200
    with database(app).reading() as session:
        assert session.scalar(select(Branch)) is None


def test_a_refused_file_is_kept_and_the_form_says_why(app):
    resp = upload_file(app.test_client(), b"%PDF-1.7 a scanned form", "扫描件.pdf")
    assert resp.status_code == 400 and "只能上传数据采集表" in resp.get_data(as_text=True)
    (sub,) = stored(app)
    assert (sub.raw, sub.raw_kind, sub.filename, sub.valid) == (b"%PDF-1.7 a scanned form", "other", "扫描件.pdf", False)
    assert "只能上传数据采集表" in sub.errors[0]["message"]
