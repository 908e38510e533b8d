"""Liveness and readiness."""
from __future__ import annotations

from flask import Blueprint, current_app

from service.pdf_runtime import readiness

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    state = readiness(current_app)
    return state, (200 if state["ready"] else 503)
