"""`paicha users` and `paicha tokens` on the service's own database: what they print, and that what
they make works (and stops working) in the running app."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from service.cli import main
from service.store import database
from service.store.access_tables import AuditEvent
from tests.principals import sign_in


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """The commands and the app on one embedded database (INSTANCE_DIR), as `make run` has them."""
    for name in ("DATABASE_URL", "PAICHA_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PAICHA_INSTANCE_DIR", str(tmp_path / "instance"))
    return tmp_path / "instance"


@pytest.fixture
def app(instance):
    """create_app itself, not make_app (which names the database file): the app must find its database
    from INSTANCE_DIR alone, as the commands do, or this module would not show that they share it."""
    from service import create_app

    return create_app({"TESTING": True, "INSTANCE_DIR": str(instance), "PDF_ENABLED": False})


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result


def test_ensure_admin_makes_the_first_district_account_once(app):
    first = run("users", "ensure-admin")
    assert first.exit_code == 0 and "已新建区级账号 admin" in first.output
    secret = first.output.strip().splitlines()[-1]
    assert run("users", "ensure-admin").output == ""  # there is one: nothing made, nothing printed
    client = app.test_client(anonymous=True)
    assert sign_in(client, "admin", secret).headers["Location"] == "/password"


def test_users_create_list_disable_and_reset(app, sample_data):
    made = run("users", "create", "--role", "clerk", "--branch", "WJ017", "--name", "wj017-wang", "--display", "王老师")
    assert made.exit_code == 0 and "支部党务干事，支部 WJ017" in made.output
    secret = made.output.strip().splitlines()[-1]
    assert run("users", "create", "--role", "clerk", "--name", "x1").exit_code == 2  # a clerk needs --branch
    assert "已存在" in run("users", "create", "--role", "clerk", "--branch", "WJ017", "--name", "wj017-wang").output
    listed = run("users", "list").output
    assert "wj017-wang\t支部党务干事\tWJ017\t待改密码" in listed
    client = app.test_client(anonymous=True)
    assert sign_in(client, "wj017-wang", secret).status_code == 303
    assert run("users", "disable", "wj017-wang").exit_code == 0
    assert client.get("/password").status_code == 302  # signed out at once
    assert "已停用" in run("users", "list").output
    run("users", "enable", "wj017-wang")
    reset = run("users", "reset-password", "wj017-wang")
    new = reset.output.strip().splitlines()[-1]
    assert new != secret and sign_in(app.test_client(anonymous=True), "wj017-wang", secret).status_code == 200
    assert sign_in(app.test_client(anonymous=True), "wj017-wang", new).status_code == 303
    assert run("users", "disable", "nobody").exit_code == 2


def test_clerks_for_all_branches_makes_one_per_stored_branch_and_skips_those_that_have_one(app, sample_data):
    district = app.test_client()
    for code in ("WJ017", "WJ018"):
        assert district.put(f"/api/v1/branches/{code}/dataset",
                            json={**sample_data, "org": {**sample_data["org"], "code": code}}).status_code == 201
    out = run("users", "create", "--clerks-for-all-branches").output
    lines = out.strip().splitlines()
    assert "新建 2 个支部党务干事账号" in lines[0] and lines[1].startswith("支部编号\t账号\t一次性密码")
    rows = [line.split("\t") for line in lines[2:]]
    assert [(code, login) for code, login, _ in rows] == [("WJ017", "wj017"), ("WJ018", "wj018")]
    assert sign_in(app.test_client(anonymous=True), "wj018", rows[1][2]).status_code == 303
    again = run("users", "create", "--clerks-for-all-branches").output
    assert "新建 0 个" in again and "2 个支部已有账号" in again


def test_a_token_is_printed_once_alone_works_within_its_branches_and_stops_when_revoked(app, sample_data):
    made = run("tokens", "create", "--branch", "WJ017", "--branch", "WJ018,WJ019", "--expires-days", "30",
               "--name", "学校系统")
    assert made.exit_code == 0
    (secret,) = made.stdout.split()  # stdout holds the token alone: TOKEN=$(paicha tokens create …)
    assert secret.startswith("pch_") and len(secret) > 40 and "只显示这一次" in made.stderr
    client = app.test_client(anonymous=True)
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.put("/api/v1/branches/WJ019/dataset", headers=headers,
                      json={**sample_data, "org": {**sample_data["org"], "code": "WJ019"}}).status_code == 201
    assert client.get("/api/v1/branches/WJ020", headers=headers).status_code == 404
    assert client.get("/api/v1/branches", headers=headers).status_code == 403
    listed = run("tokens", "list").output
    assert "学校系统\t" + secret[:10] + "…\tWJ017、WJ018、WJ019" in listed and "有效" in listed
    assert secret not in listed
    assert run("tokens", "revoke", "学校系统").exit_code == 0
    assert client.get("/api/v1/branches/WJ019", headers=headers).status_code == 401
    assert "已吊销" in run("tokens", "list").output
    assert run("tokens", "create", "--district", "--branch", "WJ017").exit_code == 2
    assert run("tokens", "create").exit_code == 2
    assert run("tokens", "revoke", "nobody").exit_code == 2
    with database(app).reading() as session:
        done = [row.detail for row in session.query(AuditEvent).filter_by(actor="命令行").order_by(AuditEvent.id)]
    assert done == ["新建令牌 学校系统（支部 WJ017、WJ018、WJ019）", "吊销令牌 学校系统"]
