"""The clerk's 「报送」 in chromium at phone width: the result page's 报送 table, a confirmation, the button,
the state changed. axe-core finds nothing before and after, nothing reaches past the phone's edge, the
strict CSP reports nothing; photographed under test-artifacts/deliver-*.png."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.http.routes import upload

from .browsing import CHROMIUM, DEVICES, SAMPLE, axe_report, overflow, shot, small_targets

pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists() and not os.environ.get("CI"):  # CI installs chromium and never skips
    pytest.skip("Debian chromium not installed (apt-get install chromium)", allow_module_level=True)


def check(page, name: str, violations: list) -> None:
    shot(page, f"deliver-phone-{name}.png")
    count, report = axe_report(page)
    assert count == 0, f"{name}: {report}"
    seen = overflow(page)
    assert seen["scroll"] <= seen["inner"] and seen["past"] == [], (name, seen)
    assert small_targets(page) == [], name
    assert violations == [], violations


def test_the_clerk_sends_the_tables_at_phone_width(browser, server):
    token = upload(server.app.test_client(), SAMPLE)  # the sample branch's workbook, stored (保存)
    context = server.sign_in(browser.new_context(locale="zh-CN", **DEVICES["phone"]))
    page = context.new_page()
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    try:
        page.goto(f"{server}/result/{token}#deliver")
        row = page.locator("#deliver-tables")
        assert "逾期未报" in row.inner_text()  # stored, not sent: the deadline has passed
        assert "党员组织关系排查相关表格.zip" in row.inner_text()
        check(page, "before", violations)
        row.get_by_role("button", name="报送").click()  # not confirmed: the browser holds the form back
        assert page.url.endswith(f"/result/{token}#deliver")
        row.get_by_label("确认以第1版报送附件3—9").check()
        with page.expect_navigation():
            row.get_by_role("button", name="报送").click()
        assert "sent=tables" in page.url
        assert "已报送附件3—9（第1版）" in page.locator("#deliver-status").inner_text()
        after = page.locator("#deliver-tables").inner_text()
        assert "逾期报送" in after and "已报送本版" in after
        assert "逾期未报" in page.locator("#deliver-work_plan").inner_text()  # the others untouched
        check(page, "after", violations)
    finally:
        context.close()
