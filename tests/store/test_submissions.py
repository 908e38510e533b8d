"""Every dataset a branch sends is kept as its next version, valid or rejected, with its figures."""
from __future__ import annotations

import hashlib
import json
import threading
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

import schemas
from service.domain import figures, rules, scope
from service.domain.verification import canonical, verification_code
from service.intake.received import from_json_body
from service.store import submissions
from service.store.models import Branch, Submission
from tests.conftest import BEIJING
from tools.synthetic import synthetic_branch

T0 = datetime(2023, 6, 19, 2, 0, tzinfo=timezone.utc)


def body(data) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def row(db, stored, *large) -> Submission:
    from sqlalchemy.orm import undefer

    with db.reading() as session:
        return session.scalar(select(Submission).where(Submission.id == stored.id)
                              .options(*[undefer(getattr(Submission, c)) for c in large]))


def test_a_valid_version_keeps_its_dataset_figures_findings_and_raw_bytes(db, sample_data):
    raw = body(sample_data)
    stored = submissions.submit(db, from_json_body(raw), "api", T0, actor="区委教育工委 王老师")
    ds = schemas.load_dataset(sample_data)
    assert (stored.branch_code, stored.version, stored.valid) == ("WJ017", 1, True)
    assert stored.verification_code == verification_code(ds)
    sub = row(db, stored, "raw", "dataset", "figures", "findings", "input")
    assert sub.raw == raw and sub.input == sample_data and sub.raw_kind == "json"
    assert sub.content_hash == hashlib.sha256(canonical(ds)).hexdigest()
    assert sub.dataset == schemas.dump_dataset(ds) and submissions.load(sub) == ds
    assert sub.figures == {"outgoing_summary": figures.outgoing_summary(ds), "campaign_summary": figures.campaign_summary(ds)}
    found = rules.findings(ds)
    assert sub.findings == [f.as_dict() for f in found] and sub.finding_count == len(found) > 0
    assert sum(sub.findings_count["by_rule"].values()) == len(found)
    assert sub.findings_count["by_severity"] == {"W": len(found)}
    assert sub.in_scope == len(scope.in_scope(ds))
    assert sub.campaign == "2023-06-20,2023-07-15,2023-07-25,2023-10-15"
    assert sub.created_at == T0 and sub.created_at.tzinfo is not None
    assert sub.source == "api" and sub.actor == "区委教育工委 王老师"
    with db.reading() as session:
        branch = session.scalar(select(Branch).where(Branch.code == "WJ017"))
        assert (branch.name, branch.full_name, branch.contact_person, branch.contact_phone) == (
            ds.org.name, ds.org.full_name, ds.org.contact_person, ds.org.contact_phone)


def test_a_rejected_version_is_kept_with_every_error_and_numbered_like_any_other(db, sample_data):
    submissions.submit(db, from_json_body(body(sample_data)), "api", T0)
    bad = json.loads(json.dumps(sample_data))
    bad["org"]["name"] = "改了名字的支部"
    bad["members"][0]["id_number"] = "320412197204180238"  # wrong check digit
    bad["members"][1]["gender"] = "不详"
    raw = body(bad)
    stored = submissions.submit(db, from_json_body(raw), "api", T0 + timedelta(hours=1))
    assert (stored.version, stored.valid, stored.verification_code) == (2, False, None)
    sub = row(db, stored, "raw", "errors", "dataset", "figures")
    assert sub.raw == raw and sub.content_hash == hashlib.sha256(raw).hexdigest()
    assert {e["path"] for e in sub.errors} >= {"members[0].id_number", "members[1].gender"}
    assert sub.error_count == len(sub.errors) and sub.dataset is None and sub.figures is None
    with db.reading() as session:  # the names stay those of the valid version
        assert session.scalar(select(Branch.name).where(Branch.code == "WJ017")) == sample_data["org"]["name"]


def test_a_branch_first_seen_in_rejected_input_is_named_as_that_input_spells_it(db, sample_data):
    sample_data["members"] = []
    sample_data["org"]["full_name"] = "全" * 80
    stored = submissions.submit(db, from_json_body(body(sample_data)), "upload", T0)
    assert (stored.branch_code, stored.version, stored.valid) == ("WJ017", 1, False)
    with db.reading() as session:
        branch = session.scalar(select(Branch).where(Branch.code == "WJ017"))
        assert branch.name == sample_data["org"]["name"] and branch.full_name == "全" * 50


def test_input_naming_no_branch_is_kept_without_one(db):
    for raw in (b"{not json", body({"org": {"code": "WJ/017"}}), body([1, 2])):
        stored = submissions.submit(db, from_json_body(raw), "api", T0)
        assert (stored.branch_code, stored.version, stored.valid) == (None, None, False)
        sub = row(db, stored, "raw", "errors")
        assert sub.raw == raw and sub.errors
    with db.reading() as session:
        assert session.scalar(select(Branch)) is None


def test_the_path_code_decides_the_branch_of_unreadable_input(db):
    stored = submissions.submit(db, from_json_body(b"\xff\xfe"), "api", T0, code="WJ017")
    assert (stored.branch_code, stored.version, stored.valid) == ("WJ017", 1, False)
    assert row(db, stored, "errors").errors == [{"path": "", "message": "请求体不是 UTF-8 编码的 JSON"}]


def test_times_are_kept_as_the_same_instant_in_utc(db, sample_data):
    beijing = datetime(2023, 6, 20, 23, 59, tzinfo=BEIJING)
    stored = submissions.submit(db, from_json_body(body(sample_data)), "api", beijing)
    assert stored.created_at == beijing
    assert row(db, stored).created_at.utcoffset() == timedelta(0)


def test_concurrent_submissions_of_one_branch_get_distinct_consecutive_versions(db):
    data = synthetic_branch(5, seed=7)
    received = from_json_body(body(data))
    results, errors = [], []
    start = threading.Barrier(6)

    def send():
        try:
            start.wait(timeout=30)
            results.append(submissions.submit(db, received, "batch", T0).version)
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and sorted(results) == [1, 2, 3, 4, 5, 6]


def test_a_result_page_token_finds_its_submission_and_nothing_else(db, sample_data):
    stored = submissions.submit(db, from_json_body(body(sample_data)), "upload", T0)
    with db.reading() as session:
        assert submissions.by_token(session, stored.token).id == stored.id
        assert submissions.by_token(session, "x" * 24) is None
        assert submissions.by_token(session, "../../etc/passwd") is None
