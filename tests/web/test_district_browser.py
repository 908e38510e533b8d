"""The district's pages in the real browser (Debian's chromium through Playwright), over a district
stored through the store's submissions module: filter the list, open a branch, compare two
versions, return a version with a reason and find it on the clerk's result page, start a batch and
watch its progress bar reach 100 % (the in-process runner), download the zip and find every branch
folder in it, check a paper page's 校验码 typed in lower case with spaces. axe-core finds nothing on
the pages at desktop and phone widths, and a phone neither scrolls sideways nor gets small targets.
Screenshots: test-artifacts/district-*.png."""
from __future__ import annotations

import os
import re
import threading
import time
import zipfile
from pathlib import Path

import pytest

from service.jobs import tasks
from service.jobs.queue import runner_for
from service.store import database
from tests.conftest import make_app
from tests.principals import account

from .browsing import CHROMIUM, DEVICES, axe_report, serve, shot
from .district_data import CODES, NAMES, VALID, fill

pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists() and not os.environ.get("CI"):  # CI installs chromium and never skips
    pytest.skip("Debian chromium not installed (apt-get install chromium)", allow_module_level=True)
from playwright.sync_api import expect  # noqa: E402  (after the chromium check, as the other browser modules)

STAFF = "district-staff"  # the district account the browser signs in as
TARGETS = ("main .button, main button, main input, main select, main textarea, main label.check, .sections a, "
           "main .meta a, table.branches td a, table.findings td a, #batch-failures a, .match a")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The app over the stored district, served on a free port: (base URL, app, the district)."""
    app = make_app(tmp_path_factory.mktemp("district"))
    district = fill(database(app))
    account(app, STAFF, "district")
    with serve(app) as base:
        yield base, app, district
    runner_for(app).stop()


def codes_listed(page) -> list[str]:
    return page.locator("table.branches td.code a").all_inner_texts()


def test_a_district_staff_members_round(browser, site, monkeypatch, tmp_path):
    base, app, district = site
    context = base.sign_in(browser.new_context(accept_downloads=True, locale="zh-CN", **DEVICES["desktop"]), STAFF)
    page = context.new_page()
    try:
        page.goto(base + "/")  # from the clerk page to the district's
        page.get_by_role("link", name="各支部报送情况").click()
        assert codes_listed(page) == list(CODES)
        shot(page, "district-desktop-list.png")

        page.get_by_label("逾期（2）").check()  # filter: late
        page.get_by_role("button", name="筛选").click()
        assert codes_listed(page) == ["D002", "D006"]
        page.get_by_label("逾期（2）").uncheck()
        page.get_by_label("有“失联”党员（1）").check()
        page.get_by_role("button", name="筛选").click()
        assert codes_listed(page) == ["D004"]
        page.get_by_role("link", name="显示全部").click()
        page.get_by_label("编号或名称含：").fill("第5实验")
        page.get_by_role("button", name="筛选").click()
        assert codes_listed(page) == ["D005"]

        page.get_by_role("link", name=NAMES["D005"]).click()  # open a branch
        assert page.get_by_role("heading", level=1).inner_text() == f"D005 {NAMES['D005']}"
        page.get_by_role("button", name="比较").click()  # the newest two valid versions, as offered
        diff = page.locator("#diff ~ ul.diff-summary").first
        assert "新增党员 1 人，删去 0 人" in diff.inner_text()
        shot(page, "district-desktop-branch-diff.png")

        page.get_by_role("radio", name="退回修改").check()  # a 退回 without a reason: refused, nothing stored
        page.get_by_role("button", name="提交核查结论").click()
        assert "退回修改须写明原因" in page.get_by_role("alert").first.inner_text()
        assert app.test_client().get("/api/v1/branches/D005").get_json()["reviews"] == []
        shot(page, "district-desktop-review-refused.png")
        page.get_by_label("退回原因（退回修改时必填，支部在结果页上看到）：").fill("第7名党员的家庭住址不全，请补充")
        page.get_by_role("button", name="提交核查结论").click()
        assert "已记录第2版的核查结论：退回修改" in page.get_by_role("status").first.inner_text()

        clerk = context.new_page()  # the clerk's result page of that version (its token page)
        clerk.goto(f"{base}/result/{district.tokens[('D005', 2)]}")
        box = clerk.locator("#review").inner_text()
        assert "区委教育工委核查：退回修改" in box and "退回原因：第7名党员的家庭住址不全，请补充" in box
        shot(clerk, "district-desktop-clerk-returned.png")
        clerk.close()

        gate = threading.Event()  # the first branch waits until the page has shown the batch running
        real = tasks.process_logged

        def held(*args):
            gate.wait(60)
            return real(*args)

        monkeypatch.setattr(tasks, "process_logged", held)
        page.get_by_role("link", name="← 返回支部列表").click()
        page.get_by_label("全部支部（6 个）").check()
        page.get_by_role("button", name="开始批量生成").click()
        bar = page.locator("progress#batch-bar")
        assert page.locator("#batch-progress").get_attribute("data-state") == "running"
        assert int(bar.get_attribute("value")) < 100
        shot(page, "district-desktop-batch-running.png")
        page.evaluate("window.notReloaded = true")
        gate.set()
        expect(bar).to_have_attribute("value", "100", timeout=120_000)  # the script sets it as it polls
        assert page.evaluate("window.notReloaded") is True  # the script moved the bar, no reload
        assert page.locator("#batch-percent").inner_text() == "100%"
        assert "已完成：共 6 个支部，已生成 5 个，失败 1 个" in page.locator("#batch-text").inner_text()
        failed = page.locator("#batch-failures li").all_inner_texts()
        assert len(failed) == 1 and failed[0].startswith(f"D006 {NAMES['D006']}：")
        assert page.get_by_role("link", name="刷新进度").is_hidden()
        shot(page, "district-desktop-batch-finished.png")

        with page.expect_download() as download:
            page.get_by_role("link", name="下载压缩包").click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert re.fullmatch(r"武进区教育系统-党员组织关系排查-\d{8}\.zip", saved.name)
        with zipfile.ZipFile(saved) as zf:
            folders = {name.split("/")[0] for name in zf.namelist() if "/" in name}
            assert folders == {f"{code}-{NAMES[code]}" for code in VALID}
            for code in VALID:  # each folder holds the four deliverables
                assert len([n for n in zf.namelist() if n.startswith(f"{code}-")]) == 4
            assert "D006" in zf.read("未生成的支部.txt").decode("utf-8")

        page.get_by_role("link", name="← 返回支部列表").click()  # a paper page's code, as typed
        typed = district.codes[("D005", 1)].lower().replace("-", " ")
        page.get_by_label("输入纸质稿页脚的校验码（如 7F3A-92C1，大小写、空格均可）：").fill(typed)
        page.get_by_role("button", name="核验").click()
        found = page.get_by_role("status").first.inner_text()
        assert f"D005 {NAMES['D005']}，第1版" in found and "该纸质稿不是最新的" in found
        shot(page, "district-desktop-verify.png")
    finally:
        context.close()


def refused_review(page) -> None:
    page.get_by_role("radio", name="退回修改").check()
    page.get_by_role("button", name="提交核查结论").click()


def refused_batch(page) -> None:
    for box in page.locator("input[name=packages]").all():
        box.uncheck()
    page.get_by_role("button", name="开始批量生成").click()


PAGES = {  # name → (path, what shows the right page was reached, what to do there first)
    "list": ("/district/", "table.branches", None),
    "list-filtered": ("/district/?filter=late&filter=errors", "table.branches", None),
    "list-batch-refused": ("/district/", "#batch ~ .box.bad", refused_batch),
    "branch": ("/district/branches/D005?from=1&to=2", "ul.diff-summary", None),
    "branch-errors": ("/district/branches/D003", "table.errors", None),
    "branch-review-refused": ("/district/branches/D004", "form.review", refused_review),
    "verify": ("/district/verify?code=0000+0000", ".box.bad", None),
    "findings": ("/district/findings", "table.findings", None),
    "batch": (None, "#batch-progress", None),
}


@pytest.fixture(scope="module")
def batch_path(site):
    """A finished batch of every branch (one of them failed), started as the page's form does."""
    client = site[1].test_client()
    resp = client.post("/district/batches", data={"scope": "all", "packages": "stage_summary", "format": "office"})
    assert resp.status_code == 303
    progress = "/api/v1/batches/" + resp.headers["Location"].rsplit("/", 1)[-1]
    for _ in range(1200):
        if client.get(progress).get_json()["state"] == "finished":
            return resp.headers["Location"]
        time.sleep(0.1)
    pytest.fail("batch not finished")


