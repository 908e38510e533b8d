"""Paicha: one branch dataset in, every document out."""
from __future__ import annotations

from flask import Flask

from . import config as settings
from . import logs


def create_app(config: dict | None = None) -> Flask:
    """The one place the app is assembled: settings, API, pages (the `paicha` CLI is service.cli)."""
    values = settings.load(config)  # ConfigError names a malformed variable
    app = Flask(__name__, instance_path=values["INSTANCE_DIR"])
    app.config.update(values)
    logs.configure(values["LOG_LEVEL"], values["LOG_FORMAT"])
    from .http import access, errors, fastjson, metrics, security

    fastjson.register(app)  # orjson, ensure_ascii off

    access.register(app)  # first: every later hook's log lines carry the request id
    metrics.register(app)
    security.register(app)

    from .store import init_app as init_store

    init_store(app)  # the embedded SQLite database is migrated here, before anything is served

    from .api import init_api

    init_api(app)
    errors.register(app)  # after the API: the one mapping replaces flask-smorest's own error handler
    try:
        from .web import bp as web
    except ImportError:  # the clerk pages land with the intake module
        web = None
    if web is not None:
        app.register_blueprint(web)
    from .access import init_app as init_access

    init_access(app)  # last: the policy's rate limits wrap every registered view
    return app
