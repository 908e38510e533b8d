"""The clerk's roster import in chromium, on a desktop and at phone width: from the home page's link,
upload, change one mapping, preview, store, land on the result page. axe-core finds nothing on each
new page (the mapping table with an error too), nothing reaches past the phone's edge, the strict CSP
reports nothing, and each step is photographed under test-artifacts/roster-*.png."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from .browsing import CHROMIUM, DEVICES, SAMPLE, axe_report, overflow, shot, small_targets
from .roster_files import school_roster

pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists() and not os.environ.get("CI"):  # CI installs chromium and never skips
    pytest.skip("Debian chromium not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def rosters(server, tmp_path_factory):
    """The sample branch stored (by the district's token) and its school roster on disk."""
    assert server.app.test_client().put("/api/v1/branches/WJ017/dataset", json=SAMPLE).status_code == 201
    folder = tmp_path_factory.mktemp("rosters")
    (folder / "星河花名册.xlsx").write_bytes(school_roster(SAMPLE))
    (folder / "照片.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    return folder


def forget_mappings(app) -> None:
    from sqlalchemy import delete

    from service.store import database
    from service.store.roster_tables import RosterMapping

    with database(app).writing() as session:
        session.execute(delete(RosterMapping))


def check(page, device: str, name: str, violations: list) -> None:
    """The page as a clerk gets it: photographed, no axe violation, nothing past the edge, no CSP report."""
    shot(page, f"roster-{device}-{name}.png")
    count, report = axe_report(page)
    assert count == 0, f"{name}: {report}"
    seen = overflow(page)
    assert seen["scroll"] <= seen["inner"] and seen["past"] == [], (name, seen)
    if device != "desktop":
        assert small_targets(page) == [], name
    assert violations == [], violations


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_upload_change_a_mapping_preview_store_and_land_on_the_result_page(browser, server, rosters, device):
    forget_mappings(server.app)  # each device starts from detection (the page test covers the remembered one)
    context = server.sign_in(browser.new_context(locale="zh-CN", **DEVICES[device]))
    page = context.new_page()
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    try:
        page.goto(server + "/")
        page.get_by_role("link", name="从花名册导入").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "从花名册导入党员信息"
        check(page, device, "upload", violations)

        page.set_input_files("input[type=file]", str(rosters / "照片.xlsx"))
        page.get_by_role("button", name="上传并识别").click()
        page.wait_for_load_state()
        assert "未能导入" in page.locator("main .box.bad").inner_text()
        check(page, device, "upload-refused", violations)

        page.set_input_files("input[type=file]", str(rosters / "星河花名册.xlsx"))
        page.get_by_role("button", name="上传并识别").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "核对对应关系"
        assert page.get_by_label("E 列「联系电话/手机号」对应到").input_value() == "phone"
        check(page, device, "mapping", violations)

        page.get_by_label("F 列「联系电话/固定电话」对应到").select_option(label="联系电话")
        page.get_by_role("button", name="预览").click()  # 联系电话 twice: the table again, the error at both
        page.wait_for_load_state()
        assert page.locator(".field-error").count() == 2
        assert "同时选给了E 列" in page.locator("#err-F").inner_text()
        check(page, device, "mapping-error", violations)

        page.get_by_label("E 列「联系电话/手机号」对应到").select_option(label="不导入")
        page.get_by_role("button", name="预览").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "导入预览"
        changed = page.locator("table.changed").inner_text()
        assert "校长、党支部书记" in changed and "051******0612" in changed
        assert "新党员" in page.locator("table.added").inner_text()
        check(page, device, "preview", violations)

        page.get_by_role("button", name="导入并保存").click()
        page.wait_for_load_state()
        assert "/result/" in page.url
        main = page.locator("main").inner_text()
        assert "党员「新党员」（花名册第7行）的「民族」：缺少必填项" in main
        shot(page, f"roster-{device}-result.png")
    finally:
        context.close()
