"""Batch regeneration without Redis: the in-process runner, the API, the zip, skipping, leases, the CLI.

On SQLite and PostgreSQL (the db_url/db fixtures of tests/databases.py).
"""
from __future__ import annotations

import io
import re
import time
import zipfile
from datetime import timedelta
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from sqlalchemy.exc import IntegrityError

from service.clock import utcnow
from service.jobs import batches, leases
from service.jobs.runner import Runner
from service.store.batches import Batch, BatchItem
from service.store.models import Artifact
from tests.conftest import FakeConverter, make_app
from tests.databases import count_rows
from tests.jobs.district import (branch_data, check_office_folder, progress, run_batch, seed, submit, wait_finished,
                                 zip_folders)

NAME = re.compile(r"filename\*=UTF-8''(.+)$")


class HeldRunner(Runner):
    """A runner that records what it is given and runs nothing: the tests drive the items by hand."""

    def __init__(self, db, lease=60.0, attempts=3):
        super().__init__(db, lease, attempts)
        self.submitted: list[tuple[str, int]] = []

    def submit(self, jobs):
        self.submitted += jobs


def app_on(tmp_path, db_url, **settings):
    return make_app(tmp_path, DATABASE_URL=db_url, BATCH_THREADS=2, **settings)


def test_a_batch_makes_every_branch_folder_and_a_rerun_skips_them_all(tmp_path, db_url, db):
    codes = seed(db, 5, members=30)
    rejected = branch_data(99)
    rejected["members"][0]["id_number"] = "320412197204180230"  # a wrong check digit
    assert not submit(db, rejected).valid
    app = app_on(tmp_path, db_url)
    client = app.test_client()

    resp = client.post("/api/v1/batches", json={"actor": "区委组织人事科"})
    assert resp.status_code == 202, resp.get_data(as_text=True)
    first = resp.get_json()
    assert resp.headers["Location"] == f"/api/v1/batches/{first['id']}"
    assert re.fullmatch(r"[0-9a-f]{32}", first["id"]) and first["total"] == 6 and first["actor"] == "区委组织人事科"
    state = wait_finished(lambda: progress(client, first["id"]))
    assert (state["done"], state["failed"], state["skipped"], state["percent"]) == (5, 1, 0, 100)
    failed = next(b for b in state["branches"] if b["state"] == "failed")
    assert failed["code"] == "T099" and "没有通过校验的数据版本" in failed["error"]
    assert "320412197204180230" not in str(state)
    assert [b["code"] for b in state["branches"]] == sorted(codes + ["T099"])
    assert all(b["version"] == 1 and b["attempts"] == 1 for b in state["branches"] if b["state"] == "done")

    resp = client.get(state["download"])
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    assert unquote(NAME.search(resp.headers["Content-Disposition"])[1]) == "武进区教育系统-党员组织关系排查-20230712.zip" \
        or unquote(NAME.search(resp.headers["Content-Disposition"])[1]).startswith("武进区教育系统-党员组织关系排查-")
    folders = zip_folders(resp.data)
    listing = folders.pop("")
    assert list(listing) == ["未生成的支部.txt"]
    assert "T099-星河第99实验小学党支部：该支部还没有通过校验的数据版本" in listing["未生成的支部.txt"].decode("utf-8-sig")
    assert len(folders) == 5
    for i, code in enumerate(codes):
        folder = f"{code}-星河第{i}实验小学党支部"
        check_office_folder(folder, folders[folder], i, 30)
    made = count_rows(db, Artifact)
    assert made == 5 * 4

    again = client.post("/api/v1/batches", json={"branches": codes + ["T099"]}).get_json()
    assert (again["state"], again["done"], again["skipped"], again["failed"]) == ("finished", 0, 5, 1)
    assert "跳过 5 个" in again["message"]
    assert count_rows(db, Artifact) == made  # nothing rendered again
    rezipped = zip_folders(client.get(again["download"]).data)
    assert {k: sorted(v) for k, v in rezipped.items() if k} == {k: sorted(v) for k, v in folders.items()}


