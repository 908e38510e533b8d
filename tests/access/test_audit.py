"""The audit trail: who uploaded, stored, reviewed, rendered, downloaded or was refused what, when, from
where, with which request id — in the database, on SQLite and PostgreSQL; read and filtered by the
district only; no ID number or phone in it; and nothing leaves when its row cannot be written."""
from __future__ import annotations

import io
import json
import sqlite3

import pytest

from service.access import audit
from service.intake.workbook import filled_workbook
from service.store import database
from service.store.access_tables import AuditEvent
from tests.conftest import make_app
from tests.principals import account, bearer, csrf_of, now, sign_in, signed_in, token


@pytest.fixture
def app_settings(db_url):
    return {"DATABASE_URL": db_url}


def rows(app) -> list[AuditEvent]:
    with database(app).reading() as session:
        return list(session.query(AuditEvent).order_by(AuditEvent.id))


def test_each_access_to_a_branchs_data_is_one_row(app, sample_data):
    account(app, "wj017", "clerk", "WJ017")
    clerk = signed_in(app, "wj017")
    csrf = csrf_of(clerk.get("/").get_data(as_text=True))
    resp = clerk.post("/upload", content_type="multipart/form-data",
                      data={"file": (io.BytesIO(filled_workbook(sample_data)), "表.xlsx"), "csrf_token": csrf})
    result = resp.headers["Location"]
    clerk.get(result)
    doc = clerk.get(f"{result}/documents/member_roster?format=xlsx")
    school = token(app, "WJ017", name="学校系统")
    put = app.test_client(anonymous=True).put("/api/v1/branches/WJ017/dataset", json=sample_data,
                                              headers=bearer(school))
    district = app.test_client()
    district.post("/api/v1/branches/WJ017/versions/2/review", json={"decision": "verified"})
    district.get("/api/v1/branches/WJ017/packages/tables")
    app.test_client(anonymous=True).get("/api/v1/district/campaign_summary", headers=bearer(school))  # refused
    seen = [(r.actor, r.action, r.branch_code, r.version, r.target, r.format, r.status) for r in rows(app)]
    district_actor = seen[-2][0]
    assert seen == [
        ("wj017", "login", None, None, None, None, 303),
        ("wj017", "upload", "WJ017", 1, "upload_file", None, 303),
        ("wj017", "view", "WJ017", 1, "result", None, 200),
        ("wj017", "download", "WJ017", 1, "documents/member_roster", "xlsx", 200),
        ("token:学校系统", "store", "WJ017", 2, "put_dataset", None, 201),
        (district_actor, "review", "WJ017", 2, "review", None, 201),
        (district_actor, "download", "WJ017", 2, "packages/tables", None, 200),
        ("token:学校系统", "denied", None, None, "campaign_summary", None, 403),
    ]
    assert district_actor.startswith("token:tests-district-")
    by_request = {r.request_id: r for r in rows(app)}
    assert by_request[doc.headers["X-Request-ID"]].target == "documents/member_roster"
    assert by_request[put.headers["X-Request-ID"]].address == "127.0.0.1"
    assert rows(app)[5].detail == "verified"


def test_failed_sign_ins_are_kept_with_the_name_tried_and_id_numbers_and_phones_are_masked(app):
    client = app.test_client(anonymous=True)
    sign_in(client, "320412197204180239", "x")  # an ID number typed as the account name
    with database(app).writing() as session:
        audit.record(session, audit.Entry(actor="13900087109", action="view", status=200,
                                          detail="李志强 320412197204180239 电话 0519-86310611"), now())
    text = json.dumps([[r.actor, r.detail] for r in rows(app)], ensure_ascii=False)
    assert "320412197204180239" not in text and "13900087109" not in text and "86310611" not in text
    assert [r.action for r in rows(app)] == ["login_failed", "view"]
    assert rows(app)[0].detail == "无此账号" and "[已遮蔽]" in rows(app)[1].detail


def test_the_district_reads_the_trail_filtered_and_in_pages(app, sample_data):
    district = app.test_client()
    for code in ("WJ017", "WJ018", "WJ017"):
        district.put(f"/api/v1/branches/{code}/dataset",
                     json={**sample_data, "org": {**sample_data["org"], "code": code}})
    body = district.get("/api/v1/audit?branch=WJ017&action=store&page_size=1").get_json()
    assert body["total"] == 2 and body["page"] == 1 and body["page_size"] == 1
    (newest,) = body["items"]
    assert newest["version"] == 2 and newest["action_label"] == "报送数据包（接口）" and newest["status"] == 201
    second = district.get("/api/v1/audit?branch=WJ017&action=store&page_size=1&page=2").get_json()["items"]
    assert second[0]["version"] == 1
    assert district.get("/api/v1/audit?since=2000-01-01&until=2000-01-02").get_json()["total"] == 0
    assert district.get("/api/v1/audit?until=2999-12-31T00:00:00Z").get_json()["total"] == 3  # reading it is no row
    bad = district.get("/api/v1/audit?since=yesterday&page=0&action=delete")
    assert bad.status_code == 400 and bad.get_json()["code"] == "bad_query"
    assert {e["path"] for e in bad.get_json()["errors"]} == {"since", "page", "action"}
    page = district.get("/district/audit?branch=WJ018").get_data(as_text=True)
    assert "访问记录" in page and "共 1 条" in page and "报送数据包（接口）" in page
    account(app, "wj017", "clerk", "WJ017")
    clerk = signed_in(app, "wj017")
    assert clerk.get("/api/v1/audit").status_code == 403 and clerk.get("/district/audit").status_code == 403
    assert app.test_client(anonymous=True).get("/api/v1/audit", headers=bearer(token(app, "WJ017"))).status_code == 403


def test_nothing_leaves_when_its_row_cannot_be_written(tmp_path, sample_data):
    """A download whose audit row the database will not take is not sent (503), so no download goes
    unaccounted for; the clerk may simply try again."""
    app = make_app(tmp_path, DATABASE_TIMEOUT=0.5)
    district = app.test_client()
    assert district.put("/api/v1/branches/WJ017/dataset", json=sample_data).status_code == 201
    holder = sqlite3.connect(tmp_path / "instance" / "paicha.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer that does not let go: reading works, writing waits
    try:
        resp = district.get("/api/v1/branches/WJ017/workbook")
        assert resp.status_code == 503 and resp.get_json()["code"] == "store_unavailable"
        assert resp.headers["Retry-After"] == "5" and not resp.data.startswith(b"PK")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    again = district.get("/api/v1/branches/WJ017/workbook")
    assert again.status_code == 200 and again.data.startswith(b"PK")
    assert [r.action for r in rows(app)] == ["store", "download"]
