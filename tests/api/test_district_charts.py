"""GET /api/v1/district/charts on SQLite and PostgreSQL: the charts read the same stored figures as
附件6/附件9 and the findings overview, so their numbers agree; 报送 by day against the deadlines; the
year over year once a second campaign exists, and the reason why not before."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from service.domain import charts, district
from service.intake.received import from_json_body
from service.store import database, submissions
from service.store import district as queries
from tests.conftest import beijing
from tests.web.district_data import CODES, branch, fill

NOW = datetime(2023, 7, 12, 1, 30, tzinfo=timezone.utc)


@pytest.fixture
def app_settings(db_url):
    return {"DATABASE_URL": db_url, "CLOCK": lambda: NOW}


def store(app, data: dict, when) -> None:
    submissions.submit(database(app), from_json_body(json.dumps(data, ensure_ascii=False).encode()), "api", when)


def test_the_charts_agree_with_the_district_tables_and_the_findings(client, app):
    fill(database(app))
    resp = client.get("/api/v1/district/charts")
    assert resp.status_code == 200
    data = resp.get_json()
    with database(app).reading() as session:
        figures, _ = queries.latest_figures(session)
        overview = district.findings_overview(queries.latest_findings(session))
    table9 = district.totals(figures, "campaign_summary")  # the 合计 row of 全区附件9
    members = data["members"]
    for key, _ in charts.MEMBER_CATEGORIES:
        assert members["totals"][key] == table9[key]
        assert sum(r[key] for r in members["top"]) + members["rest"][key] == table9[key]
    assert sum(r["total"] for r in members["top"]) > 0  # D004's 30 members include 失联 and 流动
    by_rule = {r["rule"]: r["count"] for r in data["findings"]["rules"]}
    assert by_rule == overview["totals"]["by_rule"]
    assert data["findings"]["total"] == overview["totals"]["warnings"]
    for r in data["findings"]["rules"]:
        assert r["codes"] == [b["code"] for b in overview["branches"] if b["by_rule"].get(r["rule"])]
    assert data["branches"] == len(CODES)


def test_progress_counts_each_branchs_current_baosong_by_beijing_day(client, app):
    fill(database(app))  # every valid version is 报送 as the four deliverables when it arrives
    p = client.get("/api/v1/district/charts").get_json()["progress"]
    work_plan, tables, stage, final = p["series"]
    assert (work_plan["deadline"], tables["deadline"]) == ("2023-06-20", "2023-07-15")
    # D001 sent first (6月15日); D005's 报送 of 6月10日 was replaced by its second on 6月19日
    first = next(i for i, n in enumerate(work_plan["sent"]) if n)
    assert p["days"][first] == "2023-06-15" and work_plan["sent"][first] == 1
    day = p["days"].index("2023-06-20")
    assert work_plan["sent"][day] == 4 and work_plan["on_time"] == 4 and work_plan["late"] == 1  # D002: 7月20日
    assert tables["on_time"] == 4 and tables["late"] == 1 and tables["unsent"] == ["D006"]
    assert work_plan["sent"][-1] == 5 and p["total"] == 6
    assert stage["sent"][-1] == 5 and final["unsent"] == ["D006"]  # never valid: nothing to send


def test_year_over_year_waits_for_a_second_campaign(client, app):
    fill(database(app))
    years = client.get("/api/v1/district/charts").get_json()["years"]
    assert years["available"] is False and years["message"] == charts.ONE_CAMPAIGN
    assert [c["label"] for c in years["campaigns"]] == ["2023年"]
    later = branch("D001", 9)
    later.setdefault("campaign", {})["deadlines"] = {"work_plan": "2024-06-20", "tables": "2024-07-15",
                                      "stage_summary": "2024-07-25", "final_report": "2024-10-15"}
    store(app, later, beijing(2024, 6, 1, 9, 0))
    years = client.get("/api/v1/district/charts").get_json()["years"]
    assert years["available"] is True and [c["label"] for c in years["campaigns"]] == ["2023年", "2024年"]
    d001 = next(r for r in years["top"] if r["code"] == "D001")
    assert d001["values"][1] == 9 and d001["change"] == 9 - d001["values"][0]
    assert sum(1 for r in years["top"]) + years["rest"]["branches"] == 5  # every branch with a valid version