def test_the_zip_is_named_for_the_day_in_china(tmp_path, db_url, db):
    seed(db, 1)
    client = app_on(tmp_path, db_url).test_client()
    batch_id = client.post("/api/v1/batches", json={"branches": ["T000"], "packages": ["work_plan"]}).get_json()["id"]
    wait_finished(lambda: progress(client, batch_id))
    with db.writing() as session:  # 23:30 UTC is the next morning in 武进
        session.get(Batch, batch_id).created_at = utcnow().replace(year=2023, month=7, day=12, hour=23, minute=30)
    resp = client.get(f"/api/v1/batches/{batch_id}/download")
    assert unquote(NAME.search(resp.headers["Content-Disposition"])[1]) == "武进区教育系统-党员组织关系排查-20230713.zip"
    assert 'filename="paicha-batch-20230713.zip"' in resp.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(resp.data)) as zf:
        assert zf.namelist() == ["T000-星河第0实验小学党支部/T000-星河第0实验小学党支部-党员组织关系排查工作方案.docx"]
        assert all(info.create_system == 3 and info.flag_bits & 0x800 for info in zf.infolist())


def test_pdf_rerun_converts_nothing(tmp_path, db_url, db):
    """format=both through a converter that counts: the second run converts nothing and makes nothing."""
    seed(db, 3, members=12)
    app = app_on(tmp_path, db_url, PDF_ENABLED=True)
    converter = FakeConverter()
    app.extensions["paicha.pdf_pool"] = converter
    client = app.test_client()
    body = {"packages": ["work_plan", "tables"], "format": "both"}
    state = run_batch(client, body)
    assert (state["done"], state["failed"]) == (3, 0), state
    assert len(converter.calls) == 3 * (1 + 1 + 1)  # 工作方案; 附件3 and 附件4–9 as one workbook
    folders = zip_folders(client.get(state["download"]).data)
    files = folders["T001-星河第1实验小学党支部"]
    assert sorted(files) == sorted([
        "T001-星河第1实验小学党支部-党员组织关系排查工作方案.docx", "T001-星河第1实验小学党支部-党员组织关系排查工作方案.pdf",
        "T001-星河第1实验小学党支部-党员组织关系排查相关表格.zip", "PDF/T001-星河第1实验小学党支部-党员组织关系排查相关表格.zip"])
    with zipfile.ZipFile(io.BytesIO(files["PDF/T001-星河第1实验小学党支部-党员组织关系排查相关表格.zip"])) as pdfs:
        assert all(n.endswith(".pdf") for n in pdfs.namelist()) and len(pdfs.namelist()) == 7
    calls, made = len(converter.calls), count_rows(db, Artifact)
    again = client.post("/api/v1/batches", json=body).get_json()
    assert (again["state"], again["skipped"]) == ("finished", 3)
    assert (len(converter.calls), count_rows(db, Artifact)) == (calls, made)


def test_a_changed_branch_is_made_again_and_the_others_skipped(tmp_path, db_url, db):
    seed(db, 3, members=12)
    client = app_on(tmp_path, db_url).test_client()
    run_batch(client, {})
    changed = branch_data(1, 12)
    changed["org"]["contact_person"] = changed["members"][2]["name"]
    assert submit(db, changed).version == 2
    state = run_batch(client, {})
    assert (state["done"], state["skipped"]) == (1, 2)
    assert [(b["code"], b["state"], b["version"]) for b in state["branches"]] == [
        ("T000", "skipped", 1), ("T001", "done", 2), ("T002", "skipped", 1)]


