"""A documented query parameter sent empty or malformed is refused (400, bad_query, naming it), never taken
as absent; left out, it takes its default. The district's audit page, whose form sends its empty fields,
still reads them as absent."""
from __future__ import annotations

import pytest

from service.store import database
from service.store.models import Submission


def refused(resp, *names: str) -> dict:
    body = resp.get_json()
    assert resp.status_code == 400 and body["code"] == "bad_query", body
    assert [e["path"] for e in body["errors"]] == list(names)
    assert all(name in body["message"] for name in names)  # the message names the parameter
    return body


@pytest.mark.parametrize("url", [
    "/api/v1/documents/member_roster?format=",
    "/api/v1/packages/tables?format=",
    "/api/v1/packages/print?format=",
])
def test_an_empty_format_is_not_the_default_one(client, sample_data, url):
    body = refused(client.post(url, json=sample_data), "format")
    assert body["errors"][0]["message"] == "不能为空：不需要时请省略该参数"


@pytest.mark.parametrize("url", [
    "/api/v1/branches/WJ017/packages/tables?format=",
    "/api/v1/district/outgoing_summary?format=",
    "/api/v1/district/campaign_summary?format=",
    "/api/v1/district/verification_reports?format=",
])
def test_an_empty_format_of_a_download_is_refused(client, sample_data, url):
    assert client.put("/api/v1/branches/WJ017/dataset", json=sample_data).status_code == 201
    refused(client.get(url), "format")


def test_a_format_a_document_does_not_come_in_keeps_its_own_code(client, sample_data):
    resp = client.post("/api/v1/packages/print?format=office", json=sample_data)
    assert resp.status_code == 400 and resp.get_json()["code"] == "unsupported_format"
    resp = client.post("/api/v1/packages/tables?format=zip", json=sample_data)  # once taken as office
    assert resp.status_code == 400 and resp.get_json()["code"] == "unsupported_format"


@pytest.mark.parametrize("query, names", [
    ("page=", ["page"]),
    ("page_size=", ["page_size"]),
    ("page_size=abc", ["page_size"]),
    ("page=%201", ["page"]),  # " 1": an integer is digits only
    ("page=１", ["page"]),  # a full-width digit is no ASCII integer
    ("page=0&page_size=1001", ["page", "page_size"]),
])
def test_pages_of_the_branch_list_are_whole_numbers(client, query, names):
    refused(client.get(f"/api/v1/branches?{query}"), *names)


def test_pages_of_the_branch_list_left_out_or_given(client):
    assert client.get("/api/v1/branches").status_code == 200
    resp = client.get("/api/v1/branches?page=1&page_size=5")
    assert resp.status_code == 200 and "X-Pagination" in resp.headers


@pytest.mark.parametrize("query, names", [
    ("branch=", ["branch"]),
    ("actor=", ["actor"]),
    ("action=", ["action"]),
    ("since=&until=", ["since", "until"]),
    ("since=2023-07-15T08:00", ["since"]),  # a moment without its zone is not RFC 3339
    ("since=2023-02-30", ["since"]),
    ("branch=" + "A" * 17, ["branch"]),
])
def test_the_audit_query_is_read_as_documented(client, query, names):
    refused(client.get(f"/api/v1/audit?{query}"), *names)


@pytest.mark.parametrize("query", [
    {"since": "2023-07-15"}, {"until": "2023-07-15T08:00:00+08:00"}, {"since": "2023-07-15T00:00:00.5Z"},
    {"since": "0001-01-01", "until": "9999-12-31"},  # the ends of the calendar bound nothing, and are no 500
    {"since": "0001-01-01T00:00:00+08:00", "until": "9999-12-31T23:59:59-08:00"},
])
def test_dates_and_moments_of_the_audit_query(client, query):
    resp = client.get("/api/v1/audit", query_string=query)
    assert resp.status_code == 200, resp.get_json()


def test_the_audit_page_takes_its_form_with_empty_fields(client):
    resp = client.get("/district/audit?branch=&actor=&action=&since=&until=")
    assert resp.status_code == 200 and "访问记录" in resp.get_data(as_text=True)
    resp = client.get("/district/audit?branch=+WJ017+&since=2023-07-01")  # trimmed, as typed into the form
    assert resp.status_code == 200


def test_an_empty_actor_stores_nothing(client, sample_data):
    refused(client.put("/api/v1/branches/WJ017/dataset?actor=", json=sample_data), "actor")
    refused(client.put("/api/v1/branches/WJ017/dataset?actor=" + "王" * 101, json=sample_data), "actor")
    with database(client.application).reading() as session:
        assert session.query(Submission).count() == 0
    resp = client.put("/api/v1/branches/WJ017/dataset?actor=王老师", json=sample_data)
    assert resp.status_code == 201
