"""The Content-Security-Policy in a real browser: Swagger UI and the clerk's pages work under it, and
nothing on them is refused — while an inline script someone slips in is."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from service.intake.workbook import filled_workbook
from tests.principals import PASSWORD, token

from .browsing import CHROMIUM, send_passing

pytestmark = pytest.mark.browser
# every violation the page reports, with what was refused (the listener is the browser's own event)
WATCH = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
    [e.effectiveDirective, e.blockedURI, e.sourceFile, e.lineNumber].join(' ')));"""

if not Path(CHROMIUM).exists() and not os.environ.get("CI"):  # CI installs chromium and never skips
    pytest.skip("Debian chromium not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture
def page(browser):
    """A page of a browser context of its own (nobody signed in) that notes what the policy refused."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1200, "height": 900})
    context.add_init_script(WATCH)  # on every document the page opens
    page = context.new_page()
    page.console_messages = []
    page.on("console", lambda m: page.console_messages.append(m.text))
    yield page
    context.close()


def refused(page) -> list[str]:
    """Violations the page reported, and any console line about the policy."""
    return page.evaluate("window.__violations") + [m for m in page.console_messages if "Content Security Policy" in m]


def test_swagger_ui_renders_every_operation_and_tries_one_under_the_policy(server, page):
    page.goto(server + "/api/v1/docs")
    page.locator(".opblock").nth(5).wait_for()
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert {"/api/v1/validate", "/api/v1/documents/{doc_id}", "/api/v1/packages/{package_id}",
            "/api/v1/workbook", "/api/v1/workbook/read"} <= {s.replace("\u200b", "") for s in summaries}
    page.locator(".auth-wrapper .authorize").click()  # the bearer scheme the document declares
    page.locator(".modal-ux input").fill(token(server.app, "WJ017"))
    page.locator(".modal-ux .auth-btn-wrapper .authorize").click()
    page.locator(".modal-ux .btn-done").click()
    page.locator(".opblock-summary", has_text="/api/v1/validate").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()  # the schema's example: the sample branch
    status = page.locator(".live-responses-table .response .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert refused(page) == []


def test_the_clerk_signs_in_uploads_and_reads_the_result_under_the_policy(server, page, tmp_path, sample_data):
    page.goto(server + "/")
    page.wait_for_url("**/login?next=/")
    page.get_by_label("账号").fill("wj017")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(server + "/")
    workbook = tmp_path / "数据采集表.xlsx"
    workbook.write_bytes(filled_workbook(sample_data))
    send_passing(page, workbook)
    assert page.evaluate("getComputedStyle(document.querySelector('.top')).backgroundColor") == "rgb(183, 28, 28)"
    assert refused(page) == []


def test_an_inline_script_is_refused_and_reported(server, page):
    """The watch above sees what the policy refuses: the two tests before cannot pass for want of it."""
    page.goto(server + "/")
    ran = page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__ran = true'; document.head.appendChild(s); return window.__ran === true; }""")
    assert ran is False
    page.wait_for_function("window.__violations.length > 0")
    assert any(v.startswith("script-src") for v in refused(page))
