"""The district tables over stored versions, on SQLite and PostgreSQL: each branch's newest valid version,
its stored figures, 合计 equal to the figures computed from the datasets, and a fixed number of queries."""
from __future__ import annotations

import copy
import json
from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pytest

import schemas
from service.documents import district as files
from service.domain import catalog, district, figures, rules
from service.intake.received import from_json_body
from service.store import district as queries
from service.store import branches, deliveries, reviews, submissions
from tests.conftest import sheet
from tools.statements import statements
from tools.synthetic import synthetic_branch

T0 = datetime(2023, 7, 1, 2, 0, tzinfo=timezone.utc)
DAY = date(2023, 7, 12)


def branch(code: str, name: str, members: int, seed: int) -> dict:
    data = synthetic_branch(members, seed)
    data["org"].update(code=code, name=name)
    return data


def send(db, data, hours: int = 0):
    return submissions.submit(db, from_json_body(json.dumps(data, ensure_ascii=False).encode()), "api",
                              T0 + timedelta(hours=hours))


def rejected(data: dict) -> dict:
    bad = copy.deepcopy(data)
    bad["members"][0]["gender"] = "不详"
    bad["members"][1]["id_number"] = "320412197204180238"
    return bad


@pytest.fixture
def district_db(db):
    """Five branches as a district sees them in July, and what each one's tables must say.

    WJ001 valid; WJ002 valid v1 then a different valid v2 (v2 counts); WJ003 valid v1 then a rejected
    v2 (v1 counts, its errors are v2's); WJ004 rejected only (not in the rows); WJ005 valid with a later
    统计截止日期; plus input no branch code can be read from.
    """
    a = branch("WJ001", "星河实验小学党支部", 30, 1)
    b1, b2 = branch("WJ002", "湖塘桥实验小学党支部", 28, 2), branch("WJ002", "湖塘桥实验小学党支部", 35, 22)
    c = branch("WJ003", "礼嘉中心小学党支部", 40, 3)
    d = branch("WJ004", "前黄高级中学党委", 27, 4)
    e = branch("WJ005", "武进区湖塘实验中学党总支部", 33, 5)
    e["campaign"] = {"stats_date": "2023-07-10"}
    for hours, data in enumerate([a, b1, c, rejected(d), b2, rejected(c), e]):
        send(db, data, hours)
    submissions.submit(db, from_json_body(b"not json at all"), "api", T0)
    return {"WJ001": a, "WJ002": b2, "WJ003": c, "WJ005": e}


def computed(data: dict, doc_id: str) -> dict:
    ds = schemas.load_dataset(data)
    return figures.outgoing_summary(ds) if doc_id == "outgoing_summary" else figures.campaign_summary(ds)


def test_each_branch_counts_by_its_newest_valid_version(db, district_db):
    with db.reading() as session:
        rows, unreported = queries.latest_figures(session)
    assert [(r.code, r.version) for r in rows] == [("WJ001", 1), ("WJ002", 2), ("WJ003", 1), ("WJ005", 1)]
    assert unreported == 1  # WJ004: every version rejected
    for r in rows:
        assert r.figures["campaign_summary"] == computed(district_db[r.code], "campaign_summary")
        assert r.figures["outgoing_summary"] == computed(district_db[r.code], "outgoing_summary")
    assert {r.code: r.stats_date for r in rows}["WJ005"] == date(2023, 7, 10)
    assert {r.code: r.stats_date for r in rows}["WJ001"] == date(2023, 6, 30)


def test_the_tables_count_as_sent_and_the_newest_valid_version_where_nothing_was(db, district_db):
    """WJ002 sent its version 1 as 附件3—9 and then stored version 2: the totals and the 核查情况 read
    version 1; the others sent nothing and stand in with their newest valid version, said so."""
    with db.writing() as session:
        branch = branches.get(session, "WJ002")
        deliveries.deliver(session, branch, "tables", deliveries.pick(session, branch, 1), "王老师", "api", T0)
    with db.reading() as session:
        rows, unreported = queries.latest_figures(session)
        kept = queries.latest_valid_versions(session)
    assert [(r.code, r.version, r.sent) for r in rows] == [("WJ001", 1, False), ("WJ002", 1, True),
                                                            ("WJ003", 1, False), ("WJ005", 1, False)]
    assert [(k.code, k.version, k.sent) for k in kept] == [(r.code, r.version, r.sent) for r in rows]
    ctx = district.table_context("campaign_summary", rows, unreported, DAY)
    assert "1 个按报送的附件3—9，3 个未报送，按最新有效版本" in ctx["note"]
    with db.writing() as session:  # a 退回修改 of version 1 reopens it: the newest valid version stands in again
        sub = deliveries.pick(session, branches.get(session, "WJ002"), 1)
        reviews.add(session, sub, "returned", "请补充", "区委", T0)
    with db.reading() as session:
        assert [(r.version, r.sent) for r in queries.latest_figures(session)[0] if r.code == "WJ002"] == [(2, False)]


