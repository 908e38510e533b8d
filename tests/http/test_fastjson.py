"""Every JSON answer is encoded by orjson and reads exactly as Flask's own provider wrote it."""
from __future__ import annotations

import dataclasses
import decimal
import json
import uuid
from datetime import date, datetime, timezone

import pytest
from flask import Flask
from flask.json.provider import DefaultJSONProvider

from service.http.fastjson import FastJSONProvider


@dataclasses.dataclass
class Point:
    x: int
    label: str


def providers():
    app = Flask(__name__)
    flask_own = DefaultJSONProvider(app)
    flask_own.ensure_ascii = False  # as the app had it before
    return app, FastJSONProvider(app), flask_own


PAYLOADS = [
    {"b": 1, "a": [1, 2.5, None, True, False], "中文": "星河实验小学党支部·𠀀", "z": {"y": {}, "x": []}},
    {"as_of": datetime(2023, 7, 20, 2, 0, tzinfo=timezone.utc), "day": date(2023, 6, 20)},  # Flask's HTTP dates
    {"point": Point(3, "三"), "amount": decimal.Decimal("1.50"), "id": uuid.UUID(int=7)},
    {1: "int keys", 2: "are Flask's to encode"},
    {"big": 2 ** 70},
    [{"b": 2, "a": 1}, "text with \"quotes\" and \\ and \n"],
]


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_the_same_text_as_flasks_provider(payload):
    app, fast, flask_own = providers()
    with app.app_context():
        assert fast.response(payload).get_data() == flask_own.response(payload).get_data()
        assert fast.response(payload).mimetype == "application/json"


def test_floats_are_the_same_numbers():
    app, fast, flask_own = providers()
    payload = {"floats": [0.1, 1e16, 1e-7, 123456.789, -0.0, 3.0, 2.5e-300, 5e-5]}
    with app.app_context():
        ours, theirs = fast.response(payload).get_data(), flask_own.response(payload).get_data()
    assert json.loads(ours) == json.loads(theirs) == payload
    assert b"1e-7," in ours and b"1e-07," in theirs  # the one difference: how small numbers are spelt
    assert b"0.00005" in ours and b"5e-05" in theirs


@pytest.mark.parametrize("payload, error", [({"x": object()}, TypeError), ({"lone surrogate": "\ud800"},
                                                                         UnicodeEncodeError)])
def test_what_flask_cannot_encode_still_raises_as_it_did(payload, error):
    app, fast, flask_own = providers()
    with app.app_context():
        for provider in (fast, flask_own):
            with pytest.raises(error):
                provider.response(payload)


def test_indented_in_debug_as_flask_writes_it():
    app, fast, flask_own = providers()
    app.debug = True
    with app.app_context():
        assert fast.response({"b": 1, "a": "中"}).get_data() == flask_own.response({"b": 1, "a": "中"}).get_data()
        assert b"\n  " in fast.response({"b": 1}).get_data()


def test_the_app_answers_through_it(client):
    assert isinstance(client.application.json, FastJSONProvider)
    body = client.get("/healthz").get_data()
    assert body.endswith(b"\n")
