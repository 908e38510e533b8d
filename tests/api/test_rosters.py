"""POST /api/v1/rosters/read and /api/v1/branches/<code>/roster on the real app, both databases: rosters
read from every format, a preview that stores nothing, the merge stored and read back, mapping memory,
and another branch's roster refused."""
from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import undefer

from service.domain import idcard
from service.store import database
from service.store.access_tables import AuditEvent
from service.store.models import Branch, Submission
from service.store.roster_tables import RosterMapping
from tests.conftest import assert_error_shape
from tests.conftest_pdf import needs_soffice
from tests.databases import count_rows
from tests.intake.roster.builders import converted, csv_bytes, id_number, xlsx
from tests.intake.roster.test_formats import EXPECTED, ROWS, TEXT_ROWS, XLS_MEMBERS, xls_bytes  # noqa: F401
from tests.intake.roster.test_layouts import school_roster
from tests.principals import account, bearer, csrf_of, signed_in, token

NEW = id_number("19950101", 7, True)


@pytest.fixture
def app_settings(db_url):
    return {"DATABASE_URL": db_url}


def post(client, url: str, content: bytes, name: str = "花名册.xlsx", **form):
    return client.post(url, data={"file": (io.BytesIO(content), name), **form}, content_type="multipart/form-data")


def branch_roster(data: dict, new_member: bool = True, title: bool = False) -> bytes:
    """The branch a term later, as the school's own roster: 周建华's post and 王丽萍's phone changed, a new
    member, the others not listed (a title row above the header when `title`)."""
    zhou, chen, wang = data["members"][:3]
    rows = [["姓名", "性别", "公民身份号码", "出生日期", "工作岗位", "联系电话", "学历"],
            [zhou["name"], "男", zhou["id_number"], None, "校长", zhou["phone"], "硕士研究生"],
            [chen["name"], "女", chen["id_number"], None, chen["job_post"], chen["phone"], "本科"],
            [wang["name"], "女", wang["id_number"], None, wang["job_post"], "13800001111", None]]
    if new_member:
        rows.append(["新党员", "男", NEW, None, "专任教师", "13912345678", "大专"])
    return xlsx(([["星河实验小学党员花名册"]] if title else []) + rows)


def canonical(data: dict) -> dict:
    import schemas

    return schemas.dump_dataset(schemas.load_dataset(data))


def versions(app) -> int:
    return count_rows(database(app), Submission)


def stored(app, version: int) -> Submission:
    with database(app).reading() as session:
        return session.scalar(select(Submission).join(Branch).where(Branch.code == "WJ017", Submission.version == version)
                              .options(undefer(Submission.input), undefer(Submission.raw), undefer(Submission.errors)))


# ---- reading --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_read_xlsx_with_titles_two_header_rows_and_shifted_columns(app):
    resp = post(app.test_client(), "/api/v1/rosters/read", school_roster())
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert set(body) == {"sheet", "header_rows", "columns", "members", "problems", "mapping_source", "remembered"}
    assert (body["sheet"], body["header_rows"], body["mapping_source"], body["remembered"]) == (
        "花名册", [3, 4], "detected", None)
    assert [(c["column"], c["field"]) for c in body["columns"]][:5] == [
        ("C", None), ("D", "name"), ("E", "gender"), ("F", "ethnicity"), ("G", "id_number")]
    assert [m["name"] for m in body["members"]] == ["张伟", "李芳", "王强", "赵敏"]
    # 李芳's ID typed as a number, 王强's check digit, 赵敏's gender and birth date against her ID, a month for a day
    assert [p["cell"] for p in body["problems"]] == ["G6", "G8", "E9", "H9", "J9"]
    assert body["problems"][0]["message"].startswith("身份证号以数字形式保存")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_read_gb18030_csv_with_a_name_outside_gbk(app):
    resp = post(app.test_client(), "/api/v1/rosters/read", csv_bytes(TEXT_ROWS, "gb18030"), "名册.csv")
    assert resp.status_code == 200
    assert resp.get_json()["members"] == EXPECTED  # 王𠮷 whole


