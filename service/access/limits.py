"""Rate limits (Flask-Limiter): sign-in, uploads, rendering and members' links, per principal (or link) and per address.

Which endpoint counts against which limit is the policy's `limit` column; the values are settings
(LIMIT_*, in Flask-Limiter's notation: "30 per minute", "100/hour;1000/day"). Each limit is shared
by every endpoint of its kind: a clerk's uploads through the page and the API count together.
Counted in Redis when REDIS_URL is set (every worker and machine together), else in each worker
process's memory; a Redis that stops answering is replaced by memory until it answers again
(Flask-Limiter's fallback), so the service keeps serving. Beyond a limit: 429 in the one error
shape (a Chinese page on the clerk pages) with Retry-After.
"""
from __future__ import annotations

import logging

from flask import Flask, g, request
from flask_limiter import Limiter
from limits import parse_many

from service.config import PREFIX, ConfigError

from .accounts import normal_login
from .policy import POLICY

# kind → (setting, key) for each of its limits
KEYS = {
    "login": (("LIMIT_LOGIN_PER_ADDRESS", "address"), ("LIMIT_LOGIN_PER_ACCOUNT", "account")),
    "upload": (("LIMIT_UPLOAD_PER_PRINCIPAL", "principal"), ("LIMIT_UPLOAD_PER_ADDRESS", "address")),
    "render": (("LIMIT_RENDER_PER_PRINCIPAL", "principal"), ("LIMIT_RENDER_PER_ADDRESS", "address")),
    "member": (("LIMIT_MEMBER_PER_INVITATION", "invitation"), ("LIMIT_MEMBER_PER_ADDRESS", "address")),
}


def _address() -> str:
    return request.remote_addr or "unknown"


def _principal() -> str:
    who = g.get("principal")
    return f"who:{who.actor}" if who is not None else f"addr:{_address()}"


def _account() -> str:
    """The account name a sign-in tries."""
    return "login:" + normal_login(request.form.get("login", ""))[:40]


def _invitation() -> str:
    """A member's link, by its token's hash (the token itself is never a key that could be listed)."""
    import hashlib

    token = (request.view_args or {}).get("token") or ""
    return "invitation:" + hashlib.sha256(str(token).encode("utf-8")).hexdigest()[:32]


KEY_FUNCS = {"address": _address, "principal": _principal, "account": _account, "invitation": _invitation}


def register(app: Flask) -> Limiter:
    """The app's limiter, and every limited endpoint of the policy wrapped in its limits; call it
    after every blueprint is registered."""
    for kind in KEYS.values():
        for setting, _ in kind:
            _check(setting, app.config[setting])
    # Flask-Limiter logs each refusal with its key (a client's address, an account name tried): the
    # access log already counts the 429s, and addresses are never logged
    logging.getLogger("flask-limiter").setLevel(logging.WARNING)
    limiter = Limiter(key_func=_address)
    limiter.init_app(app)
    app.extensions["paicha.limiter"] = limiter  # the wrapped views hold it only weakly
    if not limiter.enabled:  # RATE_LIMITS=false
        return limiter
    for endpoint, rule in POLICY.items():
        view = app.view_functions.get(endpoint)
        if rule.limit is None or view is None:
            continue
        methods = ["POST"] if rule.limit == "login" else None  # showing the sign-in form is free
        for setting, key in KEYS[rule.limit]:
            view = limiter.shared_limit(app.config[setting], scope=f"{rule.limit}-{key}", key_func=KEY_FUNCS[key],
                                        methods=methods)(view)
        app.view_functions[endpoint] = view
    return limiter


def _check(setting: str, value: str) -> None:
    try:
        if not parse_many(value):
            raise ValueError(value)
    except ValueError:
        raise ConfigError(f"设置 {PREFIX}{setting}={value!r} 无效：应如 30 per minute 或 100/hour;1000/day") from None
