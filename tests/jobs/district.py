"""Helpers for the batch tests: a synthetic district in the store, the zip read back, Redis kept apart.

Not a conftest: the test modules import what they use. Redis: one database number for these tests
(REDIS_DB) and a queue name of its own per test, whose keys (and the RQ jobs and workers it made)
are deleted afterwards, so two sessions or other users of the server never meet.
"""
from __future__ import annotations

import io
import json
import os
import secrets
import time
import zipfile
from datetime import datetime, timezone

import pytest

from tests.redis_server import REDIS, answering_client

NOW = datetime(2023, 7, 12, 3, 0, tzinfo=timezone.utc)


def branch_data(i: int, members: int = 30) -> dict:
    """A valid synthetic branch with its own code and name."""
    from tools.synthetic import synthetic_branch

    data = synthetic_branch(members, seed=1000 + i)
    data["org"].update(code=f"T{i:03d}", name=f"星河第{i}实验小学党支部",
                       full_name=f"中共常州市武进区星河第{i}实验小学支部委员会")
    return data


def seed(db, count: int, members: int = 30, start: int = 0) -> list[str]:
    """`count` branches, each with one valid version; their codes."""
    from service.intake.received import from_json_body
    from service.store import submissions

    codes = []
    for i in range(start, start + count):
        data = branch_data(i, members)
        submissions.submit(db, from_json_body(json.dumps(data, ensure_ascii=False).encode()), "api", NOW)
        codes.append(data["org"]["code"])
    return codes


def submit(db, data: dict):
    from service.intake.received import from_json_body
    from service.store import submissions

    return submissions.submit(db, from_json_body(json.dumps(data, ensure_ascii=False).encode()), "api", NOW)


def wait_finished(read, timeout: float = 300.0, every: float = 0.2) -> dict:
    """Poll `read()` (a progress dict) until the batch is finished; fail with the last state if it never is."""
    end = time.monotonic() + timeout
    state = read()
    while state["state"] != "finished":
        if time.monotonic() > end:
            pytest.fail(f"batch not finished after {timeout} s: {json.dumps(state, ensure_ascii=False)[:2000]}")
        time.sleep(every)
        state = read()
    return state


def progress(client, batch_id: str) -> dict:
    """The batch's progress, as the API answers it."""
    resp = client.get(f"/api/v1/batches/{batch_id}")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()


def run_batch(client, body: dict) -> dict:
    """A batch started through the API and followed to the end; its last progress."""
    resp = client.post("/api/v1/batches", json=body)
    assert resp.status_code == 202, resp.get_data(as_text=True)
    batch_id = resp.get_json()["id"]
    return wait_finished(lambda: progress(client, batch_id))


def zip_folders(data: bytes) -> dict[str, dict[str, bytes]]:
    """{folder: {path inside the folder: bytes}} of a batch zip."""
    out: dict[str, dict[str, bytes]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        for info in zf.infolist():
            folder, _, rest = info.filename.partition("/")
            out.setdefault(folder if rest else "", {})[rest or folder] = zf.read(info)
    return out


def check_office_folder(folder: str, files: dict[str, bytes], i: int, members: int) -> None:
    """Branch i's four deliverables, named as forms.md §1 says, opening with that branch's own data."""
    import docx
    import openpyxl

    data = branch_data(i, members)
    code, name, full_name = data["org"]["code"], data["org"]["name"], data["org"]["full_name"]
    prefix = f"{code}-{name}-"
    assert folder == f"{code}-{name}"
    assert sorted(files) == sorted(prefix + t for t in (
        "党员组织关系排查工作方案.docx", "党员组织关系排查相关表格.zip", "阶段性小结.docx", "党员组织关系排查工作总结.docx"))
    plan = docx.Document(io.BytesIO(files[prefix + "党员组织关系排查工作方案.docx"]))
    text = "\n".join(p.text for p in plan.paragraphs)
    assert full_name in text or name in text, "the plan names its branch"
    with zipfile.ZipFile(io.BytesIO(files[prefix + "党员组织关系排查相关表格.zip"])) as tables:
        names = tables.namelist()
        assert len(names) == 7 and all(n.startswith(prefix + "附件") for n in names)
        roster = next(n for n in names if "附件4" in n)
        book = openpyxl.load_workbook(io.BytesIO(tables.read(roster)))
        cells = [str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None]
        assert f"党组织名称（盖章）：{full_name}" in cells
        assert data["members"][0]["name"] in cells and data["members"][1]["name"] in cells


@pytest.fixture
def redis_queue():
    """(REDIS_URL, queue name) for one test; every key it left in Redis deleted afterwards."""
    conn = answering_client()
    name = f"paicha-test-{os.getpid()}-{secrets.token_hex(4)}"
    yield REDIS, name
    for key in conn.scan_iter(match=f"*{name}*"):
        conn.delete(key)
    for key in conn.scan_iter(match="rq:execution*:paicha-*"):  # left by a killed worker's job
        job = b"rq:job:" + key.split(b":")[2]
        if not conn.exists(job) or conn.hget(job, "origin") == name.encode():
            conn.delete(key)
    for key in conn.scan_iter(match="rq:job:paicha-*"):
        if conn.hget(key, "origin") == name.encode():
            conn.delete(key)
    conn.srem("rq:queues", f"rq:queue:{name}")
    for member in conn.smembers("rq:workers"):
        worker = member.decode()
        if not conn.exists(worker) or name.encode() in (conn.hget(worker, "queues") or b""):
            conn.srem("rq:workers", member)
            conn.delete(worker)
    conn.close()
