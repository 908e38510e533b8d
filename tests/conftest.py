"""Shared fixtures and helpers: the sample and stress branches, the one app builder and the app and
client made with it, a clock to set, requests in the API's way, a fake converter."""
from __future__ import annotations

import copy
import io
import json
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.databases import db, db_url, postgres_url  # noqa: F401  (fixtures: the store on both databases)

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_PATH = FIXTURES / "demo-branch.json"
_SAMPLE = json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))
BEIJING = timezone(timedelta(hours=8))  # the campaign's clock, stated by the tests on their own


@pytest.fixture
def sample_data() -> dict:
    """A fresh deep copy of the sample JSON, safe to mutate in a test."""
    return copy.deepcopy(_SAMPLE)


@pytest.fixture
def sample_dataset(sample_data):
    from schemas import load_dataset

    return load_dataset(sample_data)


@pytest.fixture(scope="module")
def stress_data() -> dict:
    """The stress branch (tools/synthetic.stress_branch: every free-text field at the contract's
    limit), made once for a module: do not change it."""
    from tools.synthetic import stress_branch

    return stress_branch()


@pytest.fixture(scope="module")
def stress_dataset(stress_data):
    from schemas import load_dataset

    return load_dataset(stress_data)


def make_app(tmp_path: Path, **settings):
    """The real app on a config dict: its own instance folder and SQLite file (whatever DATABASE_URL
    the environment names), PDF off unless a test says so; its test clients carry a district token
    (tests/principals.py), `app.test_client(anonymous=True)` is nobody."""
    from service import create_app
    from tests.principals import DistrictClient

    instance = tmp_path / "instance"
    app = create_app({"TESTING": True, "INSTANCE_DIR": str(instance), "DATABASE_URL": f"sqlite:///{instance / 'paicha.db'}",
                      "PDF_ENABLED": False, **settings})
    app.test_client_class = DistrictClient
    return app


@pytest.fixture(autouse=True, scope="session")
def _district_test_clients():
    """The few apps a test must make with create_app itself (see tests/access/test_commands.py) get
    the same test clients as make_app's (for the whole session: module-scoped fixtures make clients too)."""
    from flask import Flask

    from tests.principals import DistrictClient

    before = Flask.test_client_class
    Flask.test_client_class = DistrictClient
    yield
    Flask.test_client_class = before


@pytest.fixture
def app_settings() -> dict:
    """What the `app` fixture sets beyond make_app's defaults: a module overrides this fixture to give
    its app the test's database, a clock or a limit, and keeps the shared `app` and `client`."""
    return {}


@pytest.fixture
def app(tmp_path, app_settings):
    return make_app(tmp_path, **app_settings)


@pytest.fixture
def client(app):
    return app.test_client()


def beijing(*args) -> datetime:
    """A moment in Beijing time: beijing(2023, 6, 20, 23, 30)."""
    return datetime(*args, tzinfo=BEIJING)


class Clock:
    """The app's clock (setting CLOCK), moved by each test: 2023-06-10 09:00 in Beijing until then."""

    def __init__(self):
        self.now = datetime(2023, 6, 10, 9, 0, tzinfo=BEIJING)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def post(client, path: str, data, **kwargs):
    """POST `data` as UTF-8 JSON (Chinese as it is, not \\u-escaped), as another system sends it."""
    return client.post(path, data=json.dumps(data, ensure_ascii=False).encode(), content_type="application/json",
                       **kwargs)


def upload_file(client, content: bytes, name: str = "数据采集表.xlsx"):
    """The clerk's upload form sent with this file, as a browser sends it; the response."""
    return client.post("/upload", data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


def sheet(data: bytes):
    """The first sheet of a workbook, read back with openpyxl."""
    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(data)).active


def assert_error_shape(resp, status: int) -> dict:
    """The answer is the one error shape, with this status and a message in Chinese; its body."""
    assert resp.status_code == status, resp.get_data(as_text=True)[:300]
    body = resp.get_json()
    assert set(body) == {"code", "status", "message", "errors"}
    assert body["status"] == status
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body["message"]
    return body


class FakeConverter:
    """A converter without LibreOffice: a PDF per call whose title names the kind and a counter.

    A Word document prints one page; a workbook prints, for each sheet, the pages its footer's
    「共 N 页」 says (one when it says none), the first bookmarked with the sheet's name, as
    LibreOffice does: a workbook of several tables is then cut back as the real one is. Records
    every call, runs `parallelism` conversions at a time like the pool, and raises `fail` (an
    exception instance) when one is set.
    """

    def __init__(self, parallelism: int = 2, fail: Exception | None = None):
        self.parallelism = parallelism
        self.fail = fail
        self.calls: list[tuple[str, int]] = []
        self._lock = threading.Lock()

    def convert(self, data: bytes, kind: str) -> bytes:
        if self.fail is not None:
            raise self.fail
        with self._lock:
            self.calls.append((kind, len(data)))
            n = len(self.calls)
        return pages_pdf(f"{kind} {n}", _printed_sheets(data) if kind == "xlsx" else [(None, 1)])


def _printed_sheets(data: bytes) -> list[tuple[str, int]]:
    """(name, pages) of each sheet of a workbook: the pages its footer's 共 N 页 says, else one."""
    import re

    from openpyxl import load_workbook

    out = []
    for ws in load_workbook(io.BytesIO(data)).worksheets:
        total = re.search(r"共\s*(\d+)\s*页", ws.oddFooter.center.text or "")
        out.append((ws.title, int(total.group(1)) if total else 1))
    return out


def pages_pdf(text: str, sections: list[tuple[str | None, int]]) -> bytes:
    """A valid PDF (pypdf) of blank A4 pages, `pages` for each (bookmark, pages) of `sections`, the
    first page of each bookmarked with its name (when it has one); its metadata carries `text`."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for name, pages in sections:
        for k in range(pages):
            writer.add_blank_page(width=595, height=842)
            if name and k == 0:
                writer.add_outline_item(title=name, page_number=len(writer.pages) - 1)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def fake_converter():
    return FakeConverter()


@pytest.fixture
def service_log():
    """capture() points the service's own log handler (service.logs.LogHandler on the root logger,
    as create_app installed it) at a buffer and returns it: call it after create_app; the buffer
    holds exactly the lines the service writes. The handler writes to stderr again afterwards."""
    import logging
    import sys

    from service.logs import LogHandler

    def capture() -> io.StringIO:
        (handler,) = [h for h in logging.getLogger().handlers if isinstance(h, LogHandler)]
        buffer = io.StringIO()
        handler.setStream(buffer)
        return buffer

    yield capture
    for handler in logging.getLogger().handlers:
        if isinstance(handler, LogHandler):
            handler.setStream(sys.stderr)
