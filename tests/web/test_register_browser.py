"""排查工作与党组织名单 in chromium, as district staff, on a desktop and at phone width: from the section
link, a list with bad rows refused with each row and column named, the good list imported, the campaign
form refused and then saved, and the branch list showing the registered branches as 尚未报送. axe-core
finds nothing on each new page, nothing reaches past a phone's edge, no target is under 44 px there,
and the strict CSP reports nothing. Screenshots: test-artifacts/register-*.png."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import make_app
from tests.principals import account

from .browsing import CHROMIUM, DEVICES, axe_report, serve, shot
from .register_files import BAD, GOOD, register_workbook
from .test_district_browser import overflow, small_targets  # the district pages' own: card tables' headers clipped

pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists() and not os.environ.get("CI"):  # CI installs chromium and never skips
    pytest.skip("Debian chromium not installed (apt-get install chromium)", allow_module_level=True)

STAFF = "district-staff"


@pytest.fixture(scope="module")
def lists(tmp_path_factory):
    folder = tmp_path_factory.mktemp("register")
    (folder / "名单-有错.xlsx").write_bytes(register_workbook(BAD))
    (folder / "名单.xlsx").write_bytes(register_workbook(GOOD))
    return folder


@pytest.fixture
def site(tmp_path):
    app = make_app(tmp_path)  # each device starts from an empty district
    account(app, STAFF, "district")
    with serve(app) as base:
        yield base


def check(page, device: str, name: str, violations: list) -> None:
    shot(page, f"register-{device}-{name}.png")
    count, report = axe_report(page)
    assert count == 0, f"{name}: {report}"
    assert overflow(page) == [], name
    if device != "desktop":
        assert small_targets(page) == [], name
    assert violations == [], violations


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_import_the_list_and_set_the_campaign(browser, site, lists, device):
    context = site.sign_in(browser.new_context(locale="zh-CN", **DEVICES[device]), STAFF)
    page = context.new_page()
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    try:
        page.goto(site + "/district/")
        page.get_by_role("navigation", name="栏目").get_by_role("link", name="排查工作与党组织名单").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "排查工作与党组织名单"
        check(page, device, "empty", violations)

        page.get_by_label("党组织名单文件").set_input_files(str(lists / "名单-有错.xlsx"))
        page.get_by_role("button", name="导入名单").click()
        page.wait_for_load_state()
        assert "名单未导入" in page.locator("main .box.bad").inner_text()
        rows = page.locator("table.errors tbody tr").all_inner_texts()
        assert any(r.startswith("5") and "编号" in r and "重复" in r for r in rows), rows
        assert any(r.startswith("6") and "联系电话" in r for r in rows), rows
        check(page, device, "refused", violations)

        page.get_by_label("党组织名单文件").set_input_files(str(lists / "名单.xlsx"))
        page.get_by_role("button", name="导入名单").click()
        page.wait_for_load_state()
        assert "新增 2 个" in page.get_by_role("status").first.inner_text()
        assert page.locator("table.branches td.code").all_inner_texts() == ["WJ001", "WJ002"]
        check(page, device, "imported", violations)

        page.get_by_label("工作总结：").fill("2023-05-01")
        page.get_by_role("button", name="保存排查工作设定").click()
        page.wait_for_load_state()
        assert "四项期限应依次不早于前一项" in page.locator("main .box.bad").inner_text()
        check(page, device, "campaign-refused", violations)
        page.get_by_label("名称：").fill("2023年党员组织关系排查")
        page.get_by_label("工作总结：").fill("2023-10-20")
        page.get_by_role("button", name="保存排查工作设定").click()
        page.wait_for_load_state()
        assert "已保存排查工作的设定" in page.locator("main .box.good").inner_text()
        assert page.get_by_label("工作总结：").input_value() == "2023-10-20"

        page.get_by_role("navigation", name="栏目").get_by_role("link", name="各支部报送情况").click()
        page.wait_for_load_state()
        assert page.locator("table.branches td.code").all_inner_texts() == ["WJ001", "WJ002"]
        assert page.locator("table.branches").get_by_text("尚未报送").count() == 2
        check(page, device, "list", violations)
    finally:
        context.close()
