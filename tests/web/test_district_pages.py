"""The district's pages through Flask's test client, on SQLite and on PostgreSQL: the list and its
filters, a branch's versions and the diff of two chosen ones, the 核查 form (a 退回 without a reason
is refused on the page and nothing is stored), the 核验纸质稿 box, the batch form, the downloads."""
from __future__ import annotations

import io
import re
import time
import zipfile

import openpyxl
import pytest

from service.jobs.queue import runner_for
from service.store import database
from tests.principals import account, csrf_of, signed_in

from .district_data import CODES, NAMES, VALID, fill

ROW_CODE = re.compile(r'<td class="code" data-label="编号"><a href="/district/branches/(\w+)">')
FULL_ID = re.compile(r"(?<![\d*])\d{17}[\dX](?![\d*])")
pytestmark = pytest.mark.usefixtures("district")  # every test reads the stored district


@pytest.fixture
def app_settings(db_url):
    return {"DATABASE_URL": db_url}


@pytest.fixture
def district(app):
    yield fill(database(app))
    runner_for(app).stop()  # a batch's threads end before the next test empties the database


def html(resp) -> str:
    return resp.get_data(as_text=True)


def listed(client, **query) -> list[str]:
    resp = client.get("/district/", query_string=query)
    assert resp.status_code == 200
    return ROW_CODE.findall(html(resp))


def row(page: str, code: str) -> str:
    start = page.index(f'<a href="/district/branches/{code}">{code}</a>')
    return page[start:page.index("</tr>", start)]


def test_the_list_shows_every_branch_with_its_deadlines_review_and_counts(client):
    page = html(client.get("/district/"))
    assert ROW_CODE.findall(page) == list(CODES)  # by code
    assert "共 6 个支部报送过数据：逾期 2 个，最新一版有错误 2 个，有“失联”党员 1 个，待核查 5 个" in page
    assert "工作方案：逾期报送" in row(page, "D002") and "附件3—9：逾期报送" in row(page, "D002")
    assert "阶段性小结：按时报送" in row(page, "D002")
    assert "工作方案：按时报送" in row(page, "D001") and "待核查" in row(page, "D001")
    d006 = row(page, "D006")
    assert "工作方案：逾期未报" in d006 and "未通过校验" in d006 and "无有效数据" in d006
    assert "第2版，<span class=\"when\">2023年7月1日 09:00</span>" in row(page, "D003")  # Beijing time
    assert "失联" in row(page, "D004") and "失联" not in row(page, "D001")


def test_the_api_list_carries_the_lost_count_the_filter_reads(client):
    rows = {r["code"]: r for r in client.get("/api/v1/branches").get_json()["branches"]}
    detail = client.get("/api/v1/branches/D004").get_json()
    assert rows["D004"]["lost_contact"] == detail["latest_valid"]["figures"]["campaign_summary"]["E1"] > 0
    assert rows["D001"]["lost_contact"] == 0 and rows["D006"]["lost_contact"] is None


@pytest.mark.parametrize("query, codes", [
    ({"filter": "late"}, ["D002", "D006"]),
    ({"filter": "errors"}, ["D003", "D006"]),
    ({"filter": "lost"}, ["D004"]),
    ({"filter": "pending"}, ["D001", "D002", "D003", "D004", "D005"]),
    ({"filter": ["late", "errors"]}, ["D006"]),  # every chosen filter holds
    ({"q": "d00"}, list(CODES)),  # the code, in any case
    ({"q": "第5实验"}, ["D005"]),  # part of the name
    ({"filter": "nonsense"}, list(CODES)),  # an unknown filter is no filter
    ({"filter": "lost", "q": "D001"}, []),
])
def test_filters_and_search(client, query, codes):
    assert listed(client, **query) == codes


def test_nothing_matching_says_so_and_a_page_past_the_end_shows_the_last(client):
    page = html(client.get("/district/", query_string={"q": "不存在的学校"}))
    assert "没有符合条件的支部" in page
    assert listed(client, page="999") == list(CODES)


