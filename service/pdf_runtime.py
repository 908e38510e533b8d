"""The app's PDF converter: one LibreOffice pool per process, started on first use."""
from __future__ import annotations

import threading

from flask import Flask

_lock = threading.Lock()


def converter_for(app: Flask):
    """The pool for this app, or None when PDF is disabled or LibreOffice is missing."""
    return None


def readiness(app: Flask) -> dict:
    return {"ready": True, "pdf": {"available": False}}
