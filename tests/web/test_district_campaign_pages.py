"""全区图表, 随机抽查 and 归档 pages through Flask's test client: the charts page embeds the very data
GET /api/v1/district/charts answers, with a table beside each chart and no inline script; the
随机抽查 form draws (its refusals said on the page), the result prints the seed and masked ID numbers;
the 归档 page offers its button (PDF is off here: the job fails and says why)."""
from __future__ import annotations

import json
import re
import time

import pytest

from service.jobs.queue import runner_for
from service.store import database
from tests.principals import account, csrf_of, signed_in

from .district_data import fill

FULL_ID = re.compile(r"(?<![\d*])\d{17}[\dX](?![\d*])")


@pytest.fixture
def staff(app):
    fill(database(app))
    yield signed_in(app, account(app, "district-staff", role="district"))
    runner_for(app).stop()


def test_the_charts_page_embeds_the_api_data_with_a_table_per_chart(staff, app):
    page = staff.get("/district/charts").get_data(as_text=True)
    data = json.loads(re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', page, re.S)[1])
    api = app.test_client().get("/api/v1/district/charts").get_json()
    assert {k: v for k, v in data.items() if k != "generated_at"} == {k: v for k, v in api.items() if k != "generated_at"}
    for chart in ("chart-progress", "chart-members", "chart-findings"):
        assert f'id="{chart}" role="img"' in page
    assert page.count('<table class="grid chart-table') == 3
    assert 'id="years-message"' in page and "暂无法作同比" in page
    assert re.findall(r"<script(?![^>]*(?:src=|application/json))", page) == []  # no inline script
    assert "全区图表</a>" in page and 'aria-current="page">全区图表' in page


def test_the_spot_check_form_draws_and_prints_the_seed(staff):
    form = staff.get("/district/spot-checks").get_data(as_text=True)
    token = csrf_of(form)
    bad = staff.post("/district/spot-checks", data={"branches": "0", "members": "2", "csrf_token": token})
    assert bad.status_code == 422 and "抽取的党组织数应为 1–1000 的整数" in bad.get_data(as_text=True)
    resp = staff.post("/district/spot-checks", data={"branches": "2", "members": "2", "seed": "42", "weighted": "1",
                                                     "csrf_token": token})
    assert resp.status_code == 303
    result = staff.get(resp.headers["Location"]).get_data(as_text=True)
    assert "随机种子：<strong>42</strong>（按三查三核提示加权抽取）" in result and "district-staff" in result
    assert not FULL_ID.search(result) and result.count('<table class="grid stack sample">') == 2
    listing = staff.get("/district/spot-checks").get_data(as_text=True)
    assert ">42</td>" in listing and "2 个党组织、4 名党员（加权）" in listing
    checklist = re.search(r'href="(/district/spot-checks/\w+/checklist)"', listing)[1]
    assert staff.get(checklist).mimetype.endswith("wordprocessingml.document")


def test_the_archive_page_starts_a_job_that_says_why_it_failed(staff):
    page = staff.get("/district/archive").get_data(as_text=True)
    assert "还没有归档" in page and "生成归档" in page
    resp = staff.post("/district/archive", data={"csrf_token": csrf_of(page)})
    assert resp.status_code == 303
    for _ in range(200):
        page = staff.get("/district/archive").get_data(as_text=True)
        if 'data-state="building"' not in page:
            break
        time.sleep(0.1)
    assert 'data-state="failed"' in page and "未启用 PDF 转换" in page
