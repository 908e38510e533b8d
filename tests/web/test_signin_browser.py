"""Signing in as a clerk does it, in chromium: the link sent in a chat opens the sign-in page, the
one-time password leads to the new-password page, then back to where the clerk was going; a wrong
password, a refused upload of another branch and too many attempts are said in Chinese; axe-core
finds nothing on the sign-in and password pages; signing out works from the header."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.principals import one_time

from .browsing import CHROMIUM, SAMPLE, axe_report, shot

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists() and not os.environ.get("CI"):  # CI installs chromium and never skips
    pytest.skip("Debian chromium not installed (apt-get install chromium)", allow_module_level=True)

NEW = "星河小学-2023-排查"


@pytest.fixture(scope="module")
def server_settings():
    return {"LIMIT_LOGIN_PER_ACCOUNT": "4 per minute"}


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1100, "height": 900})
    yield context.new_page()
    context.close()


def fill(page, login: str, password: str) -> None:
    page.get_by_label("账号").fill(login)
    page.get_by_label("密码").fill(password)
    with page.expect_navigation():  # the answer to this POST, not the page it was sent from
        page.get_by_role("button", name="登录").click()


def test_first_sign_in_from_a_forwarded_link(server, page, tmp_path):
    app = server.app
    upload_by_district = app.test_client().put("/api/v1/branches/WJ016/dataset",
                                               json={**SAMPLE, "org": {**SAMPLE["org"], "code": "WJ016"}})
    assert upload_by_district.status_code == 201
    secret = one_time(app, "wj016", "WJ016")
    page.goto(server + "/")  # the address a colleague sent
    assert page.url == server + "/login?next=/"
    count, report = axe_report(page)
    assert count == 0, report
    fill(page, "wj016", "wrong password")
    assert "登录未成功：账号或密码不正确" in page.locator("main .box.bad").inner_text()
    assert page.get_by_label("账号").input_value() == "wj016"  # the name stays, the password does not
    fill(page, "wj016", secret)
    assert page.url == server + "/password?next=/"
    assert "请先设置自己的新密码" in page.locator("main").inner_text()
    count, report = axe_report(page)
    assert count == 0, report
    shot(page, "signin-password.png")
    page.get_by_label("新密码", exact=True).fill(NEW)
    page.get_by_label("再输入一次新密码").fill(NEW)
    page.get_by_role("button", name="保存新密码").click()
    page.wait_for_url(server + "/")
    assert "wj016（支部党务干事，支部 WJ016）" in page.locator("header").inner_text()
    shot(page, "signin-home.png")
    workbook = tmp_path / "星河-数据采集表.xlsx"
    from service.intake.workbook import filled_workbook

    workbook.write_bytes(filled_workbook(SAMPLE))  # WJ017's, not this clerk's
    page.set_input_files("input[type=file]", str(workbook))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_load_state()
    refused = page.locator("main .box.bad").inner_text()
    assert "填的是支部「WJ017」的数据，您的账号只能报送支部「WJ016」的数据" in refused and "文件未保存" in refused
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(server + "/login?out=1")
    assert "您已退出登录" in page.locator("main").inner_text()
    page.goto(server + "/")
    assert page.url.startswith(server + "/login")


def test_too_many_attempts_are_said_in_chinese(server, page):
    one_time(server.app, "wj015", "WJ015")
    page.goto(server + "/login")
    for _ in range(4):
        fill(page, "wj015", "guess")
    fill(page, "wj015", "guess")
    assert page.locator("main h1").inner_text() == "操作过于频繁", page.locator("main").inner_text()
    assert "秒后再试" in page.locator("main .box.bad").inner_text()
    shot(page, "signin-too-many.png")
