"""报送, one deliverable at a time, through the API: each deliverable's status from its own 报送 time
(Beijing days, before, on and after each deadline), a re-报送 that replaces the first (history kept),
a 退回修改 that reopens, the 阶段性小结/工作总结 refused while their fields are empty, and who may send."""
from __future__ import annotations

import copy

import pytest

from tests.api.test_branches import put
from tests.conftest import assert_error_shape, beijing, post
from tests.principals import account, bearer, signed_in, token
from tools.synthetic import synthetic_branch


@pytest.fixture
def app_settings(db_url, clock):
    return {"DATABASE_URL": db_url, "CLOCK": clock}


def submit(client, code, deliverable, body=None, **kwargs):
    if body is None:
        return client.post(f"/api/v1/branches/{code}/deliverables/{deliverable}/submit", **kwargs)
    return post(client, f"/api/v1/branches/{code}/deliverables/{deliverable}/submit", body, **kwargs)


def statuses(client, code) -> dict:
    rows = {r["code"]: r for r in client.get("/api/v1/branches").get_json()["branches"]}
    return {d["deliverable"]: d["status"] for d in rows[code]["deliverables"]}


def filled(data: dict) -> dict:
    out = copy.deepcopy(data)
    out["stage_summary"] = {"checks": "逐人核对了三查三核。", "plan": "对失联党员按规定处置。"}
    out["final_report"] = {"work_done": "整改规范阶段补齐了组织关系。", "long_term_measures": ["每季度核对一次名册"]}
    return out


def test_storing_is_not_sending_and_each_deliverable_counts_from_its_own_send(client, clock):
    data = synthetic_branch(3, seed=1)
    clock.now = beijing(2023, 6, 10, 9, 0)
    assert put(client, "SYN1", data).status_code == 201
    assert statuses(client, "SYN1") == dict.fromkeys(("work_plan", "tables", "stage_summary", "final_report"), "not_due")
    clock.now = beijing(2023, 6, 20, 23, 59)  # the deadline's last minute, Beijing time
    sent = submit(client, "SYN1", "work_plan")
    assert sent.status_code == 201, sent.get_json()
    body = sent.get_json()
    assert (body["version"], body["submitted_at"], body["deliverable"]) == (1, "2023-06-20T15:59:00+00:00", "work_plan")
    assert body["verification_code"] and body["current"] and body["source"] == "api"
    clock.now = beijing(2023, 6, 21, 0, 0)
    assert statuses(client, "SYN1") == {"work_plan": "on_time", "tables": "not_due", "stage_summary": "not_due",
                                        "final_report": "not_due"}
    clock.now = beijing(2023, 7, 16, 0, 1)  # the tables' deadline passed, unsent
    assert statuses(client, "SYN1")["tables"] == "overdue"
    assert submit(client, "SYN1", "tables", {"version": 1}).status_code == 201
    assert statuses(client, "SYN1")["tables"] == "late"
    clock.now = beijing(2023, 7, 25, 12, 0)  # the stage summary: on its day, not yet due
    assert statuses(client, "SYN1")["stage_summary"] == "not_due"
    clock.now = beijing(2023, 7, 26, 0, 0)
    assert statuses(client, "SYN1")["stage_summary"] == "overdue"


def test_a_second_send_replaces_the_first_and_keeps_the_history(client, clock):
    data = synthetic_branch(3, seed=2)
    clock.now = beijing(2023, 6, 12, 9, 0)
    put(client, "SYN2", data)
    assert submit(client, "SYN2", "tables").status_code == 201
    clock.now = beijing(2023, 7, 20, 9, 0)
    changed = copy.deepcopy(data)
    changed["members"] = changed["members"][:-1]
    assert put(client, "SYN2", changed).status_code == 201
    second = submit(client, "SYN2", "tables", {})  # {}: the newest valid version
    assert second.status_code == 201 and second.get_json()["version"] == 2
    board = {d["deliverable"]: d for d in client.get("/api/v1/branches/SYN2/deliverables").get_json()["deliverables"]}
    tables = board["tables"]
    assert (tables["status"], tables["version"], tables["resent"]) == ("late", 2, True)
    assert [(h["version"], h["current"], h["replaced"]) for h in tables["history"]] == [(2, True, False),
                                                                                        (1, False, True)]
    listed = client.get("/api/v1/branches").get_json()["branches"][0]["deliverables"][1]
    assert listed["resent"] is True and listed["version"] == 2