@needs_soffice[0]
@needs_soffice[1]
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_read_xls_written_by_libreoffice(app, xls_bytes):  # noqa: F811
    resp = post(app.test_client(), "/api/v1/rosters/read", xls_bytes, "名册.xls")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["header_rows"] == [3, 4] and body["members"] == XLS_MEMBERS and body["problems"] == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_mapping_given_as_json(app):
    client = app.test_client()
    resp = post(client, "/api/v1/rosters/read", xlsx(ROWS), mapping=json.dumps({"出生日期": None, "F": "join_date"}))
    body = resp.get_json()
    assert resp.status_code == 200 and body["mapping_source"] == "given"
    by_letter = {c["column"]: c for c in body["columns"]}
    assert by_letter["E"]["field"] is None and by_letter["E"]["why"] == "按指定的对应关系不导入"
    assert [set(m) for m in body["members"]] == [{"row", "name", "gender", "id_number", "join_date"}] * 2


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("content, name, form, status, code, message", [
    (b"\x89PNG\r\n\x1a\n" + b"0" * 200, "照片.xlsx", {}, 422, "bad_roster", "图片"),
    (b"", "空.xlsx", {}, 422, "bad_roster", "空"),
    (xlsx([["党员名册"], ["说明：本表由组织委员填写"]]), "名册.xlsx", {}, 422, "bad_roster", "没有找到表头"),
    (xlsx(ROWS), "名册.xlsx", {"mapping": "{D: id}"}, 422, "bad_roster", "对应关系（mapping）不是有效的 JSON"),
    (xlsx(ROWS), "名册.xlsx", {"mapping": "[1]"}, 422, "bad_roster", "对应关系（mapping）应为"),
    (xlsx(ROWS), "名册.xlsx", {"mapping": '{"B": "salary"}'}, 422, "bad_roster", "「salary」不是可以导入的字段"),
    (xlsx(ROWS), "名册.xlsx", {"sheet": "第二页"}, 422, "bad_roster", "没有名为「第二页」的工作表"),
])
def test_a_file_that_is_no_roster_is_422_saying_what_was_found(app, content, name, form, status, code, message):
    body = assert_error_shape(post(app.test_client(), "/api/v1/rosters/read", content, name, **form), status)
    assert body["code"] == code and message in body["message"], body["message"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_no_file_is_400_and_a_file_over_the_limit_is_413(app):
    client = app.test_client()
    resp = client.post("/api/v1/rosters/read", data={"sheet": "x"}, content_type="multipart/form-data")
    assert resp.status_code == 400 and "表单字段 file" in resp.get_json()["message"]
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    big = post(client, "/api/v1/rosters/read", b"x" * (80 * 1024), "big.csv")
    assert big.status_code == 413 and big.get_json()["code"] == "too_large"
    big = post(client, "/api/v1/branches/WJ017/roster", b"x" * (80 * 1024), "big.csv")
    assert big.status_code == 413 and versions(app) == 0


# ---- the preview and the store ---------------------------------------------------------------------------


def test_a_dry_run_previews_and_stores_nothing(app, sample_data):
    client = app.test_client()
    assert client.put("/api/v1/branches/WJ017/dataset", json=sample_data).status_code == 201
    before = versions(app)
    resp = post(client, "/api/v1/branches/WJ017/roster?dry_run=true", branch_roster(sample_data),
                mapping=json.dumps({"G": None}))
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert versions(app) == before  # nothing stored
    assert count_rows(database(app), RosterMapping) == 0  # nor remembered
    assert body["dry_run"] is True and body["based_on"] == {"version": 1, "valid": True} and body["valid"] is False
    zhou, wang = sample_data["members"][0], sample_data["members"][2]
    preview = body["preview"]
    assert preview["added"] == [{"row": 5, "name": "新党员", "gender": "男", "id_number": idcard.mask(NEW),
                                 "job_post": "专任教师", "phone": "13912345678"}]
    assert preview["changed"] == [
        {"member": {"row": 2, "name": zhou["name"], "id_number": idcard.mask(zhou["id_number"])},
         "fields": [{"field": "job_post", "before": "校长、党支部书记", "after": "校长"}]},
        {"member": {"row": 4, "name": wang["name"], "id_number": idcard.mask(wang["id_number"])},
         "fields": [{"field": "phone", "before": wang["phone"], "after": "13800001111"}]}]
    assert [m["name"] for m in preview["missing"]] == [m["name"] for m in sample_data["members"][3:]]
    assert NEW not in json.dumps(body) and zhou["id_number"] not in json.dumps(body)  # masked, and no members list
    assert [(e["path"], e["detail"]) for e in body["errors"]][0] == (
        "members[12].ethnicity", "党员「新党员」（花名册第5行）的「民族」：缺少必填项")
    with database(app).reading() as session:
        (event,) = session.scalars(select(AuditEvent).where(AuditEvent.action == "roster")).all()
        assert (event.branch_code, event.status, event.detail, event.version) == ("WJ017", 200, "预览，未保存", None)


def test_the_merge_is_stored_as_the_next_version(app, sample_data):
    client = app.test_client()
    assert client.put("/api/v1/branches/WJ017/dataset", json=sample_data).status_code == 201
    content = branch_roster(sample_data)
    resp = post(client, "/api/v1/branches/WJ017/roster?dry_run=false", content, "星河花名册.xlsx")
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert (body["code"], body["version"], body["valid"], body["verification_code"]) == ("WJ017", 2, False, None)
    assert body["mapping_source"] == "detected" and len(body["preview"]["changed"]) == 2
    assert sorted(e["path"] for e in body["errors"]) == [f"members[12].{f}" for f in
                                                         ("ethnicity", "join_date", "member_type", "person_category")]
    sub = stored(app, 2)
    assert (sub.source, sub.valid, sub.raw, sub.raw_kind, sub.filename) == ("roster", False, content, "other",
                                                                            "星河花名册.xlsx")
    data = sub.input
    v1 = stored(app, 1).input and canonical(sample_data)  # the roster goes over version 1 as it is stored
    zhou, chen, wang = v1["members"][:3]
    assert data["org"] == v1["org"] and data["campaign"] == v1["campaign"] and data["work_plan"] == v1["work_plan"]
    assert data["members"][0] == {**zhou, "job_post": "校长"}  # changed; what the roster lacks (民族, 入党时间 …) kept
    assert data["members"][1] == chen
    assert data["members"][2] == {**wang, "phone": "13800001111"}
    assert data["members"][3:12] == v1["members"][3:]  # not in the roster: kept as they were
    assert data["members"][12] == {"name": "新党员", "gender": "男", "id_number": NEW, "job_post": "专任教师",
                                   "phone": "13912345678", "education": "大学专科"}
    assert [e["path"] for e in sub.errors] == [e["path"] for e in body["errors"]]
    page = client.get(body["result_url"])
    assert page.status_code == 200 and "党员「新党员」（花名册第5行）的「民族」：缺少必填项" in page.get_data(as_text=True)
    listed = client.get("/api/v1/branches/WJ017").get_json()["versions"][0]
    assert (listed["version"], listed["source"], listed["valid"]) == (2, "roster", False)
    with database(app).reading() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "roster")).one()
        assert (event.version, event.status, event.detail) == (2, 201, None)


