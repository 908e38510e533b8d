"""The branch API end to end through Flask's test client, on SQLite and on PostgreSQL."""
from __future__ import annotations

import copy
import io
import json
import re
import zipfile
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote

import pytest

import schemas
from service.domain import figures, idcard
from service.domain.verification import verification_code
from service.intake.check import check_workbook

NEWCOMER_ID = "32041219900101001" + idcard.check_char("32041219900101001")


@pytest.fixture
def app_settings(db_url, clock):
    return {"DATABASE_URL": db_url, "CLOCK": clock}


def put(client, code, data, **params):
    body = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()
    return client.put(f"/api/v1/branches/{code}/dataset", data=body, content_type="application/json", query_string=params)


def changed(data: dict) -> dict:
    """The sample branch one month on: a member added, one removed, one changed, a new contact phone."""
    new = copy.deepcopy(data)
    gone = new["members"].pop(1)  # 陈晓燕
    member = new["members"][0]
    member["phone"] = "13900000001"
    member["home_address"] = "常州市武进区新地址1号"
    newcomer = copy.deepcopy(gone)
    newcomer.update(name="赵新", id_number=NEWCOMER_ID, gender="男", person_category="离退休人员")
    new["members"].append(newcomer)
    new["org"]["contact_phone"] = "0519-86310612"
    return new, gone, member, newcomer


def test_a_valid_dataset_becomes_version_1_with_its_verification_code(client, sample_data, clock):
    resp = put(client, "WJ017", sample_data, actor="星河实验小学 陈晓燕")
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    ds = schemas.load_dataset(sample_data)
    assert body["code"] == "WJ017" and body["version"] == 1 and body["valid"] is True
    assert body["verification_code"] == verification_code(ds)
    assert datetime.fromisoformat(body["submitted_at"]) == clock.now
    assert any(w["rule"] == "FLOW-TRANSFER" for w in body["warnings"])
    detail = client.get("/api/v1/branches/WJ017").get_json()
    (version,) = detail["versions"]
    assert version["source"] == "api" and version["valid"] is True
    assert re.fullmatch(r"token:tests-district-[0-9a-f]+（星河实验小学 陈晓燕）", version["actor"])  # who sent it, and the note
    latest = detail["latest_valid"]
    assert latest["figures"]["campaign_summary"] == figures.campaign_summary(ds)
    assert latest["figures"]["outgoing_summary"] == figures.outgoing_summary(ds)
    assert latest["warnings"] == body["warnings"] and latest["in_scope"] == 12
    assert detail["name"] == "星河实验小学党支部" and detail["latest_errors"] == []


def test_a_rejected_dataset_is_stored_listed_and_answered_with_every_error(client, sample_data):
    assert put(client, "WJ017", sample_data).status_code == 201
    bad = copy.deepcopy(sample_data)
    bad["members"][0]["id_number"] = "320412197204180238"
    bad["members"][2]["join_date"] = "2030-13-01"
    resp = put(client, "WJ017", bad)
    assert resp.status_code == 422
    err = resp.get_json()
    assert err["code"] == "invalid_dataset" and "已保存为第2版" in err["message"]
    paths = {e["path"] for e in err["errors"]}
    assert {"members[0].id_number", "members[2].join_date"} <= paths
    (row,) = client.get("/api/v1/branches").get_json()["branches"]
    assert (row["versions"], row["rejected"]) == (2, 1)
    assert row["latest"]["version"] == 2 and row["latest"]["valid"] is False and row["latest"]["errors"] == len(paths)
    assert row["latest_valid"]["version"] == 1
    detail = client.get("/api/v1/branches/WJ017").get_json()
    assert [v["version"] for v in detail["versions"]] == [2, 1]
    assert {e["path"] for e in detail["latest_errors"]} == paths


def test_the_address_and_the_dataset_must_name_the_same_branch(client, sample_data):
    resp = put(client, "WJ018", sample_data)
    assert resp.status_code == 422
    assert resp.get_json()["errors"] == [{"path": "org.code", "message": "学校党组织编号「WJ017」与地址中的支部编号「WJ018」不一致"}]
    detail = client.get("/api/v1/branches/WJ018").get_json()
    assert detail["versions"][0]["valid"] is False  # kept, under the address's branch
    assert client.get("/api/v1/branches/WJ017").status_code == 404


def test_a_body_that_is_not_json_is_kept_too(client):
    resp = put(client, "WJ017", b"{\"org\": ")
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["code"] == "bad_json" and "已保存为第1版" in body["message"]
    assert client.get("/api/v1/branches/WJ017").get_json()["latest_errors"][0]["message"].startswith("请求体不是有效的 JSON")