def test_bad_requests_are_answered_in_chinese(tmp_path, db_url, db):
    client = app_on(tmp_path, db_url).test_client()
    empty = client.post("/api/v1/batches", json={})
    assert empty.status_code == 422 and empty.get_json()["message"] == "还没有任何支部报送过数据，没有可生成的文书"
    seed(db, 1)
    resp = client.post("/api/v1/batches", json={"branches": ["T000", "NOPE1", "a/b"], "packages": ["tables", "x"],
                                                "format": "docx", "colour": 1})
    assert resp.status_code == 422
    errors = {e["path"]: e["message"] for e in resp.get_json()["errors"]}
    assert set(errors) == {"branches[2]", "packages[1]", "format", "colour"}
    unknown = client.post("/api/v1/batches", json={"branches": ["T000", "NOPE1"]})
    assert unknown.status_code == 422 and unknown.get_json()["errors"] == [
        {"path": "branches[1]", "message": "没有编号为「NOPE1」的支部：该支部尚未报送过数据"}]
    assert client.post("/api/v1/batches", data=b"[1", content_type="application/json").status_code == 400
    for path in ("/api/v1/batches/" + "0" * 32, "/api/v1/batches/x", "/api/v1/batches/" + "0" * 32 + "/download"):
        resp = client.get(path)
        assert resp.status_code == 404 and resp.get_json()["code"] == "unknown_batch", path


def test_download_before_the_end_is_409(tmp_path, db_url, db):
    seed(db, 2)
    app = app_on(tmp_path, db_url)
    runner = HeldRunner(db)
    app.extensions["paicha.batch_runner"] = runner  # nothing runs
    client = app.test_client()
    batch_id = client.post("/api/v1/batches", json={}).get_json()["id"]
    resp = client.get(f"/api/v1/batches/{batch_id}/download")
    assert resp.status_code == 409 and resp.get_json()["message"] == "批量生成尚未完成（已完成 0/2 个支部），完成后再下载"
    assert len(runner.submitted) == 2


# ---- leases: claimed once, written once, reaped when the holder is gone ----------------------------------


def held_batch(db, count=1, **runner_args):
    seed(db, count, members=6)
    runner = HeldRunner(db, **runner_args)
    batch_id = batches.create(db, runner, batches.parse({}), utcnow())
    return runner, batch_id, [item for _, item in runner.submitted]


def test_an_item_is_claimed_by_one_worker_and_its_result_written_once(db):
    runner, batch_id, [item] = held_batch(db)
    now = utcnow()
    first = leases.claim(db, batch_id, item, "w1", 60, 3, now)
    assert first is not None and first.attempt == 1
    assert leases.claim(db, batch_id, item, "w2", 60, 3, now) is None  # held, lease alive
    assert not leases.finish(db, batch_id, item, "w2", "done", now)  # not w2's to write
    assert leases.finish(db, batch_id, item, "w1", "done", now, artifact_ids=[])
    assert not leases.finish(db, batch_id, item, "w1", "done", now)  # written once
    with db.reading() as session:
        batch = session.get(Batch, batch_id)
        assert (batch.state, batch.done, batch.total) == ("finished", 1, 1)


def test_a_lost_holder_is_reaped_and_the_item_fails_after_its_tries(db):
    runner, batch_id, [item] = held_batch(db, lease=30, attempts=3)
    now = utcnow()
    for attempt in (1, 2, 3):
        assert leases.claim(db, batch_id, item, f"dead{attempt}", 30, 3, now).attempt == attempt
        now += timedelta(seconds=31)  # the holder never renews
        assert leases.reap(db, "reaper", 30, 3, now) == ([(batch_id, item)] if attempt < 3 else [])
    with db.reading() as session:
        row = session.get(BatchItem, item)
        batch = session.get(Batch, batch_id)
    assert (row.state, row.attempts, row.lease_owner) == ("failed", 3, None)
    assert row.error == "处理该支部时工作进程 3 次中断（进程被终止或失去联系），已停止重试，请检查工作进程后重新生成"
    assert (batch.state, batch.failed) == ("finished", 1)


def test_a_renewed_lease_is_not_reaped(db):
    runner, batch_id, [item] = held_batch(db, lease=30)
    now = utcnow()
    leases.claim(db, batch_id, item, "alive", 30, 3, now)
    assert leases.renew(db, "alive", [item], 30, now + timedelta(seconds=20)) == 1
    assert leases.reap(db, "reaper", 30, 3, now + timedelta(seconds=40)) == []


def test_one_item_per_branch_and_batch(db):
    runner, batch_id, [item] = held_batch(db)
    with db.reading() as session:
        branch_id = session.get(BatchItem, item).branch_id
    with pytest.raises(IntegrityError):
        with db.writing() as session:
            session.add(BatchItem(batch_id=batch_id, branch_id=branch_id, position=1, state="queued", attempts=0))