def test_a_roster_that_completes_the_data_is_a_valid_version_over_the_newest_valid_one(app, sample_data):
    client = app.test_client()
    client.put("/api/v1/branches/WJ017/dataset", json=sample_data)
    post(client, "/api/v1/branches/WJ017/roster", branch_roster(sample_data))  # v2: 新党员 incomplete
    zhou = sample_data["members"][0]
    resp = post(client, "/api/v1/branches/WJ017/roster", xlsx([["姓名", "公民身份号码", "联系电话"],
                                                               [zhou["name"], zhou["id_number"], "13700001234"]]))
    body = resp.get_json()
    assert resp.status_code == 201 and body["valid"] is True and body["errors"] == []
    assert body["based_on"] == {"version": 1, "valid": True}  # v2 did not pass: the roster goes over v1
    assert body["verification_code"] and body["warnings"]
    data = stored(app, 3).input
    assert data["members"] == [{**canonical(sample_data)["members"][0], "phone": "13700001234"}] + \
        canonical(sample_data)["members"][1:]


def test_a_branch_with_no_data_yet_gets_its_roster_as_a_first_version(app):
    resp = post(app.test_client(), "/api/v1/branches/WJ050/roster",
                xlsx([["姓名", "公民身份号码"], ["张伟", NEW]]))
    body = resp.get_json()
    assert resp.status_code == 201 and body["version"] == 1 and body["based_on"] is None and not body["valid"]
    with database(app).reading() as session:
        sub = session.scalar(select(Submission).options(undefer(Submission.input)))
    assert sub.input == {"schema_version": "1", "members": [{"name": "张伟", "id_number": NEW}], "org": {"code": "WJ050"}}
    assert "org.name" in [e["path"] for e in body["errors"]]


