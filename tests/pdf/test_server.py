"""One PDF pool per machine: the pool server, its client, gunicorn's workers sharing it, 附件3 in parts.

Ports: 2343+ (server tests), 2353+ (gunicorn), XML-RPC and UNO +100 apart; nobody else uses them.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from service.errors import BadUpload, ConversionBusy, ConversionUnavailable
from service.pdf.client import PoolClient
from tests.conftest_pdf import assert_no_orphans, lo_pids, needs_soffice, page_texts, port, squash, started_pool
from tools.processes import cli_token, free_port, stop_group

pytestmark = needs_soffice
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "fixtures" / "demo-branch.json"


@pytest.fixture(scope="module")
def server():
    """A pool server with two instances, in this process, on a free loopback port."""
    from service.pdf.server import PoolServer

    with started_pool(2, 2343, 2443) as pool:
        srv = PoolServer(("127.0.0.1", free_port()), pool)
        thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        thread.start()
        try:
            yield srv
        finally:
            srv.shutdown()
            srv.server_close()


def client_of(srv) -> PoolClient:
    return PoolClient(f"http://127.0.0.1:{srv.server_address[1]}", deadline=60)


def test_client_converts_through_the_server_and_reports_its_instances(server, sample_dataset):
    from service.documents.render import render_office

    client = client_of(server)
    pdf = client.convert(render_office(sample_dataset, "member_roster"), "xlsx")
    assert pdf.startswith(b"%PDF")
    assert "党员名册" in squash("".join(page_texts(pdf)))
    assert client.parallelism == 2
    status = client.status()
    assert status["available"] and status["ready"] and len(status["instances"]) == 2
    assert b"paicha_pdf_conversion_seconds" in client.metrics()


def test_processes_share_the_one_pool(server, sample_data, tmp_path):
    """Two other processes convert at the same time; the server's two instances did the work."""
    url = f"http://127.0.0.1:{server.server_address[1]}"
    before = sum(i.total_conversions for i in server.pool.instances)
    script = (
        "import json, sys\n"
        "import schemas\n"
        "from service.documents.render import render_pdfs\n"
        "from service.pdf.client import PoolClient\n"
        "ds = schemas.load_dataset(json.load(open(sys.argv[1], encoding='utf-8')))\n"
        "out = render_pdfs(ds, (sys.argv[3],), PoolClient(sys.argv[2], deadline=60))[0]\n"
        "print(out.filename, len(out.data))\n"
    )
    data = dict(sample_data)
    data["org"] = {**data["org"], "fill_date": "2023-07-01"}  # new bytes: no cache hit
    path = tmp_path / "branch.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(path), url, doc], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for doc in ("outgoing_roster", "campaign_summary")]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert "附件5" in outs[0][0] and "附件9" in outs[1][0]
    assert sum(i.total_conversions for i in server.pool.instances) - before == 2
    assert len(lo_pids([port(2343), port(2344)])) >= 2  # the same two instances, no new LibreOffice


def test_server_refusals_come_back_as_the_pools_exceptions(server):
    client = client_of(server)
    with pytest.raises(BadUpload, match="不是有效的 Word"):
        client.convert(b"PK\x03\x04 not really a zip", "docx")
    with pytest.raises(BadUpload):
        client.convert(b"x", "pptx")


def test_a_server_that_is_not_there_is_busy_for_conversions_and_unavailable_for_status():
    client = PoolClient(f"http://127.0.0.1:{free_port()}", deadline=5)
    with pytest.raises(ConversionBusy) as err:
        client.convert(b"PK", "docx")
    assert err.value.retry_after > 0
    with pytest.raises(ConversionUnavailable):
        client.status()
    assert client.parallelism == 1


def test_the_register_converted_in_parts_has_the_same_pages_and_text(server):
    """附件3 cut into one part per instance and joined == one conversion of the whole."""
    import schemas
    from service.documents.render import render_office, render_pdfs
    from service.domain import scope
    from tools.synthetic import synthetic_branch

    ds = schemas.load_dataset(synthetic_branch(40, seed=3))
    client = client_of(server)
    whole = client.convert(render_office(ds, "member_register"), "docx")
    joined = render_pdfs(ds, ("member_register",), client)[0]
    assert joined.filename.endswith("附件3-党员基本情况登记表.pdf")
    assert page_texts(joined.data) == page_texts(whole)
    assert len(page_texts(whole)) == len(scope.in_scope(ds)) > 30


