"""Every route of the URL map: the security headers, no-store on whatever is not a static file, 413
beyond the body limit in the one error shape (API) or a Chinese page (clerk pages), and no trace
to a client for an unexpected error."""
from __future__ import annotations

import json
import re

import pytest

from service.http import security
from tests.http.routes import every_route, request, upload

LIMIT = 40_000  # above the sample's workbook and JSON, so the routes' own answers are reached


@pytest.fixture
def app_settings():
    return {"MAX_CONTENT_LENGTH": LIMIT}


@pytest.fixture
def token(app, sample_data):
    return upload(app.test_client(), sample_data)


def csp(header: str) -> dict[str, list[str]]:
    directives = [d.split() for d in header.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def test_the_policy_allows_no_inline_script_no_framing_and_only_this_origin():
    policy = csp(security.CSP)
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert not any("unsafe" in source or source == "*" for sources in policy.values() for source in sources)


def test_every_route_answers_with_the_security_headers_and_personal_data_is_never_stored(app, token, sample_data):
    client = app.test_client()
    answered = {}
    for method, url, endpoint in every_route(app, token):
        resp = request(client, method, url, sample_data)
        answered[(method, url)] = resp.status_code
        assert resp.status_code < 500, (method, url, resp.data[:300])
        assert csp(resp.headers["Content-Security-Policy"]) == csp(security.CSP), url
        assert resp.headers["X-Content-Type-Options"] == "nosniff", url
        assert resp.headers["Referrer-Policy"] == "no-referrer", url
        assert resp.headers["X-Frame-Options"] == "DENY", url
        if endpoint in security.STATIC_ENDPOINTS:
            assert "no-store" not in resp.headers.get("Cache-Control", ""), url  # the same for everyone
        else:
            assert resp.headers["Cache-Control"] == "no-store", (method, url)
    # the responses that carry members' data were really made, not refused before the view
    carrying = [("POST", "/api/v1/validate"), ("POST", "/api/v1/documents/member_roster"),
                ("POST", "/api/v1/packages/tables"), ("POST", "/api/v1/workbook"), ("GET", f"/result/{token}"),
                ("GET", f"/result/{token}/original"), ("GET", f"/result/{token}/documents/member_roster"),
                ("GET", f"/result/{token}/packages/tables")]
    assert {key: answered[key] for key in carrying} == {key: 200 for key in carrying}


def test_every_route_refuses_a_body_over_the_limit_in_the_one_shape_or_a_chinese_page(app, token):
    client = app.test_client()
    body = b"0" * (LIMIT + 1)
    routes = every_route(app, token)
    assert len(routes) >= 15
    for method, url, _ in routes:
        resp = client.open(url, method=method, data=body, content_type="application/octet-stream")
        assert resp.status_code == 413, (method, url, resp.status_code)
        if url.startswith("/api/") or url in ("/healthz", "/readyz", "/metrics"):
            assert resp.mimetype == "application/json", url
            payload = resp.get_json()
            assert set(payload) == {"code", "status", "message", "errors"} and payload["code"] == "too_large"
            assert payload["status"] == 413 and "过大" in payload["message"]
        else:
            html = resp.get_data(as_text=True)
            assert resp.mimetype == "text/html" and ("过大" in html or "太大" in html), url
        assert "static" in url or resp.headers["Cache-Control"] == "no-store"


def test_an_unexpected_error_is_the_one_shape_with_the_request_id_and_its_trace_only_in_the_log(
        app, token, sample_data, monkeypatch, service_log):
    from service.api import documents
    from service.documents import render

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero in 320412197204180239")

    monkeypatch.setattr(documents.render, "render_document", broken)
    monkeypatch.setattr(render, "render_document", broken)
    log = service_log()
    client = app.test_client()
    api = client.post("/api/v1/documents/member_roster", json=sample_data)
    page = client.get(f"/result/{token}/documents/member_roster")
    for resp in (api, page):
        assert resp.status_code == 500
        text = resp.get_data(as_text=True)
        assert "Traceback" not in text and "ZeroDivision" not in text and "320412" not in text
        assert f"请求编号 {resp.headers['X-Request-ID']}" in text
    body = api.get_json()
    assert set(body) == {"code", "status", "message", "errors"} and body["code"] == "internal_error"
    assert re.search(r"[\u4e00-\u9fff]", body["message"])
    lines = [json.loads(line) for line in log.getvalue().splitlines()]
    errors = [line for line in lines if line["level"] == "ERROR"]
    assert [e["request_id"] for e in errors] == [api.headers["X-Request-ID"], page.headers["X-Request-ID"]]
    assert all("ZeroDivisionError" in e["exc_info"] for e in errors)  # the administrator has the trace
    assert "320412197204180239" not in log.getvalue() and token not in log.getvalue()
