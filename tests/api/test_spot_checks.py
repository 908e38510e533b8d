"""POST /api/v1/district/spot-checks on SQLite and PostgreSQL: the same seed draws the same sample, the
seed is printed on the answer and in the checklist's header, ID numbers are masked, the draw is kept
(listable, with who drew it) and in the audit trail; refusals in the one error shape."""
from __future__ import annotations

import io
import re

import docx
import pytest

from service.store import database
from tests.conftest import assert_error_shape, post
from tests.web.district_data import VALID, fill

BODY = {"branches": 3, "members": 2, "seed": 20230710}


@pytest.fixture
def app_settings(db_url):
    return {"DATABASE_URL": db_url}


def drawn(answer: dict) -> list[tuple[str, list[str]]]:
    return [(b["code"], [m["name"] for m in b["members"]]) for b in answer["sample"]["branches"]]


def test_the_same_seed_draws_the_same_sample_and_keeps_it(client, app):
    fill(database(app))
    first = post(client, "/api/v1/district/spot-checks", BODY)
    assert first.status_code == 201, first.get_json()
    a = first.get_json()
    assert a["seed"] == BODY["seed"] and a["sample"]["seed"] == BODY["seed"]
    assert a["sample"]["candidates"] == len(VALID) and len(a["sample"]["branches"]) == 3
    assert all(len(b["members"]) == 2 for b in a["sample"]["branches"])
    for b in a["sample"]["branches"]:
        for m in b["members"]:
            assert re.fullmatch(r"\d{4}\*{10}\d{3}[\dX]", m["id_number"])  # masked, never the full number
    again = post(client, "/api/v1/district/spot-checks", BODY).get_json()
    assert drawn(again) == drawn(a) and again["id"] != a["id"]
    other = post(client, "/api/v1/district/spot-checks", {**BODY, "seed": 7}).get_json()
    assert drawn(other) != drawn(a)
    assert first.headers["Location"].endswith(a["id"])
    assert client.get(first.headers["Location"]).get_json()["sample"] == a["sample"]

    listed = client.get("/api/v1/district/spot-checks").get_json()
    assert listed["total"] == 3 and [s["id"] for s in listed["spot_checks"]] == [other["id"], again["id"], a["id"]]
    assert listed["spot_checks"][-1]["drawn_by"] == a["drawn_by"] and a["drawn_by"] != "—"

    sheet = client.get(a["checklist"])
    assert sheet.status_code == 200 and sheet.mimetype.endswith("wordprocessingml.document")
    document = docx.Document(io.BytesIO(sheet.data))
    header = " ".join(p.text for s in document.sections for p in s.header.paragraphs)
    assert f"随机种子：{BODY['seed']}" in header
    text = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells) + \
        "\n".join(p.text for p in document.paragraphs)
    for code, names in drawn(a):
        for name in names:
            assert name in text

    trail = client.get("/api/v1/audit?action=spot_check").get_json()
    assert trail["total"] == 3 and f"种子 {BODY['seed']}" in trail["items"][-1]["detail"]


def test_weighted_draws_favour_branches_with_findings(client, app):
    fill(database(app))
    answer = post(client, "/api/v1/district/spot-checks", {**BODY, "weighted": True}).get_json()
    assert answer["weighted"] is True and answer["sample"]["weighted"] is True
    assert answer == {**answer, "seed": BODY["seed"]}


@pytest.mark.parametrize("body, path", [({"branches": 0, "members": 2}, "branches"),
                                        ({"branches": 2}, "members"),
                                        ({"branches": 2, "members": 2, "seed": -1}, "seed"),
                                        ({"branches": 2, "members": 2, "weighted": "yes"}, "weighted"),
                                        ({"branches": 2, "members": 2, "weighted": 0}, "weighted"),
                                        ({"branches": "2", "members": 2}, "branches")])
def test_a_wrong_request_is_refused_where_it_is_wrong(client, app, body, path):
    body = assert_error_shape(post(client, "/api/v1/district/spot-checks", body), 422)
    assert body["code"] == "invalid_spot_check" and [e["path"] for e in body["errors"]] == [path]


def test_nothing_to_draw_before_any_valid_version(client):
    assert assert_error_shape(post(client, "/api/v1/district/spot-checks", BODY), 409)["code"] == "no_valid_version"
    assert assert_error_shape(client.get("/api/v1/district/spot-checks/0123456789abcdef"), 404)["code"] \
        == "unknown_spot_check"
