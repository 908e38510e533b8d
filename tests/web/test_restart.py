"""The clerk's result page and sign-in survive a restart of the real server (gunicorn, two workers, SQLite)."""
from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from service.intake.workbook import filled_workbook
from tools.processes import free_port, stop_group


def serve(tmp_path: Path, port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAICHA_") and k != "DATABASE_URL"}
    env.update(PAICHA_INSTANCE_DIR=str(tmp_path / "instance"), PAICHA_PDF_ENABLED="false", PAICHA_WEB_WORKERS="2")
    return subprocess.Popen([str(gunicorn), "-c", "python:service.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
                             "service.wsgi:app"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                            stderr=(tmp_path / "gunicorn.log").open("ab"), start_new_session=True)


class Browser:
    """A cookie jar and the forms of the pages, as a clerk's browser keeps and fills them."""

    def __init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  NoRedirect)

    def open(self, url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, dict, bytes]:
        request = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data else "GET")
        try:
            with self.opener.open(request, timeout=60) as resp:
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read()

    def get(self, url: str) -> tuple[int, bytes]:
        status, _, body = self.open(url)
        return status, body

    def form(self, url: str, fields: dict) -> str:
        """Post a page's form with its CSRF token; the Location it sends the browser to."""
        token = re.search(r'name="csrf_token" value="([^"]+)"', self.get(url)[1].decode())[1]
        status, headers, body = self.open(url, urllib.parse.urlencode({**fields, "csrf_token": token}).encode(),
                                          {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 303, body[:500]
        return headers["Location"]

    def upload(self, base: str, content: bytes, filename: str) -> str:
        """The upload form as a browser sends it (multipart, with the page's CSRF token); the Location of the 303."""
        token = re.search(r'name="csrf_token" value="([^"]+)"', self.get(base + "/")[1].decode())[1]
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        status, headers, page = self.open(base + "/upload", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        assert status == 303, page[:500]
        return headers["Location"]


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


def clerk(tmp_path: Path) -> str:
    """The WJ017 clerk's account made as the district makes it; the one-time password printed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAICHA_") and k != "DATABASE_URL"}
    env["PAICHA_INSTANCE_DIR"] = str(tmp_path / "instance")
    out = subprocess.run([str(Path(sys.executable).with_name("paicha")), "users", "create", "--role", "clerk",
                          "--branch", "WJ017", "--name", "wj017"], env=env, cwd=tmp_path, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()[-1]


def test_the_result_page_and_the_clerks_sign_in_survive_a_restart_of_gunicorn(tmp_path, sample_data):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "gunicorn.log"
    content = filled_workbook(sample_data)
    once = clerk(tmp_path)
    browser = Browser()
    proc = serve(tmp_path, port)
    try:
        wait_ready(base, log)
        assert browser.get(base + "/")[0] == 302  # not signed in: to /login
        where = browser.form(f"{base}/login", {"login": "wj017", "password": once})
        assert where.startswith("/password")  # the one-time password must be replaced first
        assert browser.form(base + where, {"new_password": "星河小学-2023-排查", "repeat_password": "星河小学-2023-排查"}) == "/"
        location = browser.upload(base, content, "星河实验小学-数据采集表.xlsx")
        status, before = browser.get(base + location)
        assert status == 200 and "数据检查通过".encode() in before
        assert Browser().get(base + location)[0] == 302  # the link alone opens nothing: to /login
    finally:
        stop_group(proc)
    assert (tmp_path / "instance" / "paicha.db").exists() and (tmp_path / "instance" / "secret_key").exists()
    proc = serve(tmp_path, port)
    try:
        wait_ready(base, log)
        status, after = browser.get(base + location)  # still signed in: the session key was kept
        assert status == 200 and "数据检查通过".encode() in after and "星河实验小学党支部".encode() in after
        assert browser.get(f"{base}{location}/original") == (200, content)
        status, xlsx = browser.get(f"{base}{location}/documents/member_roster?format=xlsx")
        assert status == 200 and xlsx[:2] == b"PK"
    finally:
        stop_group(proc)