def find(ws, text: str) -> int:
    return next(c.row for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith(text))


@pytest.mark.parametrize("doc_id", catalog.DISTRICT_TABLE_IDS)
def test_the_district_table_read_back_rows_total_and_names(db, district_db, doc_id):
    output = files.table_xlsx(db, doc_id, DAY)
    assert output.filename == f"武进区教育系统-{catalog.file_title(doc_id)}-20230712.xlsx"
    ws = sheet(output.data)
    codes = list(district.LABELS[doc_id])
    header = 6  # 附件N, title, the 填报单位 line, two header rows, the column numbers
    first, total = header + 1, find(ws, "合计")
    names = [ws.cell(row=r, column=1).value for r in range(first, total)]
    assert names == [district_db[code]["org"]["name"] for code in sorted(district_db)]
    for r, code in zip(range(first, total), sorted(district_db)):
        assert [ws.cell(row=r, column=2 + i).value for i in range(len(codes))] == \
            [computed(district_db[code], doc_id)[c] for c in codes]
    expected = figures.add_up([computed(data, doc_id) for data in district_db.values()])
    assert [ws.cell(row=total, column=2 + i).value for i in range(len(codes))] == [expected[c] for c in codes]
    assert ws.cell(row=total + 1, column=1).value == \
        "说明：本表汇总 4 个党组织最新一次通过校验的数据（均未报送，按最新有效版本）；另有 1 个党组织尚未报送有效数据，未列入本表。"
    assert ws.cell(row=total + 2, column=1).value.startswith("填表人：")
    line = " ".join(str(c.value) for c in ws[3] if c.value)
    assert "填报单位（盖章）：中共常州市武进区委教育工作委员会" in line
    assert "统计截止日期：2023年6月30日至2023年7月10日" in line and "填报日期：2023年7月12日" in line
    assert ws.print_title_rows == "$4:$6"


def test_the_district_queries_do_not_grow_with_the_branches(db, district_db):
    """The tables' rows as sent (one query), the count of branches and of the register's closed ones, the
    findings overview: a fixed number of queries, never one per branch."""
    def run():
        with statements(db.engine) as seen, db.reading() as session:
            queries.latest_figures(session)
            queries.latest_findings(session)
        return len(seen)

    before = run()
    for i in range(6, 16):
        send(db, branch(f"WJ{i:03d}", f"第{i}小学党支部", 26, i), i)
    assert run() == before <= 5


def test_findings_overview_from_the_stored_counts(db, district_db):
    with db.reading() as session:
        out = district.findings_overview(queries.latest_findings(session))
        unidentified = queries.unidentified(session)
    by_code = {b["code"]: b for b in out["branches"]}
    assert list(by_code) == ["WJ001", "WJ002", "WJ003", "WJ004", "WJ005"]
    for code, data in district_db.items():
        found = Counter(f.rule for f in rules.findings(schemas.load_dataset(data)))
        assert by_code[code]["by_rule"] == dict(found) and by_code[code]["warnings"] == sum(found.values())
    assert (by_code["WJ003"]["latest_version"], by_code["WJ003"]["latest_valid"], by_code["WJ003"]["valid_version"]) \
        == (2, False, 1)
    assert by_code["WJ003"]["errors"] == 2 and by_code["WJ001"]["errors"] == 0
    assert (by_code["WJ004"]["valid_version"], by_code["WJ004"]["by_rule"]) == (None, {})
    totals = out["totals"]
    assert (totals["with_valid"], totals["without_valid"], totals["latest_rejected"]) == (4, 1, 2)
    assert totals["by_rule"] == dict(sum((Counter(b["by_rule"]) for b in out["branches"]), Counter()))
    assert unidentified == 1