class _One:
    """A converter with one lane: the register is not cut."""

    parallelism = 1

    def __init__(self, inner):
        self.inner, self.calls = inner, 0

    def convert(self, data, kind):
        self.calls += 1
        return self.inner.convert(data, kind)


def test_one_lane_converts_the_register_whole(server):
    import schemas
    from service.documents.render import render_pdfs
    from tools.synthetic import synthetic_branch

    one = _One(client_of(server))
    render_pdfs(schemas.load_dataset(synthetic_branch(20, seed=4)), ("member_register",), one)
    assert one.calls == 1


# --- gunicorn: several workers, one pool --------------------------------------------------

def _get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def _post(url: str, body: bytes, token: str, timeout: float = 120) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json",
                                                          "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def _server_pids() -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"service.pdf.server" in cmd and f"127.0.0.1:{port(2359)}".encode() in cmd:
                out.append(int(entry.name))
    return out


def test_gunicorn_workers_share_one_pool_that_the_master_keeps_alive(tmp_path):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    http_port = free_port()
    env = dict(os.environ, PAICHA_WEB_WORKERS="2", PAICHA_PDF_POOL_SIZE="2",
               PAICHA_PDF_POOL_LISTEN=f"127.0.0.1:{port(2359)}", PAICHA_PDF_POOL_BASE_PORT=str(port(2353)),
               PAICHA_PDF_POOL_BASE_UNO_PORT=str(port(2453)), PAICHA_INSTANCE_DIR=str(tmp_path / "instance"))
    env.pop("PAICHA_PDF_POOL_URL", None)
    token = cli_token(env, tmp_path)
    master = subprocess.Popen([str(gunicorn), "-c", "python:service.gunicorn_conf", "--bind",
                               f"127.0.0.1:{http_port}", "service.wsgi:app"], cwd=tmp_path, env=env,
                              stdout=subprocess.DEVNULL, stderr=(tmp_path / "gunicorn.log").open("wb"),
                              start_new_session=True)
    base = f"http://127.0.0.1:{http_port}"
    try:
        ready = _wait_ready(base, log=tmp_path / "gunicorn.log")
        assert ready["pdf"]["server"] == f"http://127.0.0.1:{port(2359)}", ready
        body = SAMPLE.read_bytes()
        with ThreadPoolExecutor(4) as ex:  # both workers get some of them
            results = list(ex.map(lambda d: _post(f"{base}/api/v1/documents/{d}?format=pdf", body, token),
                                  ["member_roster", "outgoing_roster", "outgoing_summary", "work_plan"] * 2))
        assert [s for s, _ in results] == [200] * 8
        assert all(b.startswith(b"%PDF") for _, b in results)
        assert len(_server_pids()) == 1
        assert len({p for p in lo_pids([port(2353), port(2354)])}) >= 2
        soffice = [p for p in lo_pids([port(2353), port(2354)]) if b"soffice.bin" in Path(f"/proc/{p}/cmdline").read_bytes()]
        assert len(soffice) == 2  # two instances for the machine, not two per worker
        _, metrics = _get(f"{base}/metrics")  # the workers' requests (added up) beside the pool's conversions
        families = {f.name for f in text_string_to_metric_families(metrics.decode())}
        assert {"paicha_http_requests", "paicha_pdf_conversion_seconds"} <= families

        os.kill(_server_pids()[0], signal.SIGKILL)  # the master brings the pool back
        status = 0
        give_up = time.monotonic() + 90
        while time.monotonic() < give_up and status != 200:
            time.sleep(1)
            status, _ = _post(f"{base}/api/v1/documents/campaign_summary?format=pdf", body, token)
        assert status == 200
    finally:
        stop_group(master)
    assert_no_orphans([port(2353), port(2354)], wait=30)
    assert _server_pids() == []


def _wait_ready(base: str, log: Path, wait: float = 120) -> dict:
    give_up = time.monotonic() + wait
    last = None
    while time.monotonic() < give_up:
        try:
            status, body = _get(f"{base}/readyz", timeout=5)
            last = json.loads(body)
            if status == 200 and last["pdf"].get("ready"):
                return last
        except (OSError, ValueError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"gunicorn did not become ready: {last}\n{log.read_text(errors='replace')[-3000:]}")
