"""The vendored Apache ECharts draws a chart in a real chromium under the service's own CSP: no inline
script, no eval. The page and its chart script are the test's; ECharts itself comes from the app's
static route, and the page carries exactly the security headers the app puts on its own answers."""
from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from service import create_app
from service.http.security import CSP

from .browsing import ARGS, CHROMIUM, shot

pytestmark = pytest.mark.browser
ECHARTS = "/static/web/vendor/echarts/echarts.min.js"
VENDOR = Path(__file__).resolve().parents[2] / "service" / "web" / "static" / "vendor"
PAGE = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>图表</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="/check/chart.css">
<script src="{ECHARTS}"></script><script src="/check/chart.js" defer></script></head>
<body><main><div id="chart"></div></main></body></html>"""
STYLE = "#chart { width: 600px; height: 360px; }"  # a style attribute would be refused (style-src 'self')
# one bar chart, drawn from an external file; `finished` says ECharts has painted it
CHART = """const chart = echarts.init(document.getElementById('chart'));
chart.on('finished', () => { window.__drawn = true; });
chart.setOption({animation: false, title: {text: '三查三核发现'}, tooltip: {renderMode: 'richText'},
  xAxis: {type: 'category', data: ['党费', '关系', '档案']}, yAxis: {type: 'value'},
  series: [{type: 'bar', data: [5, 3, 1]}]});
// eval from the page's own code (DevTools' evaluate is exempt from the policy), on a click only
document.addEventListener('click', () => {
  try { window.__eval = String(eval('1 + 1')); } catch (e) { window.__eval = e.name; } });"""
INKED = """() => [...document.querySelectorAll('#chart canvas')].reduce((sum, c) => {
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < px.length; i += 4) if (px[i] > 0) sum++;
    return sum; }, 0)"""
WATCH = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
    [e.effectiveDirective, e.blockedURI, e.sourceFile, e.lineNumber].join(' ')));"""

if not Path(CHROMIUM).exists() and not os.environ.get("CI"):  # CI installs chromium and never skips
    pytest.skip("Debian chromium not installed (apt-get install chromium)", allow_module_level=True)
from playwright import sync_api  # noqa: E402  (a test dependency: a missing one must fail, not skip)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The app, with the test's page and script in front of it, answered with the app's own headers."""
    app = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path_factory.mktemp("instance")), "PDF_ENABLED": False})
    answer = app.test_client().get("/healthz")
    headers = {name: answer.headers[name] for name in
               ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options")}
    pages = {"/check/": (PAGE, "text/html"), "/check/chart.js": (CHART, "text/javascript"),
             "/check/chart.css": (STYLE, "text/css")}

    @Request.application
    def check_pages(request):
        body, mimetype = pages[request.path]
        return Response(body, mimetype=mimetype, headers=headers)

    def front(environ, start_response):
        target = check_pages if environ.get("PATH_INFO") in pages else app
        return target(environ, start_response)

    srv = make_server("127.0.0.1", 0, front, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}", headers
    srv.shutdown()
    thread.join(5)


@pytest.fixture
def page():
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        with contextlib.closing(browser):
            context = browser.new_context(locale="zh-CN", viewport={"width": 800, "height": 500})
            context.add_init_script(WATCH)
            page = context.new_page()
            page.problems = []
            page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: page.problems.append(str(e)))
            yield page


def test_the_page_carries_the_services_policy_unchanged(served):
    _, headers = served
    assert headers["Content-Security-Policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe" not in CSP  # no inline script, no eval


def test_echarts_draws_a_bar_chart_under_the_policy(served, page):
    base, _ = served
    answer = page.goto(base + "/check/")
    assert answer.headers["content-security-policy"] == CSP
    page.wait_for_function("window.__drawn === true", timeout=15000)
    assert page.locator("#chart canvas").count() >= 1
    drawn = page.evaluate(INKED)
    assert drawn > 1000, "the canvas is there but nothing was painted on it"
    # over the first bar: the tooltip is drawn on the canvas (richText); ECharts' HTML tooltip would set
    # style attributes, which the policy refuses (style-src 'self'), so the charts must not use it
    page.mouse.move(170, 200)
    page.wait_for_function(f"({INKED})() > {drawn}")
    shot(page, "echarts-under-csp.png")
    assert page.evaluate("window.__violations") == []
    assert page.problems == []
    assert page.evaluate("echarts.version") == "6.1.0"


def test_eval_and_inline_script_are_refused_on_that_page(served, page):
    """What makes the test above mean something: this page would refuse eval and inline script, so
    ECharts drew its chart using neither."""
    base, _ = served
    page.goto(base + "/check/")
    page.wait_for_function("window.__drawn === true", timeout=15000)
    page.mouse.click(5, 5)
    page.wait_for_function("window.__eval !== undefined")
    assert page.evaluate("window.__eval") == "EvalError"
    ran = page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__ran = true'; document.head.appendChild(s); return window.__ran === true; }""")
    assert ran is False
    page.wait_for_function("window.__violations.length >= 2")
    directives = {v.split()[0] for v in page.evaluate("window.__violations")}
    assert directives and directives <= {"script-src", "script-src-elem"}, directives


def test_the_vendored_file_is_the_one_the_readme_names(served):
    """The file served is the upstream one the README names (version and sha256), its licence beside it."""
    import hashlib
    import urllib.request

    base, _ = served
    with urllib.request.urlopen(base + ECHARTS, timeout=30) as answer:
        served_bytes = answer.read()
    digest = hashlib.sha256(served_bytes).hexdigest()
    readme = (VENDOR / "README").read_text("utf-8")
    assert digest in readme and "6.1.0" in readme
    assert "Apache License" in (VENDOR / "echarts" / "LICENSE").read_text("utf-8")
    assert "Apache ECharts" in (VENDOR / "echarts" / "NOTICE").read_text("utf-8")