# ---- the command line ------------------------------------------------------------------------------------


def test_paicha_batch_runs_in_process_and_writes_the_zip(tmp_path, db_url, db, monkeypatch):
    from service.cli import main

    seed(db, 3, members=8)
    monkeypatch.setenv("PAICHA_DATABASE_URL", db_url)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("PAICHA_REDIS_URL", raising=False)
    out = tmp_path / "district.zip"
    result = CliRunner().invoke(main, ["batch", "T000", "T002", "--packages", "tables,work_plan", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "共 2 个支部，跳过 0 个" in result.output and "已生成 2 个" in result.output
    assert sorted(zip_folders(out.read_bytes())) == ["T000-星河第0实验小学党支部", "T002-星河第2实验小学党支部"]
    again = CliRunner().invoke(main, ["batch", "--all", "--packages", "tables,work_plan", "--wait"])
    assert again.exit_code == 0 and "共 3 个支部，跳过 2 个" in again.output and "已生成 1 个" in again.output
    usage = CliRunner().invoke(main, ["batch", "--all", "T000"])
    assert usage.exit_code == 2 and "二者取其一" in usage.output
    unknown = CliRunner().invoke(main, ["batch", "NOPE"])
    assert unknown.exit_code == 2 and "没有编号为「NOPE」的支部" in unknown.output
    worker = CliRunner().invoke(main, ["worker"])
    assert worker.exit_code == 2 and "未设置 REDIS_URL" in worker.output


# ---- failures and take-overs in the in-process runner -----------------------------------------------------


def test_a_dead_runners_branches_are_taken_over_and_finish_exactly_once(tmp_path, db_url, db):
    """A process that died with a batch in its thread pool (one branch half made): the next progress read
    reaps its expired leases and this process's runner finishes every branch once."""
    seed(db, 3, members=6)
    dead = HeldRunner(db, lease=1.0)
    batch_id = batches.create(db, dead, batches.parse({}), utcnow())
    half_made = dead.submitted[0][1]
    assert leases.claim(db, batch_id, half_made, dead.owner, 1.0, 3, utcnow()).attempt == 1
    time.sleep(1.2)  # its leases run out: nobody renews them
    client = app_on(tmp_path, db_url, BATCH_LEASE=1.0).test_client()
    state = wait_finished(lambda: progress(client, batch_id))
    assert (state["done"], state["failed"]) == (3, 0)
    assert [b["attempts"] for b in state["branches"]] == [2, 1, 1]
    assert count_rows(db, Artifact) == 3 * 4


def test_a_failing_conversion_is_tried_three_times_then_failed_in_chinese(tmp_path, db_url, db):
    from service.errors import ConversionFailed

    seed(db, 1, members=6)
    app = app_on(tmp_path, db_url, PDF_ENABLED=True)
    converter = FakeConverter(fail=ConversionFailed("PDF 转换失败：LibreOffice 两次都未能转换该文件"))
    app.extensions["paicha.pdf_pool"] = converter
    client = app.test_client()
    state = run_batch(client, {"packages": ["work_plan"], "format": "pdf"})
    [branch] = state["branches"]
    assert (state["failed"], branch["state"], branch["attempts"]) == (1, "failed", 3)
    assert branch["error"] == "已尝试 3 次仍未成功：PDF 转换失败：LibreOffice 两次都未能转换该文件"
    resp = client.get(f"/api/v1/batches/{state['id']}/download")
    assert resp.status_code == 409 and "全部支部都未能生成" in resp.get_json()["message"]


def test_pdf_switched_off_fails_at_once(tmp_path, db_url, db):
    seed(db, 1, members=6)
    client = app_on(tmp_path, db_url, PDF_ENABLED=False).test_client()
    state = run_batch(client, {"packages": ["print"]})  # print is PDF only, whatever format says
    [branch] = state["branches"]
    assert (branch["state"], branch["attempts"]) == ("failed", 1) and "PDF" in branch["error"]
