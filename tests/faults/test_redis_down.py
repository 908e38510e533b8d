"""Redis down: a throw-away redis-server is started, serves a batch, and is killed. From then on the
batch endpoints (API and the district's form) answer 503 queue_unavailable in Chinese with
Retry-After, nothing half-made is stored, and everything that needs no queue keeps working — the
rate limits, counted in that Redis too, fall back to memory."""
from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import time

import pytest

from service.store import database
from service.store.batches import Batch
from tests.conftest import make_app
from tests.databases import count_rows
from tests.jobs.district import seed
from tests.principals import account, signed_in
from tools.processes import free_port


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of this test's own on a free port (no disk), killed at the end if still there."""
    if shutil.which("redis-server") is None:  # CI installs it and never skips this
        (pytest.fail if os.environ.get("CI") else pytest.skip)("redis-server is not installed (tools/install_system.sh installs it for CI)")
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    import redis

    conn = redis.Redis(port=port, socket_timeout=1)
    for _ in range(100):
        try:
            conn.ping()
            break
        except redis.exceptions.ConnectionError:
            time.sleep(0.05)
    yield proc, f"redis://127.0.0.1:{port}/0"
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_redis_killed_batches_answer_503_in_chinese_and_the_rest_keeps_working(tmp_path, redis_server, sample_data):
    proc, url = redis_server
    app = make_app(tmp_path, REDIS_URL=url, REDIS_TIMEOUT=1.0, RATE_LIMITS=True, BATCH_QUEUE="faults")
    seed(database(app), 2)
    client = app.test_client()
    started = client.post("/api/v1/batches", json={})
    assert started.status_code == 202, started.get_data(as_text=True)  # queued while Redis is up
    batch_id = started.get_json()["id"]

    proc.send_signal(signal.SIGKILL)
    proc.wait()

    for resp in (client.post("/api/v1/batches", json={}), client.get(f"/api/v1/batches/{batch_id}")):
        body = resp.get_json()
        assert (resp.status_code, body["code"], resp.headers["Retry-After"]) == (503, "queue_unavailable", "10")
        assert "Redis" in body["message"] and "稍后" in body["message"], body
    for page in (client.post("/district/batches", data={"scope": "all", "packages": "work_plan", "format": "office"}),
                 client.get(f"/district/batches/{batch_id}")):
        html = page.get_data(as_text=True)
        assert page.status_code == 503 and page.headers["Retry-After"] == "10", html[:300]
        assert "text/html" in page.content_type and "批量生成" in html and "稍后" in html
    assert count_rows(database(app), Batch) == 1  # the refused one left nothing behind

    assert client.post("/api/v1/validate", json=sample_data).get_json()["valid"] is True
    office = client.post("/api/v1/documents/member_roster", json=sample_data)
    assert office.status_code == 200 and office.data[:2] == b"PK"
    put = client.put("/api/v1/branches/WJ017/dataset", json=sample_data)
    assert put.status_code == 201, put.get_data(as_text=True)
    listed = client.get("/api/v1/branches")
    assert listed.status_code == 200 and "WJ017" in json.dumps(listed.get_json())
    assert client.get("/district/").status_code == 200
    assert client.get("/healthz").status_code == 200
    uploaded = client.post("/upload", data={"file": (io.BytesIO(json.dumps(sample_data).encode()), "WJ017.json")},
                           content_type="multipart/form-data")
    assert uploaded.status_code == 303, uploaded.get_data(as_text=True)[:300]
    account(app, "district.staff", role="district")
    signed_in(app, "district.staff")  # the sign-in's rate limit counts in memory meanwhile
