"""Paicha: one branch dataset in, every document out."""
from __future__ import annotations

import logging
from flask import Flask

from . import config as settings


def create_app(config: dict | None = None) -> Flask:
    """The one place the app is assembled: settings, API, pages (the `paicha` CLI is service.cli)."""
    values = settings.load(config)  # ConfigError names a malformed variable
    app = Flask(__name__, instance_path=values["INSTANCE_DIR"])
    app.config.update(values)
    app.json.ensure_ascii = False
    logging.basicConfig(level=values["LOG_LEVEL"].upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    from .store import init_app as init_store

    init_store(app)  # the embedded SQLite database is migrated here, before anything is served

    from .api import init_api

    init_api(app)
    try:
        from .web import bp as web
    except ImportError:  # the clerk pages land with the intake module
        web = None
    if web is not None:
        app.register_blueprint(web)
    return app
