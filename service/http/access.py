"""Every request's id, and its one line in the access log — which never carries a token or personal data.

The id is the incoming X-Request-ID when it is sane (a proxy's: 1–64 letters, digits and . _ : -),
else a new uuid4 hex. It goes back in the X-Request-ID header and into every log line written while
the request is answered (service.logs.REQUEST_ID). The access line (logger paicha.access) has the
method, the path, the status, duration_ms (until the response is built) and bytes. The path is the
URL rule that matched with the clerk's result token replaced by {token}, without the query string;
a token-shaped segment (of a path no rule matched) and any run of six digits or more become {masked}.
No header (Authorization included), body, query string or client address is logged.
"""
from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

from service.logs import REQUEST_ID

log = logging.getLogger("paicha.access")
HEADER = "X-Request-ID"
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
SECRET_ARGS = frozenset({"token"})  # URL parts that open a clerk's data
RULE_ARG = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
TOKEN_LIKE = re.compile(r"(?=.*[0-9A-Z])[A-Za-z0-9_-]{16,}")
DIGITS = re.compile(r"\d{6,}")
MAX_PATH = 200
MASKED = "{masked}"


def register(app: Flask) -> None:
    """First of the app's request hooks, so every other hook's log lines carry the id."""
    app.before_request_funcs.setdefault(None, []).insert(0, _begin)
    app.after_request(_finish)  # after_request hooks run last-registered first: this one sees the final response
    app.teardown_request(_end)


def request_id() -> str | None:
    """The id of the request being answered (None outside one)."""
    return REQUEST_ID.get()


def logged_path() -> str:
    """The request's path as logs may show it: rule template, secrets as placeholders, digits masked."""
    rule, args = request.url_rule, request.view_args or {}
    if rule is None:
        path = request.path
    else:
        path = RULE_ARG.sub(lambda m: "{%s}" % m[1] if m[1] in SECRET_ARGS else str(args.get(m[1], "")), rule.rule)
    return "/".join(_mask(part) for part in path[:MAX_PATH].split("/"))


def _mask(segment: str) -> str:
    if TOKEN_LIKE.fullmatch(segment):
        return MASKED
    return DIGITS.sub(MASKED, segment)


def _begin() -> None:
    incoming = request.headers.get(HEADER, "")
    g.request_id = incoming if SANE_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()
    REQUEST_ID.set(g.request_id)


def _finish(response: Response) -> Response:
    started = g.get("request_started")
    if started is None:  # a hook before ours failed; nothing of this request was seen
        return response
    response.headers[HEADER] = g.request_id
    path = logged_path()
    log.info("%s %s %s", request.method, path, response.status_code, extra={
        "method": request.method, "path": path, "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1), "bytes": response.content_length,
    })
    return response


def _end(_exc: BaseException | None) -> None:
    """gunicorn's threads are reused: the next request must not inherit this one's id."""
    REQUEST_ID.set(None)
