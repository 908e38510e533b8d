"""Shared fixtures: the sample branch, the app and its client, a fake converter, free ports."""
from __future__ import annotations

import copy
import json
import socket
import threading
from pathlib import Path

import pytest

from tests.databases import db, db_url, postgres_url  # noqa: F401  (fixtures: the store on both databases)

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_PATH = FIXTURES / "demo-branch.json"
_SAMPLE = json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def sample_data() -> dict:
    """A fresh deep copy of the sample JSON, safe to mutate in a test."""
    return copy.deepcopy(_SAMPLE)


@pytest.fixture
def sample_dataset(sample_data):
    from schemas import load_dataset

    return load_dataset(sample_data)


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
    """Apps a test makes with create_app itself get the same test clients as make_app's (for the
    whole session: module-scoped fixtures make clients too)."""
    from flask import Flask

    from tests.principals import DistrictClient

    before = Flask.test_client_class
    Flask.test_client_class = DistrictClient
    yield
    Flask.test_client_class = before


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


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
    import io
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
    import io

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


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def service_log():
    """capture() points the service's own log handler (service.logs.LogHandler on the root logger,
    as create_app installed it) at a buffer and returns it: call it after create_app; the buffer
    holds exactly the lines the service writes. The handler writes to stderr again afterwards."""
    import io
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
