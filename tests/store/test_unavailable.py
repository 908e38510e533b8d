"""A database that does not answer in time is a 503 with Retry-After, on every path; never a hung worker.

A database held in the middle of a write (nothing half-written, the user told to send again) is in
tests/faults/test_database_down.py."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from service.store import migrate
from tests.conftest import make_app
from tests.databases import _admin, SERVER
from tools.processes import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_an_unreachable_postgresql_is_503_with_retry_after_in_chinese(tmp_path, sample_data):
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nowhere"  # nobody listens there
    app = make_app(tmp_path, DATABASE_URL=url, DATABASE_TIMEOUT=2.0)
    client = app.test_client(anonymous=True)  # its token cannot be checked either: 503 before anything else
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer pch_any"
    for resp in (client.get("/api/v1/branches"), client.put("/api/v1/branches/WJ017/dataset", json=sample_data),
                 client.get("/api/v1/verify/7F3A-92C1")):
        assert resp.status_code == 503 and resp.headers["Retry-After"] == "5"
        assert resp.get_json()["code"] == "store_unavailable" and "数据库暂时不可用" in resp.get_json()["message"]
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["database"]["ok"] is False
    page = client.post("/upload", data={"file": (io.BytesIO(json.dumps(sample_data).encode()), "a.json")},
                       content_type="multipart/form-data")
    assert page.status_code == 503 and "系统暂时繁忙" in page.get_data(as_text=True)


def paicha(*args, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    command = Path(sys.executable).with_name("paicha")  # the installed console script
    return subprocess.run([str(command), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_paicha_db_upgrades_a_new_postgresql_database_that_readyz_refused_until_then(tmp_path, postgres_url):
    from sqlalchemy.engine import make_url

    name = f"paicha_cli_{os.getpid()}"
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(SERVER).set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
    try:
        app = make_app(tmp_path, DATABASE_URL=url)  # not migrated on start: PostgreSQL is upgraded by hand
        ready = app.test_client(anonymous=True).get("/readyz").get_json()
        assert ready["ready"] is False and "paicha db upgrade" in ready["database"]["hint"]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAICHA_")} | {"DATABASE_URL": url}
        current = paicha("db", "current", env=env, cwd=ROOT)
        assert current.returncode == 6 and "空库" in current.stdout
        upgraded = paicha("db", "upgrade", env=env, cwd=ROOT)
        assert upgraded.returncode == 0 and "已升级：空库 → " + migrate.head() in upgraded.stdout, upgraded.stderr
        assert paicha("db", "upgrade", env=env, cwd=ROOT).stdout.strip().endswith("无需升级")
        assert paicha("db", "current", env=env, cwd=ROOT).returncode == 0
        assert app.test_client(anonymous=True).get("/readyz").status_code == 200
        from service.store import database

        database(app).dispose()
    finally:
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_paicha_db_on_the_embedded_default(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAICHA_") and k != "DATABASE_URL"}
    assert paicha("db", "current", env=env, cwd=tmp_path).returncode == 6
    out = paicha("db", "upgrade", env=env, cwd=tmp_path)
    assert out.returncode == 0 and f"sqlite:///{tmp_path}/instance/paicha.db" in out.stdout
    assert paicha("db", "current", env=env, cwd=tmp_path).returncode == 0
    unreachable = env | {"DATABASE_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/x", "PAICHA_DATABASE_TIMEOUT": "2"}
    out = paicha("db", "current", env=unreachable, cwd=tmp_path)
    assert out.returncode == 6 and "数据库暂时不可用" in out.stderr


@pytest.mark.parametrize("password", ["s3cret"])
def test_the_password_of_a_database_url_is_never_printed(tmp_path, password):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAICHA_")}
    env |= {"DATABASE_URL": f"postgresql://paicha:{password}@127.0.0.1:{free_port()}/x", "PAICHA_DATABASE_TIMEOUT": "2"}
    out = paicha("db", "current", env=env, cwd=tmp_path)
    assert password not in out.stdout + out.stderr