def test_the_branch_page_lists_versions_and_offers_the_last_two_valid_ones_to_compare(client, district):
    page = html(client.get("/district/branches/D005"))
    assert "第2版" in page and "第1版" in page and "2023年6月19日 16:45" in page
    assert district.codes[("D005", 1)] in page and district.codes[("D005", 2)] in page
    chooser = page[page.index('<form class="diff-choice"'):page.index("</form>", page.index('<form class="diff-choice"'))]
    old, new = chooser.split('name="to"')
    assert '<option value="1" selected>' in old and '<option value="2" selected>' in new
    assert "对第2版（最新的通过校验的版本" in page
    assert "/district/branches/D005/packages/tables?format=office" in page
    assert "/district/branches/D005/workbook" in page


def test_the_diff_of_two_chosen_versions_names_members_fields_and_figures(client):
    resp = client.get("/district/branches/D005", query_string={"from": 1, "to": 2})
    page = html(resp)
    assert resp.status_code == 200 and "第1版 → 第2版" in page
    assert "新增党员 1 人，删去 0 人" in page
    added = re.search(r'<li class="added">(.+?)（(\d{4}\*{10}\d{3}[\dX])）</li>', page)
    assert added, page[page.index("第1版 → 第2版"):][:2000]
    assert not FULL_ID.search(page)  # ID numbers masked, as the API shows them
    assert "党组织信息 · 联系人（党务干事）" in page  # a workbook's words, not a JSON path
    assert re.search(r'<td class="title">A1 党员总数</td><td class="before" data-label="原来">6</td>'
                     r'<td class="after" data-label="现在">7</td>', page)
    back = html(client.get("/district/branches/D005", query_string={"from": 2, "to": 1}))
    assert "新增党员 0 人，删去 1 人" in back


@pytest.mark.parametrize("query, problem", [
    ({"from": 1, "to": 1}, "两次选择的都是第1版：请选择两个不同的版本"),
    ({"from": 1, "to": 9}, "支部「D005」没有第9版（共报送 2 版）"),
    ({"from": "x", "to": 2}, "请选择要比较的两个版本"),
    ({"to": 2}, "请选择要比较的两个版本"),
])
def test_a_diff_that_cannot_be_made_says_why_on_the_page(client, query, problem):
    resp = client.get("/district/branches/D005", query_string=query)
    assert resp.status_code == 200
    assert f'<div class="box bad" role="alert">{problem}</div>' in html(resp)


def test_a_rejected_version_cannot_be_compared(client):
    page = html(client.get("/district/branches/D003", query_string={"from": 1, "to": 2}))
    assert "第2版未通过校验，没有可比较的数据；请选择通过校验的版本" in page
    assert "最新一版（第2版）的错误" in page


def reviews(client, code: str) -> list:
    return client.get(f"/api/v1/branches/{code}").get_json()["reviews"]


def test_returning_without_a_reason_is_refused_on_the_page_and_nothing_is_stored(client):
    resp = client.post("/district/branches/D005/versions/2/review", data={"decision": "returned", "reason": "  "})
    page = html(resp)
    assert resp.status_code == 422
    assert "核查结论未能记录：</strong>退回修改须写明原因" in page
    assert 'value="returned" checked' in page  # the choice is kept for the correction
    resp = client.post("/district/branches/D005/versions/2/review", data={"reason": "说明"})
    assert resp.status_code == 422 and "请选择核查结论：已核查，或退回修改" in html(resp)
    assert reviews(client, "D005") == []


def test_a_return_with_its_reason_reaches_the_clerks_result_page(client, district):
    resp = client.post("/district/branches/D005/versions/2/review",
                       data={"decision": "returned", "reason": "请补充第7名党员的联系电话", "reviewer": "王老师"})
    assert resp.status_code == 303
    assert resp.headers["Location"] == "/district/branches/D005?reviewed=2#review"
    page = html(client.get(resp.headers["Location"]))
    assert "已记录第2版的核查结论：<strong>退回修改</strong>（请补充第7名党员的联系电话）" in page
    (review,) = reviews(client, "D005")
    assert (review["decision"], review["reason"], review["version"]) == ("returned", "请补充第7名党员的联系电话", 2)
    assert re.fullmatch(r"token:tests-district-[0-9a-f]{8}（王老师）", review["reviewer"])  # who signed, what they typed
    clerk = html(client.get(f"/result/{district.tokens[('D005', 2)]}"))
    assert "区委教育工委核查：退回修改" in clerk and "退回原因：请补充第7名党员的联系电话" in clerk
    assert listed(client, filter="pending") == ["D001", "D002", "D003", "D004"]


