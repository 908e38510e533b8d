"""Batches on a real queue: Redis, RQ and `paicha worker` processes, on SQLite and PostgreSQL.

30 synthetic branches through two workers, one of them killed with SIGKILL while it holds a branch
and another started: the batch completes with every branch exactly once, the killed worker's
branch retried. A re-run with nothing changed queues nothing and converts nothing. A few branches
in office and PDF through the machine's pool server, the PDFs read back with pdftotext.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import func, select

from service.store.batches import BatchItem
from service.store.models import Artifact
from tests.conftest import make_app
from tests.conftest_pdf import needs_soffice, page_texts, port, squash
from tests.databases import count_rows
from tests.jobs.district import (branch_data, check_office_folder, progress, redis_queue,  # noqa: F401  (a fixture)
                                 seed, wait_finished, zip_folders)

ROOT = Path(__file__).resolve().parents[2]
PAICHA = str(Path(sys.executable).with_name("paicha"))
LEASE = 4.0  # seconds: a killed worker's branch is taken over soon after


class Workers:
    """`paicha worker` processes on one queue and database, stopped (SIGTERM, then SIGKILL) at the end."""

    def __init__(self, tmp_path: Path, db_url: str, redis_url: str, queue: str, **env):
        self.tmp, self.procs = tmp_path, []
        self.env = {**os.environ, "PAICHA_DATABASE_URL": db_url, "REDIS_URL": redis_url, "PAICHA_BATCH_QUEUE": queue,
                    "PAICHA_BATCH_LEASE": str(LEASE), "PAICHA_INSTANCE_DIR": str(tmp_path / "worker"),
                    "PAICHA_LOG_LEVEL": "INFO", "PAICHA_PDF_ENABLED": "0", **env}

    def start(self) -> subprocess.Popen:
        log = open(self.tmp / f"worker-{len(self.procs)}.log", "wb")
        proc = subprocess.Popen([PAICHA, "worker"], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def logs(self) -> str:
        return "\n".join((self.tmp / f"worker-{i}.log").read_text(errors="replace")[-3000:] for i in range(len(self.procs)))

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def workers(tmp_path, db_url, redis_queue):
    made = []

    def make(**env) -> Workers:
        made.append(Workers(tmp_path, db_url, *redis_queue, **env))
        return made[-1]

    yield make
    for group in made:
        group.stop()


def queued_app(tmp_path, db_url, redis_queue):
    url, queue = redis_queue
    return make_app(tmp_path, DATABASE_URL=db_url, REDIS_URL=url, BATCH_QUEUE=queue, BATCH_LEASE=LEASE)


def held_by(db, pid: int):
    """The id of an item a worker process is working on right now, if any."""
    with db.reading() as session:
        return session.scalar(select(BatchItem.id).where(
            BatchItem.state == "running", BatchItem.lease_owner.like(f"%:{pid}:%")).limit(1))


def test_thirty_branches_two_workers_one_killed_every_branch_exactly_once(tmp_path, db_url, db, redis_queue, workers):
    import redis
    from rq import Queue

    codes = seed(db, 30, members=40)
    group = workers()
    first = group.start()
    group.start()
    client = queued_app(tmp_path, db_url, redis_queue).test_client()
    started = time.monotonic()
    resp = client.post("/api/v1/batches", json={})
    assert resp.status_code == 202, resp.get_data(as_text=True)
    batch_id = resp.get_json()["id"]

    deadline = time.monotonic() + 120
    victim = None
    while victim is None:
        assert time.monotonic() < deadline, f"the first worker never took a branch:\n{group.logs()}"
        assert first.poll() is None, group.logs()
        victim = held_by(db, first.pid)
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait()
    with db.reading() as session:
        row = session.get(BatchItem, victim)
        interrupted = (row.state, row.attempts)
    assert interrupted == ("running", 1), "killed while it held the branch"
    group.start()  # a replacement, as an operator (or systemd) would start one

    state = wait_finished(lambda: progress(client, batch_id), timeout=600)
    first_run = time.monotonic() - started
    assert (state["done"], state["failed"], state["skipped"], state["total"]) == (30, 0, 0, 30), group.logs()
    assert sorted(b["code"] for b in state["branches"]) == codes
    with db.reading() as session:
        row = session.get(BatchItem, victim)
        assert (row.state, row.attempts, row.lease_owner) == ("done", 2, None)
        assert session.scalar(select(func.count()).select_from(BatchItem).where(BatchItem.batch_id == batch_id)) == 30
    assert count_rows(db, Artifact) == 30 * 4  # every branch's files made once, the retried one included

    folders = zip_folders(client.get(state["download"]).data)
    assert sorted(folders) == [f"T{i:03d}-星河第{i}实验小学党支部" for i in range(30)]
    for i in range(30):
        check_office_folder(f"T{i:03d}-星河第{i}实验小学党支部", folders[f"T{i:03d}-星河第{i}实验小学党支部"], i, 40)

    started = time.monotonic()
    again = client.post("/api/v1/batches", json={}).get_json()
    again = wait_finished(lambda: progress(client, again["id"]))
    rerun = time.monotonic() - started
    assert (again["done"], again["skipped"], again["failed"]) == (0, 30, 0)
    assert "跳过 30 个" in again["message"]
    url, name = redis_queue
    assert Queue(name, connection=redis.Redis.from_url(url)).count == 0  # nothing was queued
    assert count_rows(db, Artifact) == 30 * 4
    print(f"30 branches × 40 members, office, 2 workers (one killed and replaced): {first_run:.1f} s; "
          f"unchanged re-run: {rerun * 1000:.0f} ms")


@pytest.fixture
def pool_server(tmp_path):
    """The machine's PDF pool server (two LibreOffice instances) on this module's ports."""
    listen = f"127.0.0.1:{port(2409)}"
    env = {**os.environ, "PAICHA_PDF_POOL_SIZE": "2", "PAICHA_PDF_POOL_BASE_PORT": str(port(2413)),
           "PAICHA_PDF_POOL_BASE_UNO_PORT": str(port(2513)), "PAICHA_LOG_LEVEL": "WARNING"}
    log = open(tmp_path / "pool.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "service.pdf.server", "--listen", listen], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://{listen}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/status", timeout=2).read()
            break
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "pool.log").read_text()
            time.sleep(0.2)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def conversions(pool_url: str) -> float:
    text = urllib.request.urlopen(f"{pool_url}/metrics", timeout=5).read().decode()
    return sum(float(line.split()[-1]) for line in text.splitlines()
               if line.startswith("paicha_pdf_conversion_seconds_count"))


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.pdf
@pytest.mark.skipif(needs_soffice[1].args[0], reason=needs_soffice[1].kwargs["reason"])
def test_office_and_pdf_through_the_pool_server_and_a_rerun_converts_nothing(tmp_path, db_url, db, redis_queue,
                                                                                workers, pool_server):
    seed(db, 3, members=20)
    group = workers(PAICHA_PDF_ENABLED="1", PAICHA_PDF_POOL_URL=pool_server)
    group.start(), group.start()
    client = queued_app(tmp_path, db_url, redis_queue).test_client()
    body = {"packages": ["work_plan", "tables"], "format": "both"}
    batch_id = client.post("/api/v1/batches", json=body).get_json()["id"]
    state = wait_finished(lambda: progress(client, batch_id), timeout=600)
    assert (state["done"], state["failed"]) == (3, 0), (state, group.logs())
    made = conversions(pool_server)
    assert made >= 3 * (1 + 1 + 1)  # 工作方案; 附件3 (whole or in parts) and 附件4–9 as one workbook

    folders = zip_folders(client.get(state["download"]).data)
    for i in range(3):
        data = branch_data(i, 20)
        prefix = f"T{i:03d}-星河第{i}实验小学党支部-"
        files = folders[f"T{i:03d}-星河第{i}实验小学党支部"]
        assert sorted(files) == sorted([prefix + "党员组织关系排查工作方案.docx", prefix + "党员组织关系排查工作方案.pdf",
                                        prefix + "党员组织关系排查相关表格.zip", "PDF/" + prefix + "党员组织关系排查相关表格.zip"])
        plan = squash("".join(page_texts(files[prefix + "党员组织关系排查工作方案.pdf"])))
        assert squash(data["org"]["full_name"]) in plan or squash(data["org"]["name"]) in plan
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(files["PDF/" + prefix + "党员组织关系排查相关表格.zip"])) as pdfs:
            names = pdfs.namelist()
            assert len(names) == 7 and all(n.startswith(prefix + "附件") and n.endswith(".pdf") for n in names)
            roster = squash("".join(page_texts(pdfs.read(next(n for n in names if "附件4" in n)))))
        assert squash(data["members"][0]["name"]) in roster and squash(data["org"]["full_name"]) in roster

    again = client.post("/api/v1/batches", json=body).get_json()
    assert (again["state"], again["skipped"]) == ("finished", 3)
    assert conversions(pool_server) == made
