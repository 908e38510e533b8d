"""The app's PDF converter: the machine's pool server when one is set, else a pool of its own.

Under gunicorn the master runs the machine's pool server and every worker talks to it
(PDF_POOL_URL); the CLI and the tests run a pool in their own process, started on first use.
"""
from __future__ import annotations

import threading

from flask import Flask

from service.errors import ConversionUnavailable
from service.pdf.client import PoolClient
from service.pdf.pool import ConversionPool, PoolConfig

_lock = threading.Lock()
KEY = "paicha.pdf_pool"


def converter_for(app: Flask) -> ConversionPool | PoolClient | None:
    """The converter for this app (a local pool starts on first use), or None when PDF is off.

    A pool without LibreOffice is still returned: its convert() raises the 503 that says what
    to install.
    """
    if not app.config["PDF_ENABLED"]:
        return None
    with _lock:
        converter = app.extensions.get(KEY)
        if converter is None:
            converter = _make(app.config)
            app.extensions[KEY] = converter
        if isinstance(converter, ConversionPool):
            converter.start()
        return converter


def pdf_with_room(app: Flask) -> ConversionPool | PoolClient | None:
    """converter_for(app), after asking the pool whether it can take a conversion now: a request the
    full pool would refuse is refused (503 busy, Retry-After) before its body is read or rendered."""
    converter = converter_for(app)
    check_room = getattr(converter, "check_room", None)  # any converter of the render seam may stand here
    if check_room is not None:
        check_room()
    return converter


def open_converter(cfg) -> ConversionPool | PoolClient | None:
    """A converter from settings alone, for processes without an app (the CLI): the machine's pool
    server when PDF_POOL_URL is set, else a pool of this process (started on first convert)."""
    return _make(cfg) if cfg["PDF_ENABLED"] else None


def _make(cfg) -> ConversionPool | PoolClient:
    if cfg["PDF_POOL_URL"]:
        return PoolClient(cfg["PDF_POOL_URL"], cfg["PDF_DEADLINE"], cfg["PDF_QUEUE_TIMEOUT"])
    return ConversionPool(PoolConfig.from_settings(cfg))


def readiness(app: Flask) -> dict:
    """Ready when the app can answer; PDF state reported alongside (degraded, not down, without it)."""
    if not app.config["PDF_ENABLED"]:
        return {"ready": True, "pdf": {"enabled": False}}
    if app.config["PDF_POOL_URL"]:
        client = converter_for(app)
        try:
            status = client.status()
        except ConversionUnavailable as err:
            return {"ready": False, "pdf": {"enabled": True, "server": client.url, "available": False,
                                            "ready": False, "hint": err.message}}
        status.update(enabled=True, started=status.get("running", False), server=client.url)
        return {"ready": status["ready"] or not status["available"], "pdf": status}
    pool = app.extensions.get(KEY)
    if pool is None:
        probe = ConversionPool(PoolConfig.from_settings(app.config))
        return {"ready": True, "pdf": {"enabled": True, "started": False, "available": probe.available(),
                                       "fonts_ok": probe.fonts()["ok"]}}
    status = pool.status()
    status.update(enabled=True, started=True)
    ready = status["ready"] or not status["available"]
    return {"ready": ready, "pdf": status}


def pool_metrics(app: Flask) -> bytes:
    """The pool server's metrics text, to append to this process's own (empty for a local pool)."""
    converter = app.extensions.get(KEY)
    return converter.metrics() if isinstance(converter, PoolClient) else b""