def test_a_confirmed_mapping_is_used_for_the_next_file_with_the_same_headers(app, sample_data):
    client = app.test_client()
    client.put("/api/v1/branches/WJ017/dataset", json=sample_data)
    first = post(client, "/api/v1/branches/WJ017/roster", branch_roster(sample_data), mapping=json.dumps({"学历": None}))
    assert first.status_code == 201 and first.get_json()["mapping_source"] == "given"
    with database(app).reading() as session:
        (kept,) = session.scalars(select(RosterMapping)).all()
        assert kept.branch_code == "WJ017" and kept.actor.startswith("token:tests-district")
        assert kept.mapping[-1] == ["学历", None] and "13912345678" not in json.dumps(kept.mapping)

    account(app, "wj017", "clerk", "WJ017")
    clerk = signed_in(app, "wj017")
    csrf = csrf_of(clerk.get("/").get_data(as_text=True))
    again = clerk.post("/api/v1/rosters/read", data={"file": (io.BytesIO(branch_roster(sample_data, title=True)), "新.xlsx")},
                       content_type="multipart/form-data", headers={"X-CSRFToken": csrf})
    body = again.get_json()
    assert again.status_code == 200 and body["header_rows"] == [2]  # the same headers a row lower
    assert body["mapping_source"] == "remembered" and body["remembered"]["scope"] == "branch"
    assert body["remembered"]["columns"] == ["G"]
    assert [c["field"] for c in body["columns"]][-1] is None and "education" not in body["members"][0]
    assert body["columns"][-1]["why"] == "按上次确认的对应关系不导入"

    other = bearer(token(app, "WJ018", name="school-18"))
    theirs = post_as(client, other, "/api/v1/branches/WJ018/roster?dry_run=true", branch_roster(sample_data))
    assert theirs.get_json()["remembered"]["scope"] == "district"  # another branch: the district's last one
    assert "education" not in json.dumps(theirs.get_json()["preview"]["added"])
    explicit = post(client, "/api/v1/rosters/read", branch_roster(sample_data), mapping="{}").get_json()
    assert explicit["mapping_source"] == "given" and explicit["columns"][-1]["field"] == "education"  # {}: detection only
    other_headers = post(client, "/api/v1/rosters/read", xlsx(ROWS))
    assert other_headers.get_json()["mapping_source"] == "detected"  # different headers: nothing remembered
    post_as(client, other, "/api/v1/branches/WJ018/roster", branch_roster(sample_data), mapping='{"学历": "education"}')
    mine = post(client, "/api/v1/branches/WJ017/roster?dry_run=true", branch_roster(sample_data)).get_json()
    assert mine["remembered"]["scope"] == "branch" and mine["columns"][-1]["field"] is None  # its own, not WJ018's
    district = post(client, "/api/v1/rosters/read", branch_roster(sample_data)).get_json()
    assert district["remembered"]["scope"] == "district" and district["columns"][-1]["field"] == "education"


def post_as(client, headers: dict, url: str, content: bytes, **form):
    return client.post(url, data={"file": (io.BytesIO(content), "花名册.xlsx"), **form},
                       content_type="multipart/form-data", headers=headers)


def test_a_roster_for_another_branch_is_refused_and_nothing_is_stored(app, sample_data):
    client = app.test_client()
    for code in ("WJ017", "WJ018"):
        client.put(f"/api/v1/branches/{code}/dataset", json={**sample_data, "org": {**sample_data["org"], "code": code}})
    before = versions(app)
    account(app, "wj017", "clerk", "WJ017")
    clerk = signed_in(app, "wj017")
    csrf = {"X-CSRFToken": csrf_of(clerk.get("/").get_data(as_text=True))}
    branch_token = bearer(token(app, "WJ017", name="school-17"))
    nowhere = post_as(clerk, csrf, "/api/v1/branches/WJ099/roster", branch_roster(sample_data))
    for who, headers in ((clerk, csrf), (client, branch_token)):
        for url in ("/api/v1/branches/WJ018/roster", "/api/v1/branches/WJ018/roster?dry_run=true"):
            resp = post_as(who, headers, url, branch_roster(sample_data))
            assert resp.status_code == 404, resp.get_json()
            assert resp.get_json() == {**nowhere.get_json(), "message": nowhere.get_json()["message"].replace("WJ099", "WJ018")}
    assert versions(app) == before
    own = post_as(clerk, csrf, "/api/v1/branches/WJ017/roster", branch_roster(sample_data))
    assert own.status_code == 201 and versions(app) == before + 1
    assert stored(app, 2).actor == "wj017"
    with database(app).reading() as session:
        denied = session.scalars(select(AuditEvent).where(AuditEvent.action == "denied")).all()
    assert {e.branch_code for e in denied} == {"WJ018", "WJ099"}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_dry_run_must_be_true_or_false(app):
    resp = post(app.test_client(), "/api/v1/branches/WJ017/roster?dry_run=maybe", xlsx(ROWS))
    assert resp.status_code == 400 and resp.get_json()["errors"] == [{"path": "dry_run", "message": "应为 true 或 false"}]
    assert versions(app) == 0


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_answers_are_as_documented(app, sample_data):
    client = app.test_client()
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    client.put("/api/v1/branches/WJ017/dataset", json=sample_data)
    read = post(client, "/api/v1/rosters/read", branch_roster(sample_data)).get_json()
    dry = post(client, "/api/v1/branches/WJ017/roster?dry_run=true", branch_roster(sample_data)).get_json()
    kept = post(client, "/api/v1/branches/WJ017/roster", branch_roster(sample_data)).get_json()
    for name, body in (("RosterRead", read), ("RosterDryRun", dry), ("RosterStored", kept)):
        assert set(schemas[name]["properties"]) == set(body) == set(schemas[name]["required"]), name
    operation = spec["paths"]["/api/v1/branches/{code}/roster"]["post"]
    assert set(operation["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]) == {
        "file", "mapping", "sheet"}
    assert [p["name"] for p in operation["parameters"] if p["in"] == "query"] == ["dry_run"]
