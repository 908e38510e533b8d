"""Settings with embedded defaults; the environment overrides them. Nothing else reads os.environ."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

DEFAULTS: dict = {
    "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,  # request body limit (413 beyond it)
    "INSTANCE_DIR": str(ROOT / "instance"),
    "UPLOAD_DIR": str(ROOT / "instance" / "uploads"),
    "UPLOAD_KEEP_DAYS": 7,
    "DATABASE_URL": f"sqlite:///{ROOT / 'instance' / 'paicha.db'}",
    "REDIS_URL": "",  # empty: batch runs in-process
    "PDF_ENABLED": True,  # start a LibreOffice pool on the first PDF request when soffice exists
    "PDF_POOL_SIZE": os.cpu_count() or 1,
    "PDF_POOL_BASE_PORT": 2103,  # XML-RPC ports base, base+1, …
    "PDF_POOL_BASE_UNO_PORT": 2203,  # soffice UNO ports
    "PDF_DEADLINE": 60.0,  # seconds one conversion may take before its instance is killed
    "PDF_RECYCLE_AFTER": 200,
    "PDF_QUEUE_LIMIT": 16,
    "PDF_POOL_EXTERNAL": "",  # "host:port,host:port" of unoservers run elsewhere
    "PDF_CACHE_BYTES": 256 * 1024 * 1024,
    # flask-smorest / OpenAPI
    "API_TITLE": "Paicha 排查文书服务",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "/docs",
    "OPENAPI_SWAGGER_UI_URL": "https://cdn.jsdelivr.net/npm/swagger-ui-dist/",
    "JSON_AS_ASCII": False,
}

_INT = {"MAX_CONTENT_LENGTH", "UPLOAD_KEEP_DAYS", "PDF_POOL_SIZE", "PDF_POOL_BASE_PORT", "PDF_POOL_BASE_UNO_PORT",
        "PDF_RECYCLE_AFTER", "PDF_QUEUE_LIMIT", "PDF_CACHE_BYTES"}
_FLOAT = {"PDF_DEADLINE"}
_BOOL = {"PDF_ENABLED"}


def load(overrides: dict | None = None) -> dict:
    """Defaults, then PAICHA_* / well-known environment variables, then explicit overrides."""
    settings = dict(DEFAULTS)
    for key in DEFAULTS:
        raw = os.environ.get(f"PAICHA_{key}", os.environ.get(key) if key in ("DATABASE_URL", "REDIS_URL") else None)
        if raw is None:
            continue
        if key in _INT:
            settings[key] = int(raw)
        elif key in _FLOAT:
            settings[key] = float(raw)
        elif key in _BOOL:
            settings[key] = raw.strip().lower() in ("1", "true", "yes", "on")
        else:
            settings[key] = raw
    settings.update(overrides or {})
    return settings
