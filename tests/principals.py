"""Who the tests are: tokens and accounts made straight in an app's database, and clients that use them.

Every test client carries a district token unless it says otherwise (DistrictClient, installed by
tests/conftest.py), so the suite's older tests reach what they test; the access tests make their
own principals here and use anonymous clients (`app.test_client(anonymous=True)`) to stay strict.
"""
from __future__ import annotations

import re
import secrets
from datetime import datetime, timezone

from flask.testing import FlaskClient

from service.access import accounts, passwords, tokens
from service.store import database

PASSWORD = "党务干事-correct-horse"
KEY = "tests.district_token"


def now() -> datetime:
    """The real time, in UTC: when a token or an account is made straight in the database."""
    return datetime.now(timezone.utc)


def token(app, *codes: str, name: str | None = None, expires_days: int | None = None) -> str:
    """A new token for these branches (none: the district), its secret."""
    with database(app).writing() as session:
        return tokens.create(session, list(codes) or None, now(), name, expires_days).secret


def district_token(app) -> str:
    """The app's own district token for the default test client, made once."""
    if KEY not in app.extensions:
        app.extensions[KEY] = token(app, name=f"tests-district-{secrets.token_hex(4)}")
    return app.extensions[KEY]


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def account(app, login: str, role: str = "clerk", branch: str | None = None, password: str = PASSWORD,
            must_change: bool = False) -> str:
    """A new account with a known password (no one-time password to change unless asked); its login."""
    with database(app).writing() as session:
        accounts.create(session, login, role, branch if role == "clerk" else None, now())
        made = accounts.by_login(session, login)
        made.password_hash = passwords.hash_password(password)
        made.must_change_password = must_change
    return login


def one_time(app, login: str, branch: str | None = "WJ017", role: str = "clerk") -> str:
    """A new account as `paicha users create` makes it: its one-time password, to be replaced."""
    with database(app).writing() as session:
        return accounts.create(session, login, role, branch, now()).one_time_password


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF token field"
    return match[1]


def sign_in(client: FlaskClient, login: str, password: str = PASSWORD, next_: str | None = None):
    """Sign in through the real form (its CSRF token included); the response of the POST."""
    form = client.get("/login").get_data(as_text=True)
    data = {"login": login, "password": password, "csrf_token": csrf_of(form)}
    if next_:
        data["next"] = next_
    return client.post("/login", data=data)


def signed_in(app, login: str, password: str = PASSWORD) -> FlaskClient:
    """An anonymous client that signed in as this account (a session cookie, no token)."""
    client = app.test_client(anonymous=True)
    resp = sign_in(client, login, password)
    assert resp.status_code == 303, resp.get_data(as_text=True)[:500]
    return client


class DistrictClient(FlaskClient):
    """A test client whose requests carry the app's district token (a request's own Authorization
    header wins); `anonymous=True` makes one without."""

    def __init__(self, *args, anonymous: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not anonymous:
            self.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {district_token(self.application)}"
