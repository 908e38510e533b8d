"""Fixtures of the browser tests: Debian's chromium driven by Playwright, and the app served with PDF off.

Only the modules that ask for them start a browser or a server (tests/web/browsing.py has the parts).
"""
from __future__ import annotations

import pytest

from service import create_app

from .browsing import ARGS, CHROMIUM, serve


@pytest.fixture(scope="module")
def browser():
    from playwright import sync_api

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    app = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path_factory.mktemp("uploads")), "PDF_ENABLED": False})
    with serve(app) as base:
        yield base


@pytest.fixture
def page(browser, server):
    """A page of a browser in which the sample branch's clerk is signed in."""
    context = server.sign_in(browser.new_context(accept_downloads=True, locale="zh-CN",
                                                 viewport={"width": 1100, "height": 900}))
    page = context.new_page()
    yield page
    context.close()
