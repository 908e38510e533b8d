"""What the browser tests share: the app served on a free port, the devices clerks use, screenshots,
an upload through the page, and axe-core's verdict on a page.

The fixtures built on these live in tests/web/conftest.py; Playwright itself is imported only by the
browser test modules, after their chromium check.
"""
from __future__ import annotations

import contextlib
import copy
import io
import json
import threading
from pathlib import Path

import openpyxl
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SAMPLE = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "demo-branch.json").read_text("utf-8"))

ANDROID = ("Mozilla/5.0 (Linux; Android 13; V2171A) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/116.0.0.0 Mobile Safari/537.36")
WECHAT = ("Mozilla/5.0 (Linux; Android 13; V2171A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 "
          "MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64")
PHONE = {"viewport": {"width": 375, "height": 667}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DEVICES = {  # name → Playwright context options
    "phone": {**PHONE, "user_agent": ANDROID},
    "wechat": {**PHONE, "user_agent": WECHAT},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
# axe-core's WCAG 2.0/2.1 A and AA rules, and its best practices (one main landmark, all content in landmarks)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


CLERK = "wj017"  # the sample branch's clerk, whom the browser tests sign in as


class Served(str):
    """The base URL of an app served for a browser, and a way to sign a browser context in there."""

    def __new__(cls, base: str, app):
        served = super().__new__(cls, base)
        served.app = app
        return served

    def sign_in(self, context, login: str = CLERK):
        """The context gets the session cookie of this account, signed in through the real /login form
        (with Flask's test client on the same app), as if the clerk had typed it in that browser."""
        from tests.principals import signed_in

        cookies = self.__dict__.setdefault("cookies", {})
        if login not in cookies:  # once per server: sign-ins are rate-limited per account, as they should be
            cookies[login] = signed_in(self.app, login).get_cookie(self.app.config["SESSION_COOKIE_NAME"]).value
        context.add_cookies([{"name": self.app.config["SESSION_COOKIE_NAME"], "value": cookies[login],
                              "url": str(self)}])
        return context


@contextlib.contextmanager
def serve(app):
    """The app on 127.0.0.1 and a free port, in a thread, for as long as the block runs; the sample
    branch's clerk has an account there (Served.sign_in)."""
    from tests.principals import account

    account(app, CLERK, "clerk", "WJ017")
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{srv.server_port}", app)
    finally:
        srv.shutdown()
        thread.join(5)


def shot(page, name: str) -> None:
    """A full-page screenshot under test-artifacts/ for a human look."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def with_errors(data: dict) -> bytes:
    """The sample branch's workbook with three wrong cells (E6, I8 on 党员名册, F4 on 转出待回执)."""
    from service.intake.workbook import filled_workbook

    wb = openpyxl.load_workbook(io.BytesIO(filled_workbook(data)))
    wb["党员名册"]["E6"].value = "320412197911230265"
    wb["党员名册"]["I8"].value = "2023.02.30"
    wb["转出待回执"]["F4"].value = "不知道"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def sample_workbook() -> bytes:
    from service.intake.workbook import filled_workbook

    return filled_workbook(copy.deepcopy(SAMPLE))


def upload(page, base: str, path: Path) -> None:
    """Choose the file on the upload page and send it, as a clerk does."""
    page.goto(base + "/")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_load_state()


def send_passing(page, path: Path) -> None:
    """Send a valid workbook from the page open on the upload form, and land on its passing result."""
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_url("**/result/**")
    assert "数据检查通过" in page.locator(".box").first.inner_text()


# Everything a thumb must hit on a phone: buttons, the file chooser, the links of the result page's first line
TARGETS = "main .button, main button, main input:not([type=hidden]), main .meta a, header a, header button"


def overflow(page) -> dict:
    """How far the page, and anything on it, reaches past the right edge of the screen."""
    return page.evaluate("""() => {
        const width = window.innerWidth;
        const past = [];
        for (const el of document.querySelectorAll('body *')) {
            const box = el.getBoundingClientRect();
            if (box.width > 1 && box.height > 1 && box.right > width + 0.5)
                past.push(el.tagName + '.' + el.className + ' → ' + Math.round(box.right));
        }
        return {inner: width, scroll: document.scrollingElement.scrollWidth, past: past};
    }""")


def small_targets(page) -> list[str]:
    """Targets a thumb can miss: less than 44 × 44 CSS px."""
    return page.evaluate("""(selector) => Array.from(document.querySelectorAll(selector))
        .map(el => [el, el.getBoundingClientRect()])
        .filter(([el, box]) => box.height < 44 || box.width < 44)
        .map(([el, box]) => el.outerHTML.slice(0, 80) + ` ${Math.round(box.width)}×${Math.round(box.height)}`)""",
                         TARGETS)


def axe_report(page) -> tuple[int, str]:
    """axe-core's violations on the page as it is now: (count, readable report)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                       "resultTypes": ["violations"]})
    return results.violations_count, results.generate_report()