def test_a_return_reopens_the_deliverables_sent_from_that_version(client, clock):
    clock.now = beijing(2023, 6, 12, 9, 0)
    put(client, "SYN3", synthetic_branch(3, seed=3))
    for deliverable in ("work_plan", "tables"):
        assert submit(client, "SYN3", deliverable).status_code == 201
    clock.now = beijing(2023, 6, 25, 9, 0)
    assert post(client, "/api/v1/branches/SYN3/versions/1/review",
                {"decision": "returned", "reason": "请补充联系方式"}).status_code == 201
    assert statuses(client, "SYN3")["work_plan"] == "overdue"  # sent back after its deadline: to send again
    assert statuses(client, "SYN3")["tables"] == "not_due"
    board = client.get("/api/v1/branches/SYN3/deliverables").get_json()["deliverables"]
    assert board[0]["reopened"] is True and board[0]["history"][0]["reopened_at"] == "2023-06-25T01:00:00+00:00"
    assert submit(client, "SYN3", "work_plan").status_code == 201
    after = client.get("/api/v1/branches/SYN3/deliverables").get_json()["deliverables"][0]
    assert (after["status"], after["resent"], after["reopened"]) == ("late", True, False)


def test_the_summaries_wait_for_the_fields_they_report_on(client, clock):
    data = synthetic_branch(3, seed=4)
    clock.now = beijing(2023, 7, 20, 9, 0)
    put(client, "SYN4", data)
    refused = submit(client, "SYN4", "stage_summary")
    body = assert_error_shape(refused, 422)
    assert body["code"] == "incomplete_deliverable"
    assert [e["path"] for e in body["errors"]] == ["stage_summary.checks", "stage_summary.plan"]
    assert "三查三核情况" in body["message"] and "初步处理方案" in body["message"]
    final = assert_error_shape(submit(client, "SYN4", "final_report"), 422)
    assert [e["path"] for e in final["errors"]] == ["final_report.work_done", "final_report.long_term_measures"]
    assert "长效化管理措施" in final["errors"][1]["message"]
    assert put(client, "SYN4", filled(data)).status_code == 201
    assert submit(client, "SYN4", "stage_summary").status_code == 201
    assert submit(client, "SYN4", "final_report").status_code == 201
    assert submit(client, "SYN4", "stage_summary", {"version": 1}).status_code == 422  # version 1 lacks them


def test_refusals_name_the_version(client, clock):
    clock.now = beijing(2023, 6, 12, 9, 0)
    assert assert_error_shape(submit(client, "NONE1", "tables"), 404)["code"] == "unknown_branch"
    put(client, "SYN5", {**synthetic_branch(3, seed=5), "members": []})  # rejected only
    assert assert_error_shape(submit(client, "SYN5", "tables"), 409)["code"] == "no_valid_version"
    assert assert_error_shape(submit(client, "SYN5", "tables", {"version": 1}), 409)["code"] == "no_valid_version"
    assert assert_error_shape(submit(client, "SYN5", "tables", {"version": 7}), 404)["code"] == "unknown_version"
    bad = assert_error_shape(submit(client, "SYN5", "tables", {"version": "2"}), 422)
    assert bad["errors"][0]["path"] == "version"
    assert client.post("/api/v1/branches/SYN5/deliverables/other/submit", json={}).status_code == 404


def test_the_branchs_clerk_may_send_and_another_branch_may_not(app, client, clock, sample_data):
    clock.now = beijing(2023, 6, 12, 9, 0)
    code = sample_data["org"]["code"]
    assert put(client, code, sample_data).status_code == 201
    account(app, "clerk1", "clerk", code)
    clerk = signed_in(app, "clerk1")
    csrf = clerk.get("/").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    resp = clerk.post(f"/api/v1/branches/{code}/deliverables/tables/submit", json={}, headers={"X-CSRFToken": csrf})
    assert resp.status_code == 201 and resp.get_json()["actor"]
    other = app.test_client(anonymous=True)
    resp = other.post(f"/api/v1/branches/{code}/deliverables/work_plan/submit", json={},
                      headers=bearer(token(app, "OTHER1", name="other-school")))
    assert resp.status_code == 404
