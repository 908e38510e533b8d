"""PDF requests beyond the machine's pool are refused at once, whichever gunicorn worker takes them.

The pool server admits as many conversions as it has instances plus PDF_QUEUE_LIMIT waiting, for
every worker together. A request beyond that must reach it, and be refused with 503 busy and
Retry-After, rather than wait in a worker for a thread held by the conversions already admitted.

Real gunicorn (two workers, one thread each for everything but PDF waits), a real LibreOffice pool
of one instance with one queue place. Two long 附件3 conversions fill it (one converting, one
waiting: the pool server's /status says so); then more PDF requests, each for a different document
so no cached PDF answers them, are all refused while both long ones are still running.

Ports: 4913 (XML-RPC), 5013 (UNO), 4919 (the pool server), moved by PAICHA_TEST_PORT_OFFSET.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import pytest

from tests.conftest_pdf import SAMPLE_PATH, assert_no_orphans, needs_soffice, port
from tools.processes import cli_token, free_port, stop_group
from tools.synthetic import synthetic_branch

pytestmark = needs_soffice
EXTRA = 6


def post(url: str, body: bytes, token: str) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json",
                                                          "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(req, timeout=300) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def pool_status(listen: str) -> dict:
    with urllib.request.urlopen(f"http://{listen}/status", timeout=10) as r:
        return json.loads(r.read())


def wait_for(predicate, what: str, log: Path, limit: float = 180):
    give_up = time.monotonic() + limit
    while time.monotonic() < give_up:
        try:
            value = predicate()
        except (OSError, ValueError):
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} never happened\n{log.read_text(errors='replace')[-3000:]}")


def test_pdf_requests_beyond_the_pool_get_503_busy_while_the_admitted_ones_convert(tmp_path):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    listen = f"127.0.0.1:{port(4919)}"
    env = dict(os.environ, PAICHA_WEB_WORKERS="2", PAICHA_WEB_THREADS="1", PAICHA_PDF_POOL_SIZE="1",
               PAICHA_PDF_QUEUE_LIMIT="1", PAICHA_PDF_POOL_LISTEN=listen,
               PAICHA_PDF_POOL_BASE_PORT=str(port(4913)), PAICHA_PDF_POOL_BASE_UNO_PORT=str(port(5013)),
               PAICHA_RATE_LIMITS="false", PAICHA_INSTANCE_DIR=str(tmp_path / "instance"))
    for name in ("PAICHA_PDF_POOL_URL", "PROMETHEUS_MULTIPROC_DIR"):
        env.pop(name, None)
    token = cli_token(env, tmp_path)
    log = tmp_path / "gunicorn.log"
    http_port = free_port()
    master = subprocess.Popen([str(gunicorn), "-c", "python:service.gunicorn_conf", "--bind",
                               f"127.0.0.1:{http_port}", "service.wsgi:app"], cwd=tmp_path, env=env,
                              stdout=subprocess.DEVNULL, stderr=log.open("wb"), start_new_session=True)
    base = f"http://127.0.0.1:{http_port}/api/v1/documents"
    long_ones = []
    for seed in (1, 2):  # two long registers, different so the second is not the first's cached PDF
        big = synthetic_branch(160, seed=seed)
        long_ones.append(json.dumps(big, ensure_ascii=False).encode())
    sample = json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))
    short_ones = []
    for day in range(EXTRA):  # a different 填报日期 each: a different document, no cached PDF
        sample["org"]["fill_date"] = f"2023-07-{day + 1:02d}"
        short_ones.append(json.dumps(sample, ensure_ascii=False).encode())
    try:
        wait_for(lambda: pool_status(listen)["ready"], "the pool coming up", log)
        with ThreadPoolExecutor(2 + EXTRA) as ex:
            admitted = [ex.submit(post, f"{base}/member_register?format=pdf", body, token) for body in long_ones]
            wait_for(lambda: pool_status(listen)["queue"] == 1 and pool_status(listen)["instances"][0]["busy"],
                     "the pool filling (one converting, one waiting)", log)
            with pytest.raises(urllib.error.HTTPError) as full:  # the pool server says so itself
                urllib.request.urlopen(f"http://{listen}/room", timeout=10)
            refused = [ex.submit(post, f"{base}/campaign_summary?format=pdf", body, token) for body in short_ones]
            wait(refused)
            still_converting = [not f.done() for f in admitted]
            answers = [f.result() for f in refused]
            finished = [f.result() for f in admitted]
    finally:
        stop_group(master)
    assert_no_orphans([port(4913)], wait=30)

    assert full.value.code == 503 and json.loads(full.value.read())["code"] == "busy"
    assert [status for status, _, _ in answers] == [503] * EXTRA, [a[2][:200] for a in answers]
    for _, headers, body in answers:
        assert json.loads(body)["code"] == "busy"
        assert int(headers["Retry-After"]) >= 1
    assert still_converting == [True, True]  # every refusal came back before either long one was done
    assert [status for status, _, _ in finished] == [200, 200]
    assert all(body.startswith(b"%PDF") for _, _, body in finished)
