"""The district's reminders in the real browser (Debian's chromium through Playwright): on a silent
branch's page a staff member presses 「发送提醒」, the 企业微信 robot on loopback receives it, the page
says so and lists it, and the reminder log page shows it. axe-core finds nothing on either page at
desktop and phone widths, and a phone neither scrolls sideways nor gets small targets.
Screenshots: test-artifacts/reminders-*.png."""
from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest

from service.store import database
from tests.conftest import make_app
from tests.principals import account
from tests.reminders.helpers import LimitedRobot, log_rows

from .browsing import CHROMIUM, DEVICES, SAMPLE, axe_report, serve, shot

pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists() and not os.environ.get("CI"):  # CI installs chromium and never skips
    pytest.skip("Debian chromium not installed (apt-get install chromium)", allow_module_level=True)
from playwright.sync_api import expect  # noqa: E402  (after the chromium check, as the other browser modules)

from .test_district_browser import overflow, small_targets  # noqa: E402

STAFF = "district-staff"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    robot = LimitedRobot()
    app = make_app(tmp_path_factory.mktemp("reminders"), NOTIFY_WECOM_URL=robot.url())
    silent = copy.deepcopy(SAMPLE)  # a branch that sent only a dataset that failed validation
    silent["org"].update(code="WJ023", name="星辰实验学校党支部")
    silent["members"] = []
    assert app.test_client().put("/api/v1/branches/WJ023/dataset", json=silent).status_code == 422  # kept, refused
    account(app, STAFF, "district")
    with serve(app) as base:
        yield base, app, robot
    robot.close()


def check_page(page, device: str, name: str) -> None:
    shot(page, f"reminders-{device}-{name}.png")
    count, report = axe_report(page)
    assert count == 0, report
    assert overflow(page) == []
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    if device == "phone":
        assert small_targets(page) == []


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_reminder_sent_by_hand_then_found_in_the_log(browser, site, device):
    base, app, robot = site
    calls = len(robot.calls)
    context = base.sign_in(browser.new_context(locale="zh-CN", **DEVICES[device]), STAFF)
    page = context.new_page()
    try:
        page.goto(f"{base}/district/branches/WJ023")
        check_page(page, device, "branch")
        page.get_by_role("button", name="发送提醒").click()
        if calls == 0:  # the first of the day goes out; the same reminder is not sent twice a day
            expect(page.get_by_role("status")).to_have_text("提醒已发送。")
            assert len(robot.calls) == 1 and "请星辰实验学校党支部尽快报送" in robot.calls[0].text
        else:
            expect(page.get_by_role("status")).to_contain_text("今天已手动提醒过")
            assert len(robot.calls) == calls
        rows = page.locator("table.reminders tbody tr")
        expect(rows).to_have_count(1)
        assert "手动提醒" in rows.first.inner_text() and "已接收" in rows.first.inner_text()
        check_page(page, device, "branch-reminded")
        page.get_by_role("link", name="提醒记录").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("提醒发送记录")
        logged = page.locator("table.reminders tbody tr")
        expect(logged).to_have_count(1)
        assert "企业微信群" in logged.first.inner_text() and "WJ023" in logged.first.inner_text()
        check_page(page, device, "log")
    finally:
        context.close()
    assert log_rows(database(app)) == [("by_hand", "WJ023", "*", "wecom", "accepted")]
