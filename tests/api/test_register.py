"""PUT/GET /api/v1/campaign and /api/v1/register, DELETE /api/v1/register/<code> (issue 18 part 1): the
district's campaign and list, the branches of the list in GET /api/v1/branches from day one, a dataset
for a code not in the list kept and flagged, a dataset whose campaign differs warned."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.conftest import assert_error_shape
from tests.principals import bearer, token

T = datetime(2023, 7, 20, 4, tzinfo=timezone.utc)  # 7月20日 北京时间: tables overdue, 小结 not yet due


@pytest.fixture
def app_settings():
    return {"CLOCK": lambda: T}


def put(client, path, body, **kwargs):
    return client.put(path, json=body, **kwargs)


REGISTER = {"branches": [
    {"code": "WJ001", "name": "湖塘桥实验小学党支部", "full_name": "中共常州市武进区湖塘桥实验小学支部委员会",
     "unit_name": "常州市武进区湖塘桥实验小学", "org_type": "党支部", "contact": "王芳",
     "phone": "0519 8631 0611", "emails": ["DangBan@example.edu.cn"]},
    {"code": "WJ002", "name": "星河小学党支部"},
]}


def test_campaign_defaults_then_set(client):
    got = client.get("/api/v1/campaign").get_json()
    assert got == {"name": "党员组织关系排查", "stats_date": "2023-06-30", "defined": False, "deadlines": {
        "work_plan": "2023-06-20", "tables": "2023-07-15", "stage_summary": "2023-07-25", "final_report": "2023-10-15"}}
    body = {"name": "2024年党员组织关系排查", "stats_date": "2024-06-30",
            "deadlines": {"work_plan": "2024-06-20", "tables": "2024-07-15", "stage_summary": "2024-07-25",
                          "final_report": "2024-10-15"}}
    resp = put(client, "/api/v1/campaign", body)
    assert resp.status_code == 200, resp.get_json()
    assert client.get("/api/v1/campaign").get_json() == {**body, "defined": True}


def test_campaign_refusals_name_the_place(client):
    body = {"deadlines": {"work_plan": "2023-08-01"}}
    err = assert_error_shape(put(client, "/api/v1/campaign", body), 422)
    assert err["code"] == "invalid_register"
    assert [e["path"] for e in err["errors"]] == ["deadlines.final_report"]
    err = assert_error_shape(put(client, "/api/v1/campaign", {"stats_date": "2023-02-30"}), 422)
    assert err["errors"][0]["path"] == "stats_date"
    assert client.get("/api/v1/campaign").get_json()["defined"] is False
    blank = put(client, "/api/v1/campaign", {"stats_date": " ", "deadlines": {"final_report": ""}})
    assert blank.status_code == 200  # blank is none given, as in the contract: the notice's dates
    assert blank.get_json()["deadlines"]["final_report"] == "2023-10-15"
    client.put("/api/v1/campaign", json={})
    assert put(client, "/api/v1/campaign", {"name": "  "}).get_json()["name"] == "党员组织关系排查"  # blank: none given
    err = assert_error_shape(put(client, "/api/v1/campaign", {"name": ""}), 422)
    assert err["errors"] == [{"path": "name", "message": "名称不能为空"}]
    assert put(client, "/api/v1/campaign", {"name": None}).get_json()["name"] == "党员组织关系排查"  # null: none given


def test_register_is_added_updated_and_listed_from_day_one(client):
    resp = put(client, "/api/v1/register", REGISTER)
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json() == {"added": ["WJ001", "WJ002"], "updated": [], "total": 2}
    listed = client.get("/api/v1/register").get_json()["branches"]
    assert listed[0]["phone"] == "0519-86310611" and listed[0]["emails"] == ["dangban@example.edu.cn"]
    assert listed[1] == {"code": "WJ002", "name": "星河小学党支部", "full_name": None, "unit_name": None,
                         "org_type": None, "contact": None, "phone": None, "emails": [], "state": "active",
                         "state_label": "在册", "merged_into": None, "versions": 0}
    branches = client.get("/api/v1/branches").get_json()["branches"]
    assert [b["code"] for b in branches] == ["WJ001", "WJ002"]
    silent = branches[1]
    assert silent["latest"] is None and silent["registered"] is True and silent["flag"] is None
    assert [(d["deliverable"], d["status"]) for d in silent["deliverables"]] == [
        ("work_plan", "overdue"), ("tables", "overdue"), ("stage_summary", "not_due"), ("final_report", "not_due")]
    # an update keeps what it leaves out; nothing is deleted
    resp = put(client, "/api/v1/register", {"branches": [{"code": "WJ001", "name": "湖塘桥实小党支部"}]})
    assert resp.get_json() == {"added": [], "updated": ["WJ001"], "total": 2}
    first = client.get("/api/v1/register").get_json()["branches"][0]
    assert first["name"] == "湖塘桥实小党支部" and first["contact"] == "王芳"


def test_bad_register_names_every_row_and_stores_nothing(client):
    body = {"branches": [{"code": "WJ001", "name": "甲"}, {"code": "WJ001", "name": "乙"},
                         {"code": "WJ-3", "name": ""}, {"code": "WJ004", "name": "丁", "state": "merged"},
                         {"code": "WJ005", "name": "戊", "phone": "12345"}]}
    err = assert_error_shape(put(client, "/api/v1/register", body), 422)
    assert err["code"] == "invalid_register"
    paths = {e["path"] for e in err["errors"]}
    assert {"branches[1].code", "branches[2].code", "branches[2].name", "branches[3].merged_into",
            "branches[4].phone"} <= paths
    assert client.get("/api/v1/register").get_json() == {"branches": []}
    assert client.get("/api/v1/branches").get_json()["branches"] == []


def test_unregistered_code_is_kept_and_flagged(client, sample_data):
    put(client, "/api/v1/register", REGISTER)
    sample_data["org"]["code"] = "WJ099"
    resp = put(client, "/api/v1/branches/WJ099/dataset", sample_data)
    assert resp.status_code == 201
    notices = [w for w in resp.get_json()["warnings"] if w["rule"] == "not_registered"]
    assert notices and "编号不在区委教育工委的党组织名单中" in notices[0]["message"]
    rows = {b["code"]: b for b in client.get("/api/v1/branches").get_json()["branches"]}
    assert rows["WJ099"]["registered"] is False and rows["WJ099"]["flag"] == "编号不在区委教育工委的党组织名单中"
    detail = client.get("/api/v1/branches/WJ099").get_json()
    assert detail["flag"] == "编号不在区委教育工委的党组织名单中"


def test_no_flag_before_a_register_exists(client, sample_data):
    resp = put(client, f"/api/v1/branches/{sample_data['org']['code']}/dataset", sample_data)
    assert not [w for w in resp.get_json()["warnings"] if w["rule"] in ("not_registered", "campaign_differs")]
    assert client.get("/api/v1/branches").get_json()["branches"][0]["flag"] is None


def test_campaign_that_differs_is_warned(client, sample_data):
    put(client, "/api/v1/campaign", {"name": "2023年排查", "deadlines": {"final_report": "2023-10-20"}})
    code = sample_data["org"]["code"]
    assert "campaign" not in sample_data  # no block of its own: the district's governs, nothing to warn
    quiet = put(client, f"/api/v1/branches/{code}/dataset", sample_data).get_json()["warnings"]
    assert not [w for w in quiet if w["rule"] == "campaign_differs"]
    sample_data["campaign"] = {"stats_date": "2023-06-30", "deadlines": {"final_report": "2023-10-15"}}
    warned = [w for w in put(client, f"/api/v1/branches/{code}/dataset", sample_data).get_json()["warnings"]
              if w["rule"] == "campaign_differs"]
    assert len(warned) == 1 and warned[0]["path"] == "campaign"
    assert "工作总结报送期限为2023年10月15日，区里为2023年10月20日" in warned[0]["message"]
    sample_data["campaign"]["deadlines"]["final_report"] = "2023-10-20"
    same = put(client, f"/api/v1/branches/{code}/dataset", sample_data).get_json()["warnings"]
    assert not [w for w in same if w["rule"] == "campaign_differs"]


def test_delete_only_a_branch_that_sent_nothing(client, sample_data):
    code = sample_data["org"]["code"]
    put(client, "/api/v1/register", {"branches": [{"code": code, "name": "甲"}, {"code": "WJ002", "name": "乙"}]})
    assert put(client, f"/api/v1/branches/{code}/dataset", sample_data).status_code == 201
    err = assert_error_shape(client.delete(f"/api/v1/register/{code}"), 409)
    assert err["code"] == "branch_has_submissions" and "撤销" in err["message"] and "合并" in err["message"]
    assert client.delete("/api/v1/register/WJ002").status_code == 204
    assert [b["code"] for b in client.get("/api/v1/branches").get_json()["branches"]] == [code]
    assert assert_error_shape(client.delete("/api/v1/register/WJ002"), 404)["code"] == "unknown_branch"
    # marked instead: merged into another code
    resp = put(client, "/api/v1/register", {"branches": [{"code": code, "name": "甲", "state": "merged",
                                                          "merged_into": "WJ003"}]})
    assert resp.status_code == 200
    row = client.get("/api/v1/register").get_json()["branches"][0]
    assert (row["state_label"], row["merged_into"], row["versions"]) == ("合并", "WJ003", 1)


def test_only_the_district(app, client):
    clerk = bearer(token(app, "WJ001"))
    for method, path in (("get", "/api/v1/campaign"), ("put", "/api/v1/campaign"), ("get", "/api/v1/register"),
                         ("put", "/api/v1/register"), ("delete", "/api/v1/register/WJ001")):
        resp = getattr(client, method)(path, headers=clerk, json={})
        assert resp.status_code == 403, (method, path)


def test_not_json(client):
    assert assert_error_shape(client.put("/api/v1/register", data=b"{", content_type="application/json"),
                              400)["code"] == "bad_json"
