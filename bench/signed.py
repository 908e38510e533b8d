"""The benchmarks sign in as the district, as a real district client would: a token in the app's database."""
from __future__ import annotations

import subprocess
from datetime import datetime, timezone
from pathlib import Path

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


def cli_token(paicha: Path, env: dict, cwd: Path) -> str:
    """A district token made by `paicha tokens create --district` for a server about to start with env."""
    out = subprocess.run([str(paicha), "tokens", "create", "--district"], env=env, cwd=cwd, capture_output=True,
                         text=True, timeout=120, check=True)
    return out.stdout.strip()
