"""Liveness, readiness (with the PDF pool's and the database's state) and Prometheus metrics."""
from __future__ import annotations

from flask import Blueprint, Response, current_app

from service.http.metrics import exposition
from service.pdf.runtime import pool_metrics, readiness
from service.store import database, migrate

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    state = readiness(current_app)
    state["database"] = migrate.state(database(current_app))
    state["ready"] = state["ready"] and state["database"]["ok"]
    return state, (200 if state["ready"] else 503)


@bp.get("/metrics")
def metrics():
    from prometheus_client import CONTENT_TYPE_LATEST

    return Response(exposition() + pool_metrics(current_app), mimetype=CONTENT_TYPE_LATEST)