def test_an_address_that_cannot_name_a_branch_stores_nothing(client, sample_data):
    resp = put(client, "WJ-017", sample_data)
    assert resp.status_code == 404 and resp.get_json()["code"] == "unknown_branch"
    assert client.get("/api/v1/branches").get_json()["branches"] == []


def test_unknown_branches_versions_and_packages_are_404_in_chinese(client, sample_data):
    put(client, "WJ017", sample_data)
    cases = {
        "/api/v1/branches/NOPE": "unknown_branch",
        "/api/v1/branches/WJ017/versions/1/diff/9": "unknown_version",
        "/api/v1/branches/WJ017/packages/nope": "unknown_document",
        "/api/v1/branches/NOPE/workbook": "unknown_branch",
        "/api/v1/branches/WJ017/versions/0/diff/1": "not_found",
    }
    for url, code in cases.items():
        resp = client.get(url)
        assert resp.status_code == 404 and resp.get_json()["code"] == code, url
        assert any("\u4e00" <= ch <= "\u9fff" for ch in resp.get_json()["message"])


def test_the_diff_lists_added_removed_and_changed_members_and_moved_figures(client, sample_data):
    put(client, "WJ017", sample_data)
    new, gone, member, newcomer = changed(sample_data)
    assert put(client, "WJ017", new).status_code == 201
    diff = client.get("/api/v1/branches/WJ017/versions/1/diff/2").get_json()
    assert (diff["code"], diff["from_version"], diff["to_version"]) == ("WJ017", 1, 2)
    assert diff["members"]["added"] == [{"name": "赵新", "id_number": idcard.mask(NEWCOMER_ID)}]
    assert diff["members"]["removed"] == [{"name": gone["name"], "id_number": "3204**********0246"}]
    (one,) = diff["members"]["changed"]
    assert one["name"] == member["name"]
    assert {c["path"]: (c["before"], c["after"]) for c in one["fields"]} == {
        "phone": (sample_data["members"][0]["phone"], "13900000001"),
        "home_address": (sample_data["members"][0]["home_address"], "常州市武进区新地址1号")}
    assert {c["path"] for c in diff["fields"]} == {"org.contact_phone"}
    moved = {m["code"]: (m["before"], m["after"]) for m in diff["figures"]["campaign_summary"]}
    old, now = figures.campaign_summary(schemas.load_dataset(sample_data)), figures.campaign_summary(schemas.load_dataset(new))
    assert moved == {code: (old[code], now[code]) for code in old if old[code] != now[code]} and moved
    assert diff["figures"]["outgoing_summary"] == []  # 陈晓燕 and 赵新 are both at home
    back = client.get("/api/v1/branches/WJ017/versions/2/diff/1").get_json()
    assert back["members"]["added"] == diff["members"]["removed"]


def test_a_rejected_version_cannot_be_compared_or_reviewed(client, sample_data):
    put(client, "WJ017", sample_data)
    put(client, "WJ017", {**sample_data, "members": []})
    resp = client.get("/api/v1/branches/WJ017/versions/1/diff/2")
    assert resp.status_code == 409 and resp.get_json()["code"] == "no_valid_version"
    resp = client.post("/api/v1/branches/WJ017/versions/2/review", json={"decision": "verified"})
    assert resp.status_code == 409


def test_review_history_state_and_the_diff_since_the_returned_version(client, sample_data, clock):
    put(client, "WJ017", sample_data)
    url = "/api/v1/branches/WJ017/versions/1/review"
    resp = client.post(url, json={"decision": "returned", "reason": "  "})
    assert resp.status_code == 422 and resp.get_json()["errors"] == [{"path": "reason", "message": "退回修改须写明原因"}]
    resp = client.post(url, json={"decision": "maybe", "extra": 1})
    assert resp.status_code == 422 and {e["path"] for e in resp.get_json()["errors"]} == {"decision", "extra"}
    clock.now += timedelta(days=1)
    resp = client.post(url, json={"decision": "returned", "reason": "李志强外出地点不详，请补充", "reviewer": "王华英"})
    assert resp.status_code == 201
    reviewed = resp.get_json()
    assert reviewed == {"code": "WJ017", "version": 1, "decision": "returned", "label": "退回修改",
                        "reason": "李志强外出地点不详，请补充", "reviewer": reviewed["reviewer"],
                        "reviewed_at": clock.now.astimezone(timezone.utc).isoformat()}
    assert re.fullmatch(r"token:tests-district-[0-9a-f]+（王华英）", reviewed["reviewer"])  # the token that decided
    (row,) = client.get("/api/v1/branches").get_json()["branches"]
    assert row["review"]["state"] == "returned" and row["review"]["reason"] == "李志强外出地点不详，请补充"
    assert client.get("/api/v1/branches/WJ017").get_json()["since_returned"] is None  # nothing new yet
    new, *_ = changed(sample_data)
    put(client, "WJ017", new)
    (row,) = client.get("/api/v1/branches").get_json()["branches"]
    assert row["review"] == {**row["review"], "state": "pending", "label": "待核查", "version": 2, "reason": None}
    detail = client.get("/api/v1/branches/WJ017").get_json()
    since = detail["since_returned"]
    assert (since["from_version"], since["to_version"]) == (1, 2)
    assert since["diff"]["members"]["added"][0]["name"] == "赵新"
    client.post("/api/v1/branches/WJ017/versions/2/review", json={"decision": "verified"})
    detail = client.get("/api/v1/branches/WJ017").get_json()
    assert [r["decision"] for r in detail["reviews"]] == ["returned", "verified"]  # every review kept
    assert detail["review"]["state"] == "verified" and detail["versions"][0]["review"]["label"] == "已核查"


