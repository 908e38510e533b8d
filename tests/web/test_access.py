"""axe-core (WCAG 2.0/2.1 A and AA, and its best practices) finds nothing on the pages a clerk sees:
the upload page, with a refused file, and the result page with downloads and with the error list —
on a desktop and on a phone, where the tables become cards."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from .browsing import CHROMIUM, DEVICES, axe_report, upload

pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists() and not os.environ.get("CI"):  # CI installs chromium and never skips
    pytest.skip("Debian chromium not installed (apt-get install chromium)", allow_module_level=True)


PAGES = {  # name → (file to upload or None, what shows the right page was reached)
    "upload": (None, "main form"),
    "upload-refused": ("照片.xlsx", "main .box.bad"),
    "result": ("星河-数据采集表.xlsx", "main table.downloads"),
    "result-errors": ("有错误的表.xlsx", "main table.errors"),
    "result-errors-json": ("数据包.json", "main table.errors"),
    "not-found": ("/result/doesnotexist1234567890", "main .box.bad"),
}


@pytest.mark.parametrize("device", ["desktop", "phone"])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_nothing(browser, server, files, device, name):
    context = server.sign_in(browser.new_context(locale="zh-CN", **DEVICES[device]))
    page = context.new_page()
    try:
        source, landmark = PAGES[name]
        if source is None:
            page.goto(server + "/")
        elif source.startswith("/"):
            page.goto(server + source)
        else:
            upload(page, server, files / source)
        assert page.locator(landmark).count() >= 1
        count, report = axe_report(page)
        assert count == 0, report
    finally:
        context.close()
