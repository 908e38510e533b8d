"""Rate limits: sign-in per account name and per address, uploads and rendering per principal and per
address; 429 in the one error shape (a Chinese page on the clerk pages) with Retry-After; counted in
Redis for every worker when REDIS_URL is set (a real Redis here), in each process's memory otherwise,
and in memory again while Redis does not answer."""
from __future__ import annotations

import io
import secrets

import pytest
import redis

from service.config import ConfigError
from tests.conftest import make_app
from tests.principals import bearer, now, sign_in, token
from tests.redis_server import REDIS, answering_client
from tools.processes import free_port


def retry_after(resp) -> int:
    wait = int(resp.headers["Retry-After"])
    assert 1 <= wait <= 61
    return wait


def test_sign_in_is_limited_per_account_name_and_per_address(tmp_path, service_log):
    app = make_app(tmp_path, LIMIT_LOGIN_PER_ACCOUNT="3 per minute", LIMIT_LOGIN_PER_ADDRESS="5 per minute")
    log = service_log()
    client = app.test_client(anonymous=True)
    assert [sign_in(client, "wj017", "guess").status_code for _ in range(3)] == [200, 200, 200]
    refused = sign_in(client, "WJ017", "guess")  # the same name, however typed
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert "操作过于频繁" in html and f"请 {retry_after(refused)} 秒后再试" in html
    assert sign_in(client, "wj018", "guess").status_code == 200  # another name: its own count
    assert sign_in(client, "wj019", "guess").status_code == 429  # this address has tried 6 times (the refused too)
    assert client.get("/login").status_code == 200  # showing the form is not an attempt
    assert '"status": 429' in log.getvalue() and "127.0.0.1" not in log.getvalue()  # counted, no address logged


def test_uploads_are_limited_per_principal_and_per_address_in_the_one_shape(tmp_path, sample_data):
    app = make_app(tmp_path, LIMIT_UPLOAD_PER_PRINCIPAL="2 per minute", LIMIT_UPLOAD_PER_ADDRESS="3 per minute")
    one, two = (app.test_client(anonymous=True) for _ in range(2))
    first, second = bearer(token(app, "WJ017", name="a")), bearer(token(app, "WJ017", name="b"))
    url = "/api/v1/branches/WJ017/dataset"
    assert [one.put(url, json=sample_data, headers=first).status_code for _ in range(2)] == [201, 201]
    refused = one.put(url, json=sample_data, headers=first)
    assert refused.status_code == 429 and retry_after(refused)
    body = refused.get_json()
    assert body == {"code": "too_many_requests", "status": 429, "errors": [], "message": body["message"]}
    assert body["message"].startswith("操作过于频繁，请 ")
    assert two.put(url, json=sample_data, headers=second).status_code == 201  # another token
    assert two.put(url, json=sample_data, headers=second).status_code == 429  # the address is at 3
    page = app.test_client().post("/upload", data={"file": (io.BytesIO(b"{}"), "a.json")},
                                  content_type="multipart/form-data")
    assert page.status_code == 429 and "操作过于频繁" in page.get_data(as_text=True)  # the clerk page, in Chinese


def test_every_kind_of_rendering_counts_against_one_limit(tmp_path, sample_data):
    app = make_app(tmp_path, LIMIT_RENDER_PER_PRINCIPAL="3 per minute")
    client = app.test_client()
    answers = [client.post("/api/v1/validate", json=sample_data),
               client.post("/api/v1/documents/member_roster", json=sample_data),
               client.post("/api/v1/packages/tables", json=sample_data),
               client.post("/api/v1/workbook", json=sample_data)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert client.get("/api/v1/workbook").status_code == 200  # the blank workbook renders nothing


def test_a_limit_that_does_not_parse_stops_the_start_naming_its_variable(tmp_path):
    with pytest.raises(ConfigError, match="PAICHA_LIMIT_RENDER_PER_ADDRESS='lots'"):
        make_app(tmp_path, LIMIT_RENDER_PER_ADDRESS="lots")


@pytest.fixture
def redis_url():
    client = answering_client()
    yield REDIS
    client.close()


def test_with_redis_every_worker_counts_together(tmp_path, redis_url, sample_data):
    """Two apps are two workers: with REDIS_URL one count; without it, each its own."""
    prefix = f"paicha-test-{secrets.token_hex(4)}"
    limits = {"LIMIT_RENDER_PER_PRINCIPAL": "2 per minute", "SECRET_KEY": "s" * 40}
    shared = [make_app(tmp_path / name, REDIS_URL=redis_url, RATELIMIT_KEY_PREFIX=prefix, **limits)
              for name in ("w1", "w2")]
    alone = [make_app(tmp_path / name, **limits) for name in ("m1", "m2")]
    for apps, third in ((shared, 429), (alone, 200)):
        secret = token(apps[0], name="district-system")
        for app in apps[1:]:  # one database per app here: the same token in each
            from service.access import tokens
            from service.store import database
            from service.store.access_tables import ApiToken

            with database(app).writing() as session:
                session.add(ApiToken(name="district-system", token_hash=tokens.digest(secret), prefix=secret[:10],
                                     scope="district", branches=None, created_at=now(), expires_at=None,
                                     revoked_at=None))
        clients = [app.test_client(anonymous=True) for app in apps]
        codes = [c.post("/api/v1/validate", json=sample_data, headers=bearer(secret)).status_code
                 for c in (clients[0], clients[1], clients[0])]
        assert codes == [200, 200, third], apps is shared
    kept = redis.Redis.from_url(redis_url).keys(f"*{prefix}*")
    assert kept, "the counts are in Redis"


def test_while_redis_does_not_answer_the_service_serves_and_counts_in_memory(tmp_path, sample_data):
    app = make_app(tmp_path, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0", LIMIT_RENDER_PER_PRINCIPAL="2 per minute")
    client = app.test_client()
    codes = [client.post("/api/v1/validate", json=sample_data).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.get("/healthz").status_code == 200
