"""The clerk pages on the browsers clerks use: a phone (and WeChat on it), the dual-engine desktop
browsers, a desktop at 1280 px. Every page is photographed under test-artifacts/devices-*.png."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from service.web.browser import in_app_browser

from .browsing import ANDROID, CHROMIUM, DEVICES, WECHAT, overflow, shot, small_targets, upload

if not Path(CHROMIUM).exists() and not os.environ.get("CI"):  # CI installs chromium and never skips
    pytest.skip("Debian chromium not installed (apt-get install chromium)", allow_module_level=True)

QQ_ANDROID = ("Mozilla/5.0 (Linux; Android 12; PCLM10 Build/SKQ1.211113.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Version/4.0 Chrome/98.0.4758.102 MQQBrowser/6.2 TBS/046805 Mobile Safari/537.36 V1_AND_SQ_8.9.80_4614_YYB_D "
              "QQ/8.9.80.12440 NetType/WIFI WebP/0.3.0 AppId/537176863 Pixel/1080 StatusBarHeight/96 "
              "SimpleUISwitch/0 QQTheme/1000 StudyMode/0 CurrentMode/0 CurrentFontScale/1.0 GlobalDensityScale/0.9")
QQ_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
             "Mobile/15E148 QQ/8.9.80.617 V1_IPH_SQ_8.9.80_1_APP_A Pixel/1170 MiniAppEnable SimpleUISwitch/0 "
             "StudyMode/0 CurrentMode/0 CurrentFontScale/1.000000 QQTheme/1000 Core/WKWebView Device/Apple(iPhone 14) "
             "NetType/WIFI QBWebViewType/1 WKType/1")
QQ_BROWSER = ("Mozilla/5.0 (Linux; U; Android 13; zh-cn; V2171A Build/TP1A.220624.014) AppleWebKit/537.36 "
              "(KHTML, like Gecko) Version/4.0 Chrome/109.0.5414.86 MQQBrowser/14.1 Mobile Safari/537.36 COVC/046513")
QQ_DESKTOP = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/94.0.4606.71 "
              "Safari/537.36 Core/1.94.218.400 QQBrowser/12.1.5496.400")
SE360 = ("Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/108.0.5359.125 "
         "Safari/537.36 QIHU 360SE")
WECHAT_WORK = ("Mozilla/5.0 (Linux; Android 13; V2171A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 wxwork/4.1.16 MicroMessenger/7.0.1 NetType/WIFI "
               "Language/zh ColorScheme/Light")


# --- the server's side, through Flask's test client ------------------------------------------------

@pytest.mark.parametrize("user_agent, app", [
    (WECHAT, "微信"), (WECHAT_WORK, "微信"), (QQ_ANDROID, "QQ"), (QQ_IPHONE, "QQ"),
    (ANDROID, None), (QQ_BROWSER, None), (QQ_DESKTOP, None), (SE360, None), ("", None), (None, None),
])
def test_which_in_app_browser(user_agent, app):
    assert in_app_browser(user_agent) == app


def test_every_page_asks_dual_engine_browsers_for_their_webkit_core(client):
    for resp in (client.get("/"), client.get("/result/doesnotexist1234567890")):
        html = resp.get_data(as_text=True)
        assert '<meta name="renderer" content="webkit">' in html
        assert '<meta name="force-rendering" content="webkit">' in html


def test_hint_only_in_wechat_and_qq(client):
    for user_agent, shown in ((WECHAT, True), (QQ_IPHONE, True), (ANDROID, False), (QQ_BROWSER, False)):
        resp = client.get("/", headers={"User-Agent": user_agent})
        assert ("在浏览器中打开" in resp.get_data(as_text=True)) is shown, user_agent
        assert "User-Agent" in resp.vary  # a cache must not hand WeChat's page to a browser, or back


# --- in the browser ------------------------------------------------------------------------------

def visit(page, server, files, name: str) -> None:
    """Open one of the four pages a clerk sees."""
    if name == "upload":
        page.goto(server + "/")
    elif name == "upload-refused":
        upload(page, server, files / "照片.xlsx")
    elif name == "result":
        upload(page, server, files / "星河-数据采集表.xlsx")
    else:
        upload(page, server, files / "有错误的表.xlsx")


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", ["upload", "upload-refused", "result", "result-errors"])
def test_page_fits_the_device(browser, server, files, device, name):
    context = server.sign_in(browser.new_context(locale="zh-CN", **DEVICES[device]))
    page = context.new_page()
    try:
        visit(page, server, files, name)
        shot(page, f"devices-{device}-{name}.png")
        width = DEVICES[device]["viewport"]["width"]
        seen = overflow(page)
        assert seen["inner"] == width, "the page was zoomed out to fit something too wide"
        assert seen["scroll"] <= seen["inner"] and seen["past"] == [], seen
        if device != "desktop":
            assert small_targets(page) == []
        hints = page.locator(".box.hint")
        if device == "wechat":
            assert hints.count() == (2 if name == "result" else 1)  # the result page: at the top and by the list
            assert all("「在浏览器中打开」" in text for text in hints.all_inner_texts())
            assert hints.first.is_visible()
        else:
            assert hints.count() == 0
    finally:
        context.close()


def test_errors_stay_readable_as_cards_on_a_phone(browser, server, files):
    """Each wrong cell is one card: sheet, row, column and cell on top, the problem below, all labelled."""
    context = server.sign_in(browser.new_context(locale="zh-CN", **DEVICES["phone"]))
    page = context.new_page()
    try:
        visit(page, server, files, "result-errors")
        rows = page.locator("table.errors tbody tr")
        assert rows.count() == 3
        # what a screen reader gets, and the labels a sighted clerk reads: still a table row of cells
        first = rows.first.aria_snapshot()
        assert first.startswith('- row "第1处 工作表：党员名册 行：6 列：公民身份号码 单元格：E6 问题：'), first
        assert '  - cell "单元格：E6"' in first
        cell = rows.first.locator("td.cell").bounding_box()
        problem = rows.first.locator("td.what").bounding_box()
        assert problem["y"] >= cell["y"] + cell["height"] - 1  # the problem below its address, full width
        assert problem["width"] > 300
    finally:
        context.close()
