"""The service as gunicorn runs it (two workers, PDF off): every line on stderr — the master's, the
workers', the access log — is one JSON object; none holds a member's data or a result token; and
/metrics adds up the requests of both workers whichever of them answers the scrape."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from service.intake.workbook import filled_workbook
from tests.test_privacy import personal_data
from tools.processes import cli_token, free_port

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def fetch(url: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, str, bytes]:
    """(status, final URL, body); redirects followed as a browser does."""
    req = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.url, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, url, err.read()


def multipart(content: bytes, filename: str) -> tuple[bytes, dict]:
    boundary = uuid.uuid4().hex
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: {XLSX}\r\n\r\n").encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), {
        "Content-Type": f"multipart/form-data; boundary={boundary}"}


def healthz_count(base: str) -> float:
    """GET /healthz 200 answers, as /metrics counts them."""
    _, _, text = fetch(base + "/metrics")
    return sum(s.value for family in text_string_to_metric_families(text.decode()) for s in family.samples
               if s.name == "paicha_http_requests_total" and s.labels["route"] == "/healthz"
               and s.labels["status"] == "200")


def log_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def wait_up(base: str, proc: subprocess.Popen, log: Path, wait: float = 60) -> None:
    give_up = time.monotonic() + wait
    while time.monotonic() < give_up and proc.poll() is None:
        try:
            if fetch(base + "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer: {log.read_text(errors='replace')[-3000:]}")


def test_gunicorn_logs_json_lines_without_personal_data_and_metrics_add_up_across_workers(tmp_path, sample_data):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    port = free_port()
    env = dict(os.environ, PAICHA_WEB_WORKERS="2", PAICHA_WEB_THREADS="2", PAICHA_PDF_ENABLED="false",
               PAICHA_INSTANCE_DIR=str(tmp_path / "instance"), PAICHA_LOG_FORMAT="json", PAICHA_LOG_LEVEL="INFO")
    for name in ("PAICHA_PDF_POOL_URL", "PROMETHEUS_MULTIPROC_DIR"):
        env.pop(name, None)
    log = tmp_path / "gunicorn.log"
    secret = cli_token(env, tmp_path)  # the administrator's token, made before the service starts
    signed = {"Authorization": f"Bearer {secret}"}
    master = subprocess.Popen([str(gunicorn), "-c", "python:service.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
                               "service.wsgi:app"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                              stderr=log.open("wb"), start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_up(base, master, log)
        body, headers = multipart(filled_workbook(sample_data), "数据采集表.xlsx")
        status, result_url, page = fetch(base + "/upload", body, headers | signed)
        assert status == 200 and "数据检查通过" in page.decode()
        token = result_url.rstrip("/").rsplit("/", 1)[-1]
        for path in ("/original", "/documents/member_roster?format=xlsx", "/packages/tables"):
            assert fetch(result_url + path, headers=signed)[0] == 200
        assert fetch(f"{base}/result/{token}/nowhere", headers=signed)[0] == 404
        api = json.dumps(sample_data, ensure_ascii=False).encode()
        assert fetch(base + "/api/v1/documents/member_register", api, {"Content-Type": "application/json"} | signed)[0] == 200
        assert fetch(base + "/api/v1/documents/member_register", api, {"Content-Type": "application/json"})[0] == 401

        sent, give_up = 0, time.monotonic() + 60  # until both workers have answered some of them
        while sent < 200 and time.monotonic() < give_up:
            sent += fetch(base + "/healthz")[0] == 200
            pids = {line["process"] for line in log_lines(log) if line.get("path") == "/healthz"}
            if len(pids) == 2 and sent >= 20:
                break
        assert len(pids) == 2, "one worker answered every request: nothing to add up"
        workers = pids
        (metrics_dir,) = [d for d in Path(tempfile.gettempdir()).glob("paicha-metrics-*")
                          if all((d / f"counter_{pid}.db").exists() for pid in workers)]  # the master's
        scrapes = [healthz_count(base) for _ in range(6)]
        answered = {line["process"] for line in log_lines(log) if line.get("path") == "/metrics"}
    finally:
        os.killpg(master.pid, signal.SIGTERM)
        master.wait(timeout=60)

    assert scrapes == [sent + 1] * 6  # wait_up's /healthz too, counted by whichever worker took it
    assert answered <= workers
    lines = log_lines(log)  # each line of the master and the workers parses as JSON
    loggers = {line["logger"] for line in lines}
    assert {"gunicorn.error", "paicha.access"} <= loggers and "gunicorn.access" not in loggers
    assert any("Booting worker" in line["message"] for line in lines)
    access = [line for line in lines if line["logger"] == "paicha.access"]
    assert all(line["request_id"] and line["path"].startswith("/") for line in access)
    assert {"/result/{token}", "/result/{token}/packages/tables", "/result/{masked}/nowhere"} <= {
        line["path"] for line in access}
    text = log.read_text(encoding="utf-8")
    leaked = sorted(s for s in personal_data(sample_data) | {token, secret} if s in text)
    assert leaked == []
    assert not metrics_dir.exists()  # the master took its metrics files with it
