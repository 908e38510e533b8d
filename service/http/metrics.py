"""HTTP request metrics beside the PDF pool's at /metrics: a count by method, route and status and a
latency histogram by route.

Routes are labelled by the URL rule that matched (/result/<token>/documents/<doc_id>), never by the
raw path, so no token, code or id becomes a label; a request no rule matched counts as "unmatched".
Under gunicorn every worker counts its own requests: gunicorn_conf puts prometheus_client in its
multiprocess mode (PROMETHEUS_MULTIPROC_DIR, a fresh directory per start), and whichever worker
answers /metrics adds up the files of all of them. A single process (tests, the CLI, a development
server) uses the default registry, with the process and a local PDF pool's metrics in it.
"""
from __future__ import annotations

import time

from flask import Flask, Response, g, request
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, values
from prometheus_client import multiprocess

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"
# a page in milliseconds; a PDF package in tens of seconds (the conversion deadline is 60 s, one retry)
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)

REQUESTS = Counter("paicha_http_requests", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram("paicha_http_request_duration_seconds", "Time to build a response, by URL rule",
                    ["route"], buckets=BUCKETS)


def register(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_count)


def _start() -> None:
    g.metrics_started = time.perf_counter()


def _count(response: Response) -> Response:
    started = g.get("metrics_started")
    if started is None:
        return response
    route = request.url_rule.rule if request.url_rule is not None else UNMATCHED
    method = request.method if request.method in METHODS else "OTHER"
    REQUESTS.labels(method, route, str(response.status_code)).inc()
    LATENCY.labels(route).observe(time.perf_counter() - started)
    return response


def shared() -> bool:
    """True in a gunicorn worker: prometheus_client keeps the values in files every worker shares."""
    return bool(getattr(values.ValueClass, "_multiprocess", False))


def exposition() -> bytes:
    """This service's metrics in Prometheus' text format: all workers' together under gunicorn."""
    if not shared():
        return generate_latest(REGISTRY)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry)
