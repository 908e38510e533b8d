"""The 报送 table on SQLite and PostgreSQL: a 报送 of one valid version per deliverable, a second one
replacing the first with the history kept, a 退回修改 reopening what its version sent, sent() for every
branch in a fixed number of queries, and the refusals (a rejected version, empty summary fields)."""
from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from service.domain.delivery import Sent
from service.errors import DeliverableIncomplete, NotValidVersion, UnknownVersion
from service.intake.received import from_json_body
from service.store import branches, deliveries, reviews, submissions
from service.store.delivery_tables import Delivery
from tools.statements import statements
from tools.synthetic import synthetic_branch

T0 = datetime(2023, 6, 15, 1, 0, tzinfo=timezone.utc)


def store(db, data, when):
    return submissions.submit(db, from_json_body(json.dumps(data, ensure_ascii=False).encode()), "api", when)


def send(db, code, deliverable, version=None, when=T0):
    with db.writing() as session:
        branch = branches.get(session, code)
        return deliveries.as_dict(deliveries.deliver(session, branch, deliverable,
                                                     deliveries.pick(session, branch, version), "干事", "api", when))


def branch(code, seed):
    data = synthetic_branch(3, seed=seed)
    data["org"]["code"] = code
    return data


def test_a_send_replaces_the_last_and_a_return_reopens(db):
    data = branch("S1", 1)
    one = store(db, data, T0)
    later = copy.deepcopy(data)
    later["members"] = later["members"][:-1]
    two = store(db, later, T0 + timedelta(days=1))
    send(db, "S1", "work_plan", 1)
    send(db, "S1", "tables", 1)
    assert deliveries.sent(db) == {"S1": {"work_plan": Sent(1, T0, one.verification_code),
                                          "tables": Sent(1, T0, one.verification_code)}}
    at = T0 + timedelta(days=2)
    again = send(db, "S1", "tables", None, at)  # the newest valid version
    assert (again["version"], again["verification_code"]) == (2, two.verification_code)
    assert deliveries.sent(db)["S1"]["tables"] == Sent(2, at, two.verification_code, resent=True)
    with db.writing() as session:
        reviews.add(session, deliveries.pick(session, branches.get(session, "S1"), 1), "returned", "请修改", "区委",
                    at + timedelta(hours=1))
    assert deliveries.sent(db) == {"S1": {"tables": Sent(2, at, two.verification_code, resent=True)}}
    with db.reading() as session:
        kept = deliveries.history(session, branches.get(session, "S1").id)
        assert session.scalar(select(func.count()).select_from(Delivery)) == 3  # nothing deleted
    assert [(h["version"], h["current"], h["replaced"]) for h in kept["tables"]] == [(2, True, False), (1, False, True)]
    assert kept["work_plan"][0]["reopened_at"] == (at + timedelta(hours=1)).isoformat()


def test_refusals(db):
    store(db, {**branch("S2", 2), "members": []}, T0)  # rejected
    with pytest.raises(NotValidVersion, match="还没有通过校验的版本"):
        send(db, "S2", "tables")
    with pytest.raises(NotValidVersion, match="第1版未通过校验"):
        send(db, "S2", "tables", 1)
    with pytest.raises(UnknownVersion, match="没有第5版"):
        send(db, "S2", "tables", 5)
    store(db, branch("S2", 2), T0)
    with pytest.raises(DeliverableIncomplete) as refused:
        send(db, "S2", "final_report")
    assert [e["path"] for e in refused.value.errors] == ["final_report.work_done", "final_report.long_term_measures"]
    assert deliveries.sent(db) == {}


def test_sent_reads_every_branch_in_a_fixed_number_of_queries(db):
    def run():
        with statements(db.engine) as seen:
            out = deliveries.sent(db)
        return out, len(seen)

    for n in range(3):
        store(db, branch(f"Q{n}", 10 + n), T0)
        send(db, f"Q{n}", "tables")
    few, count_few = run()
    for n in range(3, 12):
        store(db, branch(f"Q{n}", 10 + n), T0)
        send(db, f"Q{n}", "tables")
        send(db, f"Q{n}", "tables")
    many, count_many = run()
    assert len(few) == 3 and len(many) == 12 and count_few == count_many
    assert all(many[f"Q{n}"]["tables"].resent for n in range(3, 12)) and not many["Q0"]["tables"].resent


def test_two_sends_at_once_leave_one_current(db):
    import threading

    store(db, branch("C1", 30), T0)
    start = threading.Barrier(4)
    errors = []

    def one():
        start.wait()
        try:
            send(db, "C1", "tables")
        except Exception as err:  # noqa: BLE001 - any failure is the test's finding
            errors.append(err)

    workers = [threading.Thread(target=one) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    with db.reading() as session:
        current = session.scalar(select(func.count()).select_from(Delivery).where(Delivery.is_current.is_(True)))
        replaced = session.scalar(select(func.count()).select_from(Delivery).where(Delivery.replaced_by.is_not(None)))
    assert (current, replaced) == (1, 3)
