"""The app's PDF converter: one supervised LibreOffice pool per process, started once."""
from __future__ import annotations

import threading

from flask import Flask

from service.pdf.pool import ConversionPool, PoolConfig

_lock = threading.Lock()
KEY = "paicha.pdf_pool"


def converter_for(app: Flask) -> ConversionPool | None:
    """The pool for this app (started on first use), or None when PDF is switched off.

    A pool without LibreOffice is still returned: its convert() raises the 503 that says what
    to install.
    """
    if not app.config["PDF_ENABLED"]:
        return None
    with _lock:
        pool = app.extensions.get(KEY)
        if pool is None:
            pool = ConversionPool(PoolConfig.from_settings(app.config))
            app.extensions[KEY] = pool
        pool.start()
        return pool


def readiness(app: Flask) -> dict:
    """Ready when the app can answer; PDF state reported alongside (degraded, not down, without it)."""
    pool = app.extensions.get(KEY)
    if not app.config["PDF_ENABLED"]:
        return {"ready": True, "pdf": {"enabled": False}}
    if pool is None:
        probe = ConversionPool(PoolConfig.from_settings(app.config))
        return {"ready": True, "pdf": {"enabled": True, "started": False, "available": probe.available(),
                                       "fonts_ok": probe.fonts()["ok"]}}
    status = pool.status()
    status.update(enabled=True, started=True)
    ready = status["ready"] or not status["available"]
    return {"ready": ready, "pdf": status}
