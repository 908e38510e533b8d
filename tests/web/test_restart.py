"""The clerk's result page survives a restart of the real server (gunicorn, two workers, SQLite)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from service.intake.workbook import filled_workbook
from tests.conftest import free_port


def serve(tmp_path: Path, port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAICHA_") and k != "DATABASE_URL"}
    env.update(PAICHA_INSTANCE_DIR=str(tmp_path / "instance"), PAICHA_PDF_ENABLED="false", PAICHA_WEB_WORKERS="2")
    return subprocess.Popen([str(gunicorn), "-c", "python:service.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
                             "service.wsgi:app"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                            stderr=(tmp_path / "gunicorn.log").open("ab"), start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def wait_ready(base: str, log: Path) -> None:
    give_up = time.monotonic() + 90
    while time.monotonic() < give_up:
        try:
            if get(f"{base}/readyz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"gunicorn did not become ready:\n{log.read_text(errors='replace')[-3000:]}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post_file(url: str, content: bytes, filename: str) -> str:
    """A multipart upload as a browser sends it; the Location of the 303."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        urllib.request.build_opener(NoRedirect).open(request, timeout=60)
    except urllib.error.HTTPError as err:
        assert err.code == 303, err.read()[:500]
        return err.headers["Location"]
    raise AssertionError("no redirect to the result page")


def test_the_result_page_survives_a_restart_of_gunicorn(tmp_path, sample_data):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "gunicorn.log"
    content = filled_workbook(sample_data)
    proc = serve(tmp_path, port)
    try:
        wait_ready(base, log)
        location = post_file(f"{base}/upload", content, "星河实验小学-数据采集表.xlsx")
        status, before = get(base + location)
        assert status == 200 and "数据检查通过".encode() in before
    finally:
        stop(proc)
    assert (tmp_path / "instance" / "paicha.db").exists()
    proc = serve(tmp_path, port)
    try:
        wait_ready(base, log)
        status, after = get(base + location)
        assert status == 200 and "数据检查通过".encode() in after and "星河实验小学党支部".encode() in after
        assert get(f"{base}{location}/original") == (200, content)
        status, xlsx = get(f"{base}{location}/documents/member_roster?format=xlsx")
        assert status == 200 and xlsx[:2] == b"PK"
    finally:
        stop(proc)
