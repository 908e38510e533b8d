"""The request id and the access log: JSON lines as the service writes them, the id in each line of
its request, and paths that never carry a token, a query string or a long number."""
from __future__ import annotations

import json
import logging
import uuid

import pytest

from service import logs
from tests.conftest import make_app
from tests.http.routes import upload

FIELDS = {"time", "level", "logger", "message", "request_id", "process"}
ACCESS = FIELDS | {"method", "path", "status", "duration_ms", "bytes"}


def lines(buffer) -> list[dict]:
    """Every line the service wrote, each one a JSON object (json.loads fails the test otherwise)."""
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def access_lines(buffer) -> list[dict]:
    return [line for line in lines(buffer) if line["logger"] == "paicha.access"]


def test_an_id_is_made_for_each_request_and_a_sane_incoming_one_is_kept(app):
    client = app.test_client()
    made = {client.get("/healthz").headers["X-Request-ID"] for _ in range(3)}
    assert len(made) == 3 and all(uuid.UUID(hex=rid).version == 4 and len(rid) == 32 for rid in made)
    for sane in ("0f5c2b9e-1d2a-4c3b-9e8f-7a6b5c4d3e2f", "lb-7.req:42", "a" * 64):
        assert client.get("/healthz", headers={"X-Request-ID": sane}).headers["X-Request-ID"] == sane
    for insane in ("a" * 65, "id with spaces", "<script>", "x\u00e9", "a;b", ""):
        rid = client.get("/healthz", headers={"X-Request-ID": insane}).headers["X-Request-ID"]
        assert rid != insane and uuid.UUID(hex=rid).version == 4


def test_each_line_is_json_with_the_request_id_and_the_access_line_says_what_was_answered(
        app, sample_data, service_log):
    log = service_log()
    client = app.test_client()
    resp = client.post("/api/v1/documents/work_plan?format=pdf", json=sample_data,
                       headers={"X-Request-ID": "trace-0001"})  # PDF is off here: a 503 and a warning
    assert resp.status_code == 503
    ok = client.get("/healthz")
    written = lines(log)
    assert all(FIELDS <= set(line) for line in written)
    mine = [line for line in written if line["request_id"] == "trace-0001"]
    assert [(m["logger"], m["level"]) for m in mine] == [("service.http.errors", "WARNING"), ("paicha.access", "INFO")]
    access = mine[-1]
    assert set(access) == ACCESS
    assert (access["method"], access["path"], access["status"]) == ("POST", "/api/v1/documents/work_plan", 503)
    assert access["bytes"] == len(resp.data) and access["duration_ms"] >= 0
    last = written[-1]
    assert (last["request_id"], last["path"], last["bytes"]) == (ok.headers["X-Request-ID"], "/healthz", len(ok.data))
    assert all(line["request_id"] is not None for line in written)  # nothing was logged outside a request


def test_the_result_token_query_string_and_headers_never_reach_the_log(app, sample_data, service_log):
    client = app.test_client()
    token = upload(client, sample_data)
    log = service_log()
    secret_headers = {"Authorization": "Bearer s3cr3t-api-token", "Cookie": "session=c00kie-value"}
    client.get(f"/result/{token}", headers=secret_headers)
    client.get(f"/result/{token}/documents/member_roster?format=xlsx&note=13900087109", headers=secret_headers)
    client.get(f"/result/{token}/no-such-page")  # no rule matched: the token-shaped part is masked all the same
    client.post("/api/v1/documents/320412197204180239", json=sample_data)  # a number where an id belongs
    text = log.getvalue()
    for secret in (token, "s3cr3t", "c00kie", "13900087109", "320412197204180239", "format=", "note"):
        assert secret not in text, secret
    assert [line["path"] for line in access_lines(log)] == [
        "/result/{token}", "/result/{token}/documents/member_roster", "/result/{masked}/no-such-page",
        "/api/v1/documents/{masked}"]


def test_an_id_number_or_phone_that_reaches_a_line_anyway_is_masked(app, service_log):
    log = service_log()
    logging.getLogger("somewhere").warning("tried 320412197204180239, 32041219720418023X, 13900087109, "
                                           "0519-86310611 and 320412720418023\nthen 13900095028")
    text = log.getvalue()
    (line,) = lines(log)
    assert line["message"].count(logs.MASK) == 6
    for number in ("320412197204180239", "32041219720418023X", "13900087109", "86310611", "320412720418023",
                   "13900095028"):
        assert number not in text


def test_log_format_text_is_one_plain_line_per_record_with_the_request_id(tmp_path, service_log):
    app = make_app(tmp_path, LOG_FORMAT="text")
    log = service_log()
    rid = app.test_client().get("/healthz").headers["X-Request-ID"]
    (line,) = log.getvalue().splitlines()
    assert f"INFO paicha.access [{rid}] GET /healthz 200" in line and not line.startswith("{")


def test_a_bad_log_format_stops_the_app(tmp_path):
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        make_app(tmp_path, LOG_FORMAT="xml")


def test_gunicorn_logs_in_the_same_format_and_writes_no_access_log_of_its_own():
    config = logs.gunicorn_dict("INFO", "json")
    assert config["root"]["handlers"] == ["service"] and config["handlers"]["service"]["()"] is logs.LogHandler
    assert config["loggers"]["gunicorn.error"] == {"level": "INFO", "handlers": [], "propagate": True}
    access = config["loggers"]["gunicorn.access"]
    assert access["handlers"] == [] and not access["propagate"]
