"""排查工作与党组织名单 through Flask's test client, on SQLite and on PostgreSQL: the campaign form (refused
with its fields named, then saved), the list's upload (a bad row: nothing imported, each problem by row
and column; then imported), every registered branch in the branch list as 尚未报送 from day one, a code
outside the list flagged on the list and the branch page, and the 附件9 note counting the silent ones."""
from __future__ import annotations

import io

import openpyxl
import pytest

from service.documents import district as files
from service.store import artifacts_of, database, now

from .register_files import BAD, GOOD, register_workbook


@pytest.fixture
def app_settings(db_url):
    return {"DATABASE_URL": db_url}


def html(resp) -> str:
    return resp.get_data(as_text=True)


def upload(client, content: bytes, name: str = "名单.xlsx"):
    return client.post("/district/register", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_campaign_form_refused_then_saved(client):
    page = html(client.get("/district/register"))
    assert "区里尚未设定" in page and 'value="2023-10-15"' in page
    form = {"name": "2024年排查", "stats_date": "2024-06-30", "work_plan": "2024-06-20", "tables": "2024-07-15",
            "stage_summary": "2024-07-25", "final_report": "2024-05-01"}
    refused = client.post("/district/campaign", data=form)
    assert refused.status_code == 422
    assert "工作总结报送期限：四项期限应依次不早于前一项" in html(refused)
    assert 'value="2024-05-01"' in html(refused)  # the form keeps what was typed
    assert client.get("/api/v1/campaign").get_json()["defined"] is False
    saved = client.post("/district/campaign", data={**form, "final_report": "2024-10-15"})
    assert saved.status_code == 303
    page = html(client.get(saved.headers["Location"]))
    assert "已保存排查工作的设定" in page and 'value="2024年排查"' in page
    assert client.get("/api/v1/campaign").get_json()["deadlines"]["final_report"] == "2024-10-15"


def test_a_bad_list_imports_nothing_and_names_each_row(client):
    resp = upload(client, register_workbook(BAD))
    assert resp.status_code == 422
    page = html(resp)
    assert "名单未导入" in page and "什么也没有导入" in page
    assert '<td data-label="行">5</td><td data-label="列">编号</td>' in page
    assert '<td data-label="行">6</td><td data-label="列">联系电话</td>' in page
    assert client.get("/api/v1/register").get_json() == {"branches": []}
    refused = upload(client, b"\x89PNG\r\n\x1a\n" + b"0" * 100, "照片.xlsx")
    assert refused.status_code == 422 and "名单未导入" in html(refused)


def test_registered_branches_are_listed_as_not_sent_and_counted(app, client, sample_data):
    resp = upload(client, register_workbook(GOOD))
    assert resp.status_code == 303
    page = html(client.get(resp.headers["Location"]))
    assert "新增 2 个，更新 0 个" in page and "名单中共 2 个党组织" in page
    listing = html(client.get("/district/"))
    assert "共 2 个支部（其中 2 个尚未报送）" in listing and listing.count("尚未报送</span>") == 2
    assert "逾期未报" in listing  # the notice's deadlines have passed on the system clock
    branch = html(client.get("/district/branches/WJ002"))
    assert "尚未报送" in branch and "星河小学党支部" in branch
    # a code outside the list: kept, flagged for the district
    sample_data["org"]["code"] = "WJ099"
    assert client.put("/api/v1/branches/WJ099/dataset", json=sample_data).status_code == 201
    listing = html(client.get("/district/"))
    assert "1 个支部的编号不在党组织名单中" in listing and listing.count("编号不在区委教育工委的党组织名单中") == 1
    assert "编号不在区委教育工委的党组织名单中" in html(client.get("/district/branches/WJ099"))
    # 附件9: the two silent registered branches are counted in the note
    made = files.table(database(app), artifacts_of(app), "campaign_summary", "xlsx", None, now(app))
    text = " ".join(str(c.value) for row in openpyxl.load_workbook(io.BytesIO(made.data)).active.iter_rows()
                    for c in row if c.value)
    assert "另有 2 个党组织尚未报送有效数据" in text
    # marked 撤销, a silent branch is no longer waited for
    client.put("/api/v1/register", json={"branches": [{"code": "WJ002", "name": "星河小学党支部",
                                                        "state": "withdrawn"}]})
    made = files.table(database(app), artifacts_of(app), "campaign_summary", "xlsx", None, now(app))
    text = " ".join(str(c.value) for row in openpyxl.load_workbook(io.BytesIO(made.data)).active.iter_rows()
                    for c in row if c.value)
    assert "另有 1 个党组织尚未报送有效数据" in text


def test_an_empty_campaign_form_is_refused_field_by_field(client):
    resp = client.post("/district/campaign", data={})
    assert resp.status_code == 422
    page = html(resp)
    assert "统计截止日期：请填写" in page and "工作方案报送期限：请填写" in page and "名称：请填写" in page
    assert client.get("/api/v1/campaign").get_json()["defined"] is False
