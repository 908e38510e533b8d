"""How the service's processes log: one JSON object per line on stderr, each with its request's id.

LOG_FORMAT=json (the default) writes `{"level", "logger", "message", "request_id", "process", "time",
…}` per line (process: the gunicorn worker's pid) — the access log adds method, path, status,
duration_ms and bytes — for a log collector to parse; LOG_FORMAT=text writes the same records as
plain lines for a developer's terminal. The app (create_app), gunicorn's master and workers
(gunicorn_conf) and the PDF pool server all go through configure() or gunicorn_dict(), so every
line of a running service has one format. What is logged is chosen where it is logged: never a
request body, a token, an ID number or a phone (README); LogHandler masks any ID number or phone
that reaches a line all the same.
"""
from __future__ import annotations

import logging
import re
import sys
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

FORMATS = ("json", "text")
# The id of the request this thread is answering (service.http.access sets and clears it)
REQUEST_ID: ContextVar[str | None] = ContextVar("paicha_request_id", default=None)
TEXT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# The last guard: an ID number (18 or 15 digits), a mobile or a landline number that reached a log
# line anyway (an exception's text, a library's message) is masked before the line is written.
_ALONE = r"(?:(?<![0-9A-Za-z])|(?<=\\[nrt])){}(?![0-9A-Za-z])"  # JSON escapes a newline as backslash-n
PERSONAL = re.compile("|".join(_ALONE.format(p) for p in (
    r"\d{17}[0-9Xx]", r"\d{15}", r"1[3-9]\d{9}", r"0\d{2,3}-?\d{7,8}")))
MASK = "[已遮蔽]"


class RequestIdFilter(logging.Filter):
    """Stamps every record with the id of the request it was logged in (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = REQUEST_ID.get()
        return True


class JsonLine(JsonFormatter):
    """python-json-logger's formatter, with the time first where a reader looks for it."""

    def process_log_record(self, log_data):
        return {"time": log_data.pop("time", None), **log_data}


def formatter(fmt: str = "json") -> logging.Formatter:
    """The formatter of one LOG_FORMAT: python-json-logger's JSON lines, or plain text."""
    if fmt not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "text":
        return logging.Formatter(TEXT)
    return JsonLine(["levelname", "name", "message", "request_id", "process"], timestamp="time",
                    rename_fields={"levelname": "level", "name": "logger"}, json_ensure_ascii=False)


class LogHandler(logging.StreamHandler):
    """The service's one handler: stderr, the request id, the chosen format."""

    def __init__(self, fmt: str = "json", stream=None):
        super().__init__(stream if stream is not None else sys.stderr)
        self.addFilter(RequestIdFilter())
        self.setFormatter(formatter(fmt))

    def format(self, record: logging.LogRecord) -> str:
        return PERSONAL.sub(MASK, super().format(record))


def configure(level: str, fmt: str, stream=None) -> None:
    """Put one LogHandler on the root logger (replacing an earlier one: create_app runs many times)."""
    handler = LogHandler(fmt, stream)  # a bad LOG_FORMAT stops here, before anything is changed
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, LogHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # a development server's request lines carry raw URLs (result tokens); the app's access log replaces them
    logging.getLogger("werkzeug").setLevel(max(logging.WARNING, root.level))


def gunicorn_dict(level: str, fmt: str) -> dict:
    """gunicorn's logconfig_dict: its error log in the service's format; its access log off (the
    app writes one without tokens — gunicorn's would carry the raw URL)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"service": {"()": LogHandler, "fmt": fmt}},
        "formatters": {},
        "root": {"level": level.upper(), "handlers": ["service"]},
        "loggers": {
            "gunicorn.error": {"level": level.upper(), "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
        },
    }
