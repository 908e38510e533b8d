"""The clerk's 「报送」 on the result page, through Flask's test client: each deliverable with its deadline
and the file that will be sent, a confirmation required, the status after, the summaries held back
while their fields are empty, the page's CSRF token required."""
from __future__ import annotations

import copy
import io
import re

import pytest

from service.intake.workbook import filled_workbook
from tests.conftest import beijing, upload_file
from tests.principals import account, csrf_of, signed_in


@pytest.fixture
def app_settings(db_url, clock):
    return {"DATABASE_URL": db_url, "CLOCK": clock}


def row(page: str, deliverable: str) -> str:
    start = page.index(f'<tr id="deliver-{deliverable}">')
    return page[start:page.index("</tr>", start)]


def test_the_clerk_sends_the_tables_from_the_result_page(app, clock, sample_data):
    code = sample_data["org"]["code"]
    account(app, "clerk1", "clerk", code)
    clerk = signed_in(app, "clerk1")
    clock.now = beijing(2023, 7, 10, 9, 0)
    form = {"file": (io.BytesIO(filled_workbook(sample_data)), "数据采集表.xlsx"),
            "csrf_token": csrf_of(clerk.get("/").get_data(as_text=True))}
    url = clerk.post("/upload", data=form, content_type="multipart/form-data").headers["Location"]
    page = clerk.get(url).get_data(as_text=True)
    tables = row(page, "tables")
    assert "7月15日前" in tables and "未到期" in tables
    assert f"将报送：{code}-{sample_data['org']['name']}-党员组织关系排查相关表格.zip" in tables
    assert "尚不能报送" in row(page, "stage_summary") and "三查三核情况" in row(page, "stage_summary")
    assert "逾期未报" in row(page, "work_plan")  # 6月20日 passed, not sent
    action = re.search(r'action="([^"]+/deliver/tables)"', tables)[1]
    unconfirmed = clerk.post(action, data={"csrf_token": csrf_of(page)})
    assert unconfirmed.status_code == 303 and "problem=confirm" in unconfirmed.headers["Location"]
    assert "请先勾选确认" in clerk.get(unconfirmed.headers["Location"]).get_data(as_text=True)
    assert clerk.post(action, data={"confirm": "tables"}).status_code == 400  # no CSRF token: refused
    sent = clerk.post(action, data={"csrf_token": csrf_of(page), "confirm": "tables"})
    assert sent.status_code == 303
    after = clerk.get(sent.headers["Location"]).get_data(as_text=True)
    assert "已报送附件3—9（第1版）" in after
    assert "按时报送" in row(after, "tables") and "已报送本版" in row(after, "tables")
    listed = clerk.get(f"/api/v1/branches/{code}/deliverables").get_json()["deliverables"]
    assert (listed[1]["status"], listed[1]["history"][0]["source"]) == ("on_time", "page")


def test_a_summary_without_its_fields_is_refused_on_the_page(app, client, clock, sample_data):
    data = copy.deepcopy(sample_data)
    data["stage_summary"] = {}
    clock.now = beijing(2023, 7, 20, 9, 0)
    url = upload_file(client, filled_workbook(data)).headers["Location"]
    token = url.rstrip("/").rsplit("/", 1)[-1]
    resp = client.post(f"/result/{token}/deliver/stage_summary", data={"confirm": "stage_summary"})
    assert resp.status_code == 422
    assert "阶段性小结尚不能报送" in resp.get_data(as_text=True)