def test_a_version_that_failed_validation_cannot_be_reviewed(client):
    resp = client.post("/district/branches/D003/versions/2/review", data={"decision": "verified"})
    assert resp.status_code == 409 and "第2版未通过校验，没有可核查的数据" in html(resp)
    assert client.post("/district/branches/D003/versions/7/review", data={"decision": "verified"}).status_code == 404
    assert reviews(client, "D003") == []


def test_the_paper_check_finds_the_version_a_typed_code_came_from(client, district):
    typed = district.codes[("D005", 2)].lower().replace("-", " ")  # 「ab12 cd34」
    page = html(client.get("/district/verify", query_string={"code": typed}))
    assert "D005 湖塘第5实验小学党支部，第2版" in page and "与该支部最新的通过校验的数据一致" in page
    old = html(client.get("/district/verify", query_string={"code": "校验码：" + district.codes[("D005", 1)]}))
    assert "第1版" in old and "该纸质稿不是最新的" in old and "又报送了第2版（2023年6月19日 16:45）" in old
    missing = client.get("/district/verify", query_string={"code": "0000-0000"})
    assert missing.status_code == 404 and "没有找到校验码为 0000-0000 的报送数据" in html(missing)
    wrong = client.get("/district/verify", query_string={"code": "盖章处"})
    assert wrong.status_code == 400 and "「盖章处」不是校验码" in html(wrong)


def test_the_batch_form_refuses_an_empty_choice_and_stores_nothing(client):
    resp = client.post("/district/batches", data={"scope": "all", "format": "office"})
    assert resp.status_code == 422 and "请至少选择一项要生成的材料" in html(resp)
    resp = client.post("/district/batches", data={"scope": "shown", "filter": "lost", "q": "D001",
                                                 "packages": "tables", "format": "office"})
    assert resp.status_code == 422 and "当前筛选条件下没有支部" in html(resp)
    assert 'name="filter" value="lost" checked' in html(resp)  # the list comes back as it was filtered
    from service.store.batches import Batch

    with database(client.application).reading() as session:
        assert session.query(Batch).count() == 0


def wait_for(client, url: str) -> str:
    for _ in range(600):
        page = html(client.get(url))
        if 'data-state="finished"' in page:
            return page
        time.sleep(0.1)
    pytest.fail(f"batch not finished: {page}")


def test_a_batch_of_the_filtered_branches_runs_to_its_download(client):
    resp = client.post("/district/batches", data={"scope": "shown", "filter": "lost", "packages": "tables",
                                                 "format": "office"})
    assert resp.status_code == 303
    batch_id = resp.headers["Location"].rsplit("/", 1)[-1]
    page = wait_for(client, resp.headers["Location"])
    assert 'value="100"' in page and "已生成 1 个，失败 0 个" in page
    assert client.get(f"/api/v1/batches/{batch_id}").get_json()["requested"] == ["D004"]
    zipped = client.get(f"/district/batches/{batch_id}/download")
    assert zipped.status_code == 200
    with zipfile.ZipFile(io.BytesIO(zipped.data)) as zf:
        assert {n.split("/")[0] for n in zf.namelist()} == {f"D004-{NAMES['D004']}"}


def test_a_batch_of_every_branch_lists_the_one_without_valid_data(client):
    resp = client.post("/district/batches", data={"scope": "all", "packages": "work_plan", "format": "office"})
    page = wait_for(client, resp.headers["Location"])
    assert "已生成 5 个，失败 1 个" in page
    failed = page[page.index('<ul id="batch-failures">'):]
    assert '<a href="/district/branches/D006">D006 湖塘第6实验小学党支部</a>：' in failed


