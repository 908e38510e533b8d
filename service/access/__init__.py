"""Access: accounts and roles, API tokens, the one policy every request passes, the audit trail, rate limits.

Modules: principal (who is asking: plain data), passwords (argon2id, one-time passwords), accounts
and tokens (the database side of both), policy (the declarative table: endpoint → access rule,
audit action, rate limit; DEFAULT district only), guard (the Flask hooks: session or Bearer token,
CSRF, the policy, the audit row), audit (the trail: record, filter, page), limits (Flask-Limiter
on the policy's limited endpoints), secret (the session key), pages (/login, /logout, /password,
/district/audit), openapi (security and 401/403/429 in the API document), commands (`paicha users`,
`paicha tokens`). Only guard, limits and pages import Flask.
"""
from __future__ import annotations

import logging

from flask import Flask, g

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Sessions, the guard and the sign-in pages; then the rate limits on every registered endpoint:
    call it after every other blueprint is registered."""
    from . import guard, limits
    from .pages import bp
    from .secret import secret_key

    app.config["SECRET_KEY"] = secret_key(app.config.get("SECRET_KEY") or "", app.config["INSTANCE_DIR"])
    guard.register(app)
    app.register_blueprint(bp)
    app.context_processor(lambda: {"signed_in": g.get("principal")})
    limits.register(app)
