"""全区图表, 随机抽查 and 归档 in the real browser (Debian's chromium through Playwright) at desktop and
phone widths: the charts are drawn (ECharts' canvases, with ink on them), nothing goes to the console
as an error and no CSP report is raised, axe-core finds nothing, a phone neither scrolls sideways nor
gets small targets; the 随机抽查 form draws a sample from the seed typed in.
Screenshots: test-artifacts/district-<device>-charts.png and the like."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from service.jobs.queue import runner_for
from service.store import database
from tests.conftest import make_app
from tests.principals import account

from .browsing import CHROMIUM, DEVICES, axe_report, serve, shot
from .district_data import fill

pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists() and not os.environ.get("CI"):  # CI installs chromium and never skips
    pytest.skip("Debian chromium not installed (apt-get install chromium)", allow_module_level=True)
from .test_district_browser import STAFF, overflow, small_targets  # noqa: E402  (after the chromium check)

INKED = """(selector) => [...document.querySelectorAll(selector + ' canvas')].reduce((sum, c) => {
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < px.length; i += 4) if (px[i] > 0) sum++;
    return sum; }, 0)"""
WATCH = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.effectiveDirective + ' ' + e.blockedURI));"""
PAGES = {"charts": ("/district/charts", "#chart-findings"), "spot-checks": ("/district/spot-checks", "form.spot-check"),
         "archive": ("/district/archive", "form.archive")}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("district-charts"))
    fill(database(app))
    account(app, STAFF, "district")
    with serve(app) as base:
        yield base, app
    runner_for(app).stop()


@pytest.mark.parametrize("device", ["desktop", "phone"])
@pytest.mark.parametrize("name", PAGES)
def test_the_pages_draw_and_pass_axe(browser, site, device, name):
    base = site[0]
    context = base.sign_in(browser.new_context(locale="zh-CN", **DEVICES[device]), STAFF)
    context.add_init_script(WATCH)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(f"{msg.text} {msg.location.get('url')}")
            if msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico") else None)  # the app has none
    page.on("pageerror", lambda err: errors.append(str(err)))
    try:
        path, landmark = PAGES[name]
        page.goto(base + path)
        assert page.locator(landmark).count() == 1
        if name == "charts":
            page.wait_for_selector("body[data-charts=drawn]", timeout=20000)
            for chart in ("#chart-progress", "#chart-members", "#chart-findings"):
                assert page.locator(f"{chart} canvas").count() >= 1
                assert page.evaluate(INKED, chart) > 500, f"{chart} has nothing drawn on it"
            assert page.locator("#years-message").inner_text().startswith("目前只有一次排查的数据")
        shot(page, f"district-{device}-{name}.png")
        assert errors == [] and page.evaluate("window.__violations") == []
        count, report = axe_report(page)
        assert count == 0, report
        assert overflow(page) == []
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
        if device == "phone":
            assert small_targets(page) == []
    finally:
        context.close()


def test_the_spot_check_form_draws_from_the_seed(browser, site):
    base = site[0]
    context = base.sign_in(browser.new_context(locale="zh-CN", **DEVICES["phone"]), STAFF)
    page = context.new_page()
    try:
        page.goto(base + "/district/spot-checks")
        page.get_by_label("抽取党组织数").fill("2")
        page.get_by_label("每个党组织抽取党员数").fill("3")
        page.get_by_label("随机种子（可不填）").fill("20231015")
        page.get_by_role("button", name="抽取").click()
        assert "随机种子：20231015" in page.locator("#spot-seed-line").inner_text()
        assert page.locator("table.sample").count() == 2
        shot(page, "district-phone-spot-check.png")
        count, report = axe_report(page)
        assert count == 0, report
        assert overflow(page) == []
    finally:
        context.close()
