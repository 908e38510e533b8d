"""Fixtures of the browser tests: Debian's chromium driven by Playwright, the app served with PDF off,
and the files a clerk uploads.

Only the modules that ask for them start a browser or a server (tests/web/browsing.py has the parts).
"""
from __future__ import annotations

import json

import pytest

from tests.conftest import make_app

from .browsing import ARGS, CHROMIUM, SAMPLE, sample_workbook, serve, with_errors


@pytest.fixture(scope="module")
def browser():
    from playwright import sync_api

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server_settings() -> dict:
    """What the served app sets beyond make_app's defaults: a module overrides this fixture."""
    return {}


@pytest.fixture(scope="module")
def server(tmp_path_factory, server_settings):
    """The app served on a free port for the module (browsing.Served: `server.app` is the app)."""
    with serve(make_app(tmp_path_factory.mktemp("uploads"), **server_settings)) as base:
        yield base


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """What a clerk uploads: the sample's workbook, one with three wrong cells, a photo named .xlsx,
    and a 数据包 (.json) with a wrong ID number."""
    folder = tmp_path_factory.mktemp("files")
    (folder / "星河-数据采集表.xlsx").write_bytes(sample_workbook())
    (folder / "有错误的表.xlsx").write_bytes(with_errors(SAMPLE))
    (folder / "照片.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    wrong = json.loads(json.dumps(SAMPLE))
    wrong["members"][0]["id_number"] = "320412197911230265"
    (folder / "数据包.json").write_text(json.dumps(wrong, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.fixture
def page(browser, server):
    """A page of a browser in which the sample branch's clerk is signed in."""
    context = server.sign_in(browser.new_context(accept_downloads=True, locale="zh-CN",
                                                 viewport={"width": 1100, "height": 900}))
    page = context.new_page()
    yield page
    context.close()
