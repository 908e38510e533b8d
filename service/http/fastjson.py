"""Every JSON answer encoded by orjson: Flask's own encoder (the standard library's json, keys sorted)
spent ~80 ms on the 4.8 MB branch list of a province's 3,000 branches; orjson writes the same JSON
in ~10 ms.

Byte for byte the answer Flask's provider writes as configured here (ensure_ascii off, keys sorted,
compact, a newline at the end), but for some floats spelt another way (1e-7 for 1e-07, 0.00005 for
5e-05: the same numbers). Dates, datetimes and dataclasses still go through Flask's default() (HTTP
dates, asdict), and whatever orjson refuses — keys that are not strings, integers beyond 64 bits,
text that is not valid Unicode, an object neither knows — is handed to Flask's provider, which
encodes it or raises as it always did. Only answers: dumps() (the templates' tojson, with its
spaces) and reading JSON (its error messages for a malformed body are what the API's 400 says)
stay Flask's.
"""
from __future__ import annotations

import typing as t

import orjson
from flask import Flask, Response
from flask.json.provider import DefaultJSONProvider

OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


class FastJSONProvider(DefaultJSONProvider):
    ensure_ascii = False

    def response(self, *args: t.Any, **kwargs: t.Any) -> Response:
        if (self.compact is None and self._app.debug) or self.compact is False or self.ensure_ascii or not self.sort_keys:
            return super().response(*args, **kwargs)  # indented for people, or settings orjson does not have
        obj = self._prepare_response_obj(args, kwargs)
        try:
            body = orjson.dumps(obj, default=self.default, option=OPTIONS | orjson.OPT_APPEND_NEWLINE)
        except TypeError:
            return super().response(*args, **kwargs)
        return self._app.response_class(body, mimetype=self.mimetype)


def register(app: Flask) -> None:
    app.json = FastJSONProvider(app)
