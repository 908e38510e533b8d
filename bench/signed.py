"""The benchmarks sign in as the district, as a real district client would: a token in the app's database."""
from __future__ import annotations

from datetime import datetime, timezone

from flask.testing import FlaskClient


def district_clients(app) -> None:
    """Every app.test_client() of this app carries a district token (made once, in its database)."""
    from service.access import tokens
    from service.store import database

    with database(app).writing() as session:
        secret = tokens.create(session, None, datetime.now(timezone.utc)).secret

    class District(FlaskClient):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"

    app.test_client_class = District