def test_district_totals_and_branch_files_download_from_the_page(client):
    table = client.get("/district/totals/campaign_summary", query_string={"format": "xlsx"})
    assert table.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(table.data)).active
    cells = {c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)}
    assert {NAMES[c] for c in VALID} <= cells and NAMES["D006"] not in cells
    reports = client.get("/district/verification_reports", query_string={"format": "docx"})
    with zipfile.ZipFile(io.BytesIO(reports.data)) as zf:
        assert len(zf.namelist()) == len(VALID)
    tables = client.get("/district/branches/D001/packages/tables", query_string={"format": "office"})
    assert tables.status_code == 200 and zipfile.ZipFile(io.BytesIO(tables.data)).testzip() is None
    workbook = client.get("/district/branches/D004/workbook")
    assert openpyxl.load_workbook(io.BytesIO(workbook.data))["党组织信息"] is not None


@pytest.mark.parametrize("url, status, text", [
    ("/district/totals/campaign_summary?format=pdf", 503, "暂时不能生成 PDF"),  # PDF is off in these tests
    ("/district/totals/member_roster", 404, "没有全区汇总表「member_roster」"),
    ("/district/branches/D006/workbook", 409, "还没有通过校验的版本"),
    ("/district/branches/NOPE", 404, "没有编号为「NOPE」的支部"),
    ("/district/batches/0123456789abcdef0123456789abcdef", 404, "没有编号为"),
])
def test_refusals_are_chinese_pages_not_json(client, url, status, text):
    resp = client.get(url)
    assert resp.status_code == status and resp.mimetype == "text/html"
    assert text in html(resp), html(resp)[:2000]


def test_the_findings_overview_page(client):
    page = html(client.get("/district/findings"))
    assert "6 个支部报送过数据，其中 5 个有通过校验的版本、1 个尚无" in page
    for code in CODES:
        assert f'<a href="/district/branches/{code}">{code}</a>' in page


def test_clerk_and_district_pages_link_to_each_other(client):
    for url in ("/", "/district/", "/district/branches/D001", "/district/findings"):
        page = html(client.get(url))
        assert '<a href="/">支部填报</a>' in page or '<a href="/" aria-current="page">支部填报</a>' in page
        assert 'href="/district/"' in page


def test_a_signed_in_district_account_reviews_with_the_csrf_field_of_its_session(client):
    app = client.application
    staff = signed_in(app, account(app, "district-staff", role="district"))
    for url, forms in (("/district/", 1), ("/district/branches/D005", 2)):  # the batch form; 发送提醒 and 核查
        page = html(staff.get(url))
        assert page.count('method="post"') == forms + 1  # and the sign-out form in the header
        assert len(re.findall(r'<input type="hidden" name="csrf_token" value="[^"]+">', page)) == forms + 1
    assert staff.post("/district/branches/D005/remind").status_code == 400  # no CSRF token: nothing sent
    url = "/district/branches/D005/versions/2/review"
    refused = staff.post(url, data={"decision": "verified"})
    assert refused.status_code == 400 and reviews(client, "D005") == []
    token = csrf_of(html(staff.get("/district/branches/D005")))
    done = staff.post(url, data={"decision": "verified", "reviewer": "王老师", "csrf_token": token})
    assert done.status_code == 303
    assert [r["reviewer"] for r in reviews(client, "D005")] == ["district-staff（王老师）"]


def test_a_deliverable_downloads_as_the_branch_sent_it(app, client, district):
    """D005 sends its first version's tables again after storing a second: the district's download is
    that version's, byte for byte, while the API's branch package is the newest valid version's."""
    from service.store import branches, deliveries
    from tests.conftest import beijing

    with database(app).writing() as session:
        branch = branches.get(session, "D005")
        deliveries.deliver(session, branch, "tables", deliveries.pick(session, branch, 1), "干事", "api",
                           beijing(2023, 7, 1, 9, 0))
    sent = client.get("/district/branches/D005/packages/tables?format=office")
    assert sent.status_code == 200
    first = client.get(f"/result/{district.tokens[('D005', 1)]}/packages/tables?format=office")
    newest = client.get("/api/v1/branches/D005/packages/tables?format=office")
    assert sent.data == first.data != newest.data
    page = html(client.get("/district/branches/D005"))
    assert "报送的第1版" in page and "已重新报送" in page
    listed = html(client.get("/district/"))
    assert "附件3—9：按时报送（已重新报送）" in row(listed, "D005") and "已重新报送" not in row(listed, "D001")
