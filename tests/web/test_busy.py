"""「正在生成 PDF…」: the PDF link says it is working while the server converts, takes no second click,
saves the file under the server's Chinese name, and says in Chinese why when it cannot.

One click goes to a real LibreOffice pool. Its request is held in the browser (Playwright's route)
until the busy state has been seen, so the test never races the conversion and measures no time.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest_pdf import page_texts, pdf_app, soffice_test, squash

from .browsing import CHROMIUM, axe_report, serve, shot, upload

pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists() and not os.environ.get("CI"):  # CI installs chromium and never skips
    pytest.skip("Debian chromium not installed (apt-get install chromium)", allow_module_level=True)
from playwright.sync_api import expect  # noqa: E402  (a test dependency: a missing one must fail, not skip)

WORK_PLAN = "WJ017-星河实验小学党支部-党员组织关系排查工作方案.pdf"


@pytest.fixture(scope="module")
def workbook(files):
    return files / "星河-数据采集表.xlsx"


@pytest.fixture(scope="module")
def pdf_server(tmp_path_factory):
    """The app with a real LibreOffice pool of one (started on the first PDF asked for), on 2803/2903."""
    with pdf_app(tmp_path_factory.mktemp("up"), 1, 2803, 2903) as app, serve(app) as base:
        yield base


def work_plan_pdf(page):
    return page.locator("tr", has_text="党员组织关系排查工作方案").first.get_by_role("link", name="PDF")


@soffice_test
def test_busy_while_the_pdf_is_made_then_saved_under_its_chinese_name(browser, pdf_server, workbook):
    context = pdf_server.sign_in(browser.new_context(accept_downloads=True, locale="zh-CN",
                                                     viewport={"width": 1280, "height": 800}))
    page = context.new_page()
    try:
        upload(page, pdf_server, workbook)
        held = []  # the browser's requests for the PDF, kept waiting until released
        page.route("**/documents/work_plan?format=pdf", lambda route: held.append(route))
        link = work_plan_pdf(page)
        with page.expect_request("**/documents/work_plan?format=pdf"):
            link.click()
        expect(link).to_have_attribute("aria-busy", "true")
        expect(link).to_have_text("正在生成 PDF…")
        expect(page.get_by_role("status")).to_have_text("正在生成 PDF…（党员组织关系排查工作方案）")
        link.click(force=True)  # the clerk clicks again, twice, while it works (aria-disabled: a
        link.dblclick(force=True)  # mouse still reaches it, so no action-ability wait)
        shot(page, "busy-pdf.png")
        count, report = axe_report(page)  # the busy state is readable too
        assert count == 0, report

        with page.expect_download(timeout=180_000) as info:
            held[0].continue_()  # to the server and LibreOffice
        download = info.value
        assert download.suggested_filename == WORK_PLAN
        pdf = Path(download.path()).read_bytes()
        assert pdf[:5] == b"%PDF-" and "党员组织关系排查工作方案" in squash("".join(page_texts(pdf)))
        expect(link).to_have_text("PDF")
        expect(link).not_to_have_attribute("aria-busy", "true")
        expect(link).not_to_have_class("busy")
        expect(page.get_by_role("status")).to_have_text(f"已生成：{WORK_PLAN}，浏览器正在保存。")
        assert len(held) == 1, "a click while busy sent the request again"
        assert "/result/" in page.url
    finally:
        context.close()


def test_a_refused_pdf_says_why_in_chinese_and_the_link_works_again(browser, server, workbook):
    """PDF off on this server (503): the reason appears under the row; the page stays where it was."""
    context = server.sign_in(browser.new_context(accept_downloads=True, locale="zh-CN",
                                                 viewport={"width": 1280, "height": 800}))
    page = context.new_page()
    try:
        upload(page, server, workbook)
        url = page.url
        link = work_plan_pdf(page)
        link.click()
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("暂时不能生成 PDF：服务器暂时不能转换 PDF")
        expect(alert).to_contain_text("Word/Excel 格式的文件仍可下载")
        expect(link).to_have_text("PDF")
        assert page.url == url and link.get_attribute("aria-busy") is None
        shot(page, "busy-pdf-refused.png")
        count, report = axe_report(page)
        assert count == 0, report

        link.click()  # again: one message, not two
        expect(alert).to_have_count(1)
        with page.expect_download() as info:  # and Word still comes as before
            page.locator("tr", has_text="党员组织关系排查工作方案").first.get_by_role("link", name="Word").click()
        assert info.value.suggested_filename == WORK_PLAN.replace(".pdf", ".docx")
    finally:
        context.close()


def test_a_lost_connection_is_said_not_swallowed(browser, server, workbook):
    context = server.sign_in(browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 667}, is_mobile=True))
    page = context.new_page()
    try:
        upload(page, server, workbook)
        page.route("**/packages/print?format=pdf", lambda route: route.abort("connectionreset"))
        link = page.locator("tr", has_text="打印版").first.get_by_role("link", name="PDF")
        link.click()
        expect(page.get_by_role("alert")).to_have_text("网络连接中断，文件未能下载。请检查网络后再试。")
        expect(link).to_have_text("PDF")
        shot(page, "busy-pdf-lost-phone.png")
    finally:
        context.close()


def test_without_fetch_the_link_is_a_plain_link(browser, server, workbook):
    """An old browser core without fetch: the link navigates and the server's Chinese page answers."""
    context = server.sign_in(browser.new_context(locale="zh-CN"))
    context.add_init_script("delete window.fetch;")
    page = context.new_page()
    try:
        upload(page, server, workbook)
        work_plan_pdf(page).click()
        expect(page.locator("h1")).to_have_text("暂时不能生成 PDF")
        assert page.locator("main .box.bad").inner_text().startswith("服务器暂时不能转换 PDF")
    finally:
        context.close()