def overflow(page) -> list[str]:
    """What reaches past the right edge of the screen (a card table's header row is clipped to a
    pixel for screen readers: what it holds is never seen)."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('body *'))
        .filter(el => !el.closest('table.stack thead'))
        .filter(el => { const b = el.getBoundingClientRect(); return b.width > 1 && b.height > 1 && b.right > window.innerWidth + 0.5; })
        .map(el => el.tagName + '.' + el.className)""")


def small_targets(page) -> list[str]:
    """Targets a thumb can miss: less than 44 × 44 CSS px."""
    return page.evaluate("""(selector) => Array.from(document.querySelectorAll(selector))
        .filter(el => el.offsetParent !== null && el.type !== 'hidden' && !(el.tagName === 'INPUT' && el.closest('label.check')))
        .map(el => [el, el.getBoundingClientRect()])
        .filter(([el, box]) => box.height < 44 || box.width < 44)
        .map(([el, box]) => el.outerHTML.slice(0, 80) + ` ${Math.round(box.width)}×${Math.round(box.height)}`)""",
                         TARGETS)


@pytest.mark.parametrize("device", ["desktop", "phone"])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_nothing_and_a_phone_fits(browser, site, device, name, request):
    base = site[0]
    context = base.sign_in(browser.new_context(locale="zh-CN", **DEVICES[device]), STAFF)
    page = context.new_page()
    try:
        path, landmark, action = PAGES[name]
        page.goto(base + (path or request.getfixturevalue("batch_path")))
        if action is not None:
            action(page)
        assert page.locator(landmark).count() >= 1
        shot(page, f"district-{device}-{name}.png")
        count, report = axe_report(page)
        assert count == 0, report
        assert overflow(page) == []
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
        if device == "phone":
            assert small_targets(page) == []
    finally:
        context.close()
