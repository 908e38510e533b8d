"""The campaign and the register in the store, on SQLite and on PostgreSQL (issue 18 part 1): deadlines(db)
is the notice's until the district sets its own, the register adds and updates and never deletes a branch
with versions, a registered branch is in the list and the totals from day one, and migration 0015_campaign
takes a database at 0014_roster as it was."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import inspect

from schemas.register import load_register
from service.domain.model import Deadlines
from service.domain.register import DistrictCampaign
from service.errors import BranchHasSubmissions
from service.intake.received import from_json_body
from service.store import branches, campaign, migrate, register, submissions
from service.store import district as queries
from service.store.db import Database
from tests.store.test_list_columns import downgrade, everything, fresh_database, history

T = datetime(2023, 7, 20, 4, tzinfo=timezone.utc)


def send(db, data: dict):
    return submissions.submit(db, from_json_body(json.dumps(data, ensure_ascii=False).encode()), "api", T)


def test_deadlines_are_the_notices_until_the_district_sets_its_own(db):
    assert campaign.current(db) is None and campaign.deadlines(db) == Deadlines()
    mine = DistrictCampaign("2024年排查", date(2024, 6, 30), Deadlines(date(2024, 6, 20), date(2024, 7, 15),
                                                                   date(2024, 7, 25), date(2024, 10, 15)))
    with db.writing() as session:
        campaign.set_campaign(session, mine, "测试", T)
    assert campaign.current(db) == mine and campaign.deadlines(db) == mine.deadlines
    with db.writing() as session:  # replaced as a whole, still one row
        campaign.set_campaign(session, DistrictCampaign(), None, T)
        assert campaign.current(session) == DistrictCampaign()


def test_registered_branches_are_listed_and_counted_from_day_one(db, sample_data):
    with db.writing() as session:
        register.upsert(session, load_register({"branches": [{"code": "WJ001", "name": "甲党支部"},
                                                              {"code": "WJ002", "name": "乙党支部"}]}), T)
    send(db, sample_data)  # WJ017, not registered
    with db.reading() as session:
        rows = {r["code"]: r for r in branches.overview(session, T, Deadlines())}
        figures, unreported = queries.latest_figures(session)
    assert set(rows) == {"WJ001", "WJ002", "WJ017"}
    assert rows["WJ001"]["latest"] is None and rows["WJ001"]["name"] == "甲党支部" and rows["WJ001"]["flag"] is None
    assert [d["status"] for d in rows["WJ001"]["deliverables"]] == ["overdue", "overdue", "not_due", "not_due"]
    assert rows["WJ017"]["registered"] is False and rows["WJ017"]["flag"] == "编号不在区委教育工委的党组织名单中"
    assert [f.code for f in figures] == ["WJ017"] and unreported == 2
    with db.writing() as session:
        register.upsert(session, load_register({"branches": [{"code": "WJ002", "name": "乙党支部",
                                                              "state": "merged", "merged_into": "WJ001"}]}), T)
    with db.reading() as session:
        assert queries.latest_figures(session)[1] == 1  # merged and silent: nobody waits for it


def test_never_deletes_a_branch_with_versions(db, sample_data):
    code = sample_data["org"]["code"]
    with db.writing() as session:
        register.upsert(session, load_register({"branches": [{"code": code, "name": "星河"},
                                                              {"code": "WJ002", "name": "乙"}]}), T)
    kept = send(db, sample_data)
    assert kept.valid and not [w for w in kept.warnings if w["rule"] == "not_registered"]
    with db.writing() as session, pytest.raises(BranchHasSubmissions, match="撤销"):
        register.delete(session, code)
    with db.writing() as session:
        register.delete(session, "WJ002")
    with db.reading() as session:
        assert [r["code"] for r in register.listing(session)] == [code]
        assert [r["code"] for r in branches.overview(session, T, Deadlines())] == [code]
        # the branch's names are its data's once it sent some; the register keeps the district's
        assert branches.overview(session, T, Deadlines())[0]["name"] == sample_data["org"]["name"]
        assert register.listing(session)[0]["name"] == "星河"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_database_at_0014_roster_upgrades(backend, tmp_path, sample_data):
    url, drop = fresh_database(backend, tmp_path)
    db = Database(url, 10.0)
    try:
        migrate.upgrade(db)
        history(db)
        send(db, sample_data)
        downgrade(db, "0014_roster")
        assert not {"campaigns", "register"} & set(inspect(db.engine).get_table_names())
        before = everything(db)
        assert migrate.upgrade(db) == ("0014_roster", migrate.head())
        assert everything(db) == before
        assert campaign.deadlines(db) == Deadlines()  # nothing set: the notice's, as before
        with db.writing() as session:
            register.upsert(session, load_register({"branches": [{"code": "WJ001", "name": "甲"}]}), T)
        with db.reading() as session:
            assert "WJ001" in {r["code"] for r in branches.overview(session, T, Deadlines())}
        downgrade(db, "0014_roster")  # and back, the register's tables gone, the branch rows kept
        assert not {"campaigns", "register"} & set(inspect(db.engine).get_table_names())
    finally:
        db.dispose()
        drop()