def test_a_code_printed_on_paper_finds_its_version_however_it_is_typed(client, sample_data):
    code = put(client, "WJ017", sample_data).get_json()["verification_code"]
    typed = "校验码：" + code.lower().replace("-", " ").translate(str.maketrans("0123456789abcdef", "０１２３４５６７８９ａｂｃｄｅｆ"))
    body = client.get(f"/api/v1/verify/{typed}").get_json()
    assert body["verification_code"] == code
    (match,) = body["matches"]
    assert (match["code"], match["version"], match["is_latest_valid"], match["latest_valid_version"]) == ("WJ017", 1, True, 1)
    new, *_ = changed(sample_data)
    put(client, "WJ017", new)
    (match,) = client.get(f"/api/v1/verify/{code}").get_json()["matches"]
    assert (match["version"], match["is_latest_valid"], match["latest_valid_version"]) == (1, False, 2)
    put(client, "WJ017", sample_data)  # back to the first content: the paper matches the newest again
    (match,) = client.get(f"/api/v1/verify/{code}").get_json()["matches"]
    assert (match["versions"], match["is_latest_valid"], match["latest_valid_version"]) == ([1, 3], True, 3)
    for typed, words in (("0000-0000", "没有找到校验码为 0000-0000"), ("hello", "不是校验码")):
        resp = client.get(f"/api/v1/verify/{typed}")
        assert resp.status_code == 404 and resp.get_json()["code"] == "unknown_code" and words in resp.get_json()["message"]


def test_packages_come_from_the_newest_valid_version_and_are_rendered_once(client, sample_data, monkeypatch):
    assert client.get("/api/v1/branches/WJ017/packages/tables").status_code == 404
    put(client, "WJ017", {**sample_data, "members": []})
    resp = client.get("/api/v1/branches/WJ017/packages/tables")
    assert resp.status_code == 409 and resp.get_json()["code"] == "no_valid_version"
    put(client, "WJ017", sample_data)
    from service.documents import stored

    rendered = []
    real = stored.packages.render_package
    monkeypatch.setattr(stored.packages, "render_package", lambda *a, **k: rendered.append(a[1]) or real(*a, **k))
    first = client.get("/api/v1/branches/WJ017/packages/tables?format=office")
    assert first.status_code == 200 and first.mimetype == "application/zip"
    assert unquote(first.headers["Content-Disposition"].split("''")[1]) == "WJ017-星河实验小学党支部-党员组织关系排查相关表格.zip"
    assert len(zipfile.ZipFile(io.BytesIO(first.data)).namelist()) == 7
    second = client.get("/api/v1/branches/WJ017/packages/tables")
    assert second.data == first.data and rendered == ["tables"]
    resp = client.get("/api/v1/branches/WJ017/packages/print")
    assert resp.status_code == 503 and resp.get_json()["code"] == "pdf_unavailable"
    assert client.get("/api/v1/branches/WJ017/packages/print?format=office").status_code == 400


def test_the_workbook_comes_back_filled_with_the_newest_valid_version(client, sample_data):
    put(client, "WJ017", sample_data)
    put(client, "WJ017", {**sample_data, "members": []})  # rejected: the workbook keeps the valid data
    resp = client.get("/api/v1/branches/WJ017/workbook")
    assert resp.status_code == 200
    assert unquote(resp.headers["Content-Disposition"].split("''")[1]) == "WJ017-星河实验小学党支部-数据采集表.xlsx"
    checked = check_workbook(resp.data)
    assert checked.ok and checked.dataset == schemas.load_dataset(sample_data)
