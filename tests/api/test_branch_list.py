"""The district's list: deadline status through real submissions, and a fixed number of queries."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from service.jobs import reminders as reminder_jobs
from service.intake.received import from_json_body
from service.store import database, submissions
from tests.api.test_branches import put
from tests.conftest import beijing
from tools.statements import statements
from tools.synthetic import synthetic_branch

import pytest


@pytest.fixture
def app_settings(db_url, clock):
    return {"DATABASE_URL": db_url, "CLOCK": clock}


def statuses(client, code) -> dict:
    rows = {r["code"]: r for r in client.get("/api/v1/branches").get_json()["branches"]}
    return {d["deliverable"]: d["status"] for d in rows[code]["deliverables"]}


def send(client, code, deliverable="work_plan"):
    return client.post(f"/api/v1/branches/{code}/deliverables/{deliverable}/submit", json={})


def test_deadline_status_of_branches_sending_before_on_and_after_the_first_deadline(client, clock):
    on_time, late, missing = (synthetic_branch(3, seed=s) for s in (1, 2, 3))
    clock.now = beijing(2023, 6, 20, 23, 30)  # the deadline's last half hour
    assert put(client, "SYN1", on_time).status_code == 201 and send(client, "SYN1").status_code == 201
    assert put(client, "SYN2", late).status_code == 201  # 保存 before the deadline …
    clock.now = beijing(2023, 6, 21, 0, 10)  # … 报送 ten minutes too late
    assert send(client, "SYN2").status_code == 201
    assert put(client, "SYN3", {**missing, "members": []}).status_code == 422  # rejected: nothing to send
    clock.now = beijing(2023, 7, 1, 8, 0)
    assert put(client, "SYN1", {**on_time, "members": []}).status_code == 422  # a later failure changes nothing
    clock.now = beijing(2023, 7, 15, 12, 0)
    assert statuses(client, "SYN1") == {"work_plan": "on_time", "tables": "not_due", "stage_summary": "not_due",
                                        "final_report": "not_due"}
    assert statuses(client, "SYN2")["work_plan"] == "late"
    assert statuses(client, "SYN3") == {"work_plan": "overdue", "tables": "not_due", "stage_summary": "not_due",
                                        "final_report": "not_due"}
    clock.now = beijing(2023, 7, 16, 0, 0)
    assert statuses(client, "SYN3")["tables"] == "overdue"
    rows = {r["code"]: r for r in client.get("/api/v1/branches").get_json()["branches"]}
    work_plan = rows["SYN2"]["deliverables"][0]
    assert work_plan == {"deliverable": "work_plan", "deadline": "2023-06-20", "status": "late", "label": "逾期报送",
                         "version": 1, "submitted_at": "2023-06-20T16:10:00+00:00",
                         "verification_code": rows["SYN2"]["latest_valid"]["verification_code"], "resent": False}


def test_the_districts_campaign_governs_not_the_datasets_own_block(client, clock):
    data = synthetic_branch(3, seed=4)
    data["campaign"] = {"deadlines": {"work_plan": "2024-06-20", "tables": "2024-07-15",
                                      "stage_summary": "2024-07-25", "final_report": "2024-10-15"}}
    clock.now = beijing(2023, 8, 1, 9, 0)
    assert put(client, "SYN4", data).status_code == 201 and send(client, "SYN4").status_code == 201
    rows = {r["code"]: r for r in client.get("/api/v1/branches").get_json()["branches"]}
    assert [(d["deadline"], d["status"], d["version"]) for d in rows["SYN4"]["deliverables"]] == [
        ("2023-06-20", "late", 1), ("2023-07-15", "overdue", None), ("2023-07-25", "overdue", None),
        ("2023-10-15", "not_due", None)]


def fill(app, count: int, start: int = 0) -> None:
    """`count` branches stored directly: every third with a rejected newer version, every fifth reviewed."""
    db = database(app)
    when = datetime(2023, 6, 15, tzinfo=timezone.utc)
    for seed in range(start, start + count):
        data = synthetic_branch(3, seed=1000 + seed)
        raw = json.dumps(data, ensure_ascii=False).encode()
        submissions.submit(db, from_json_body(raw), "batch", when)
        if seed % 3 == 0:
            submissions.submit(db, from_json_body(json.dumps({**data, "members": []}).encode()), "api", when)
        if seed % 5 == 0:
            app.test_client().post(f"/api/v1/branches/{data['org']['code']}/versions/1/review",
                                   json={"decision": "returned", "reason": "请补充"})
    reminder_jobs.drain()  # each 退回 is told in the reminder thread: its log rows are not the list's queries


def queries(app, url: str) -> tuple[int, dict]:
    """The SQL queries a GET of `url` sends (not BEGIN or PRAGMA), and its answer."""
    with statements(database(app).engine) as seen:
        body = app.test_client().get(url).get_json()
    return len([s for s in seen if not s.lstrip().upper().startswith(("BEGIN", "PRAGMA"))]), body


def test_the_list_costs_the_same_number_of_queries_for_3_and_150_branches(app):
    fill(app, 3)
    few, body = queries(app, "/api/v1/branches")
    assert len(body["branches"]) == 3
    fill(app, 147, start=3)
    many, body = queries(app, "/api/v1/branches")
    assert len(body["branches"]) == 150 and few == many <= 8
    returned = [r for r in body["branches"] if r["review"]["state"] == "returned"]
    assert len(returned) == 30 and sum(r["rejected"] for r in body["branches"]) == 50
    assert all(r["findings"] is not None and r["latest_valid"]["version"] == 1 for r in body["branches"])


def test_pages_of_the_list_are_slices_of_the_whole_with_totals_in_x_pagination(app, client):
    fill(app, 7)
    whole = client.get("/api/v1/branches")
    assert "X-Pagination" not in whole.headers  # no page asked: every branch, as the district page reads it
    everyone = whole.get_json()["branches"]
    assert len(everyone) == 7
    pages = []
    for number in (1, 2, 3):
        answer = client.get(f"/api/v1/branches?page={number}&page_size=3")
        assert answer.status_code == 200
        pages.append((answer.get_json()["branches"], json.loads(answer.headers["X-Pagination"])))
    assert [row for rows, _ in pages for row in rows] == everyone  # by code, nothing lost or doubled
    assert [len(rows) for rows, _ in pages] == [3, 3, 1]
    assert pages[0][1] == {"total": 7, "total_pages": 3, "first_page": 1, "last_page": 3, "page": 1, "next_page": 2}
    assert pages[1][1] == {"total": 7, "total_pages": 3, "first_page": 1, "last_page": 3, "page": 2,
                           "previous_page": 1, "next_page": 3}
    assert pages[2][1] == {"total": 7, "total_pages": 3, "first_page": 1, "last_page": 3, "page": 3,
                           "previous_page": 2}
    beyond = client.get("/api/v1/branches?page=9&page_size=3")
    assert beyond.get_json()["branches"] == []
    assert json.loads(beyond.headers["X-Pagination"]) == {"total": 7, "total_pages": 3, "first_page": 1,
                                                           "last_page": 3}
    default = client.get("/api/v1/branches?page=1")
    assert default.get_json()["branches"] == everyone  # 200 a page by default, as on the district page
    assert json.loads(default.headers["X-Pagination"])["total_pages"] == 1


@pytest.mark.parametrize("query", ["page=0", "page=x", "page_size=1001", "page=-1&page_size=2", "page_size=１"])
def test_a_page_that_cannot_be_read_is_400_naming_it(client, query):
    answer = client.get(f"/api/v1/branches?{query}")
    assert answer.status_code == 400
    body = answer.get_json()
    assert body["code"] == "bad_query" and body["errors"]
    assert {e["path"] for e in body["errors"]} <= {"page", "page_size"}


def test_a_page_costs_a_fixed_number_of_queries(app):
    fill(app, 12)
    few, body = queries(app, "/api/v1/branches?page=2&page_size=5")
    whole, _ = queries(app, "/api/v1/branches")
    assert len(body["branches"]) == 5 and few == whole + 1  # and the count


def test_each_row_of_the_list_says_what_the_branchs_own_page_says(app, client):
    """The list reads plain rows through the numbers each branch keeps; a branch's page reads its
    versions one by one: the two agree on every branch (newest version, newest valid one, counts,
    review, deadlines)."""
    fill(app, 12)
    rows = client.get("/api/v1/branches").get_json()["branches"]
    assert len(rows) == 12
    for row in rows:
        page = client.get(f"/api/v1/branches/{row['code']}").get_json()
        line = {k: v for k, v in page["versions"][0].items() if k != "review"}
        assert row["latest"] == line
        assert row["versions"] == len(page["versions"])
        assert row["rejected"] == sum(not v["valid"] for v in page["versions"])
        valid = page["latest_valid"]
        assert row["latest_valid"] == {k: v for k, v in valid.items() if k in line}
        assert row["findings"] == valid["findings_count"]
        assert row["lost_contact"] == valid["figures"]["campaign_summary"]["E1"]
        assert row["review"] == page["review"] and row["deliverables"] == page["deliverables"]
        assert {k: row[k] for k in ("code", "name", "full_name", "unit_name", "contact_person", "contact_phone")} == {
            k: page[k] for k in ("code", "name", "full_name", "unit_name", "contact_person", "contact_phone")}
