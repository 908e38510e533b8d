"""Signing in, out and a new password through the real forms: one-time passwords, the lock-out kept in
the database, one message for every refusal, the cookie's flags, a local `next` only, sessions that
end when the password changes or the account is disabled."""
from __future__ import annotations

from datetime import timedelta

import pytest

from service.access import accounts, passwords
from service.store import database
from service.store.access_tables import Account
from tests.conftest import make_app
from tests.principals import PASSWORD, account, csrf_of, one_time, sign_in, signed_in

FAILED = "登录未成功：账号或密码不正确，或该账号已被暂时锁定"


@pytest.fixture
def app_settings(clock):
    return {"CLOCK": clock, "LIMIT_LOGIN_PER_ACCOUNT": "100 per minute"}


def test_a_one_time_password_must_be_replaced_before_anything_else(app, sample_data):
    secret = one_time(app, "wj017")
    client = app.test_client(anonymous=True)
    resp = sign_in(client, "WJ017 ", secret, next_="/workbook")  # the name as typed: case and spaces do not matter
    assert resp.status_code == 303 and resp.headers["Location"] == "/password?next=/workbook"
    assert client.get("/").headers["Location"] == "/password?next=/"  # every page waits for the new password
    form = client.get("/password").get_data(as_text=True)
    assert "您使用的是一次性密码" in form and "原密码" not in form
    refused = client.post("/api/v1/validate", json=sample_data, headers={"X-CSRFToken": csrf_of(form)})
    assert refused.status_code == 403 and "修改一次性密码" in refused.get_json()["message"]
    bad = client.post("/password", data={"new_password": "wj017abc", "repeat_password": "wj017abcd",
                                         "csrf_token": csrf_of(form), "next": "/workbook"})
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "两次输入的新密码不一致" in text and "至少 10 个字符" in text and "不能包含账号名" in text
    done = client.post("/password", data={"new_password": "红旗小学-2023-排查", "repeat_password": "红旗小学-2023-排查",
                                          "csrf_token": csrf_of(form), "next": "/workbook"})
    assert done.status_code == 303 and done.headers["Location"] == "/workbook"
    assert client.get("/workbook").status_code == 200  # this session goes on
    again = app.test_client(anonymous=True)
    assert sign_in(again, "wj017", secret).status_code == 200  # the one-time password is spent
    assert sign_in(again, "wj017", "红旗小学-2023-排查").headers["Location"] == "/"


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes_with_one_message_for_every_refusal(app, clock):
    account(app, "wj017", "clerk", "WJ017")
    account(app, "gone", "clerk", "WJ018")
    with database(app).writing() as session:
        accounts.set_disabled(accounts.by_login(session, "gone"), True)
    client = app.test_client(anonymous=True)
    answers = [sign_in(client, "wj017", "wrong password") for _ in range(5)]
    locked = sign_in(client, "wj017", PASSWORD)  # right, but too late
    unknown = sign_in(client, "nobody", PASSWORD)
    disabled = sign_in(client, "gone", PASSWORD)
    for resp in answers + [locked, unknown, disabled]:
        assert resp.status_code == 200 and FAILED in resp.get_data(as_text=True)
    pages = {strip(r.get_data(as_text=True)) for r in (answers[-1], locked, unknown, disabled)}
    assert len(pages) == 1  # the same page: nobody learns which accounts exist, or which are locked
    with database(app).reading() as session:
        row = session.query(Account).filter_by(login="wj017").one()
        assert row.locked_until == clock.now + timedelta(minutes=15)
    clock.now += timedelta(minutes=15, seconds=1)
    assert sign_in(client, "wj017", PASSWORD).status_code == 303


def strip(html: str) -> str:
    import re

    html = re.sub(r'name="csrf_token" value="[^"]+"', "", html)
    return re.sub(r'id="login" name="login"[^>]*>', "", html)  # the name typed is shown back


def test_the_session_cookie_is_httponly_samesite_lax_and_secure_when_asked(tmp_path):
    for secure in (False, True):
        app = make_app(tmp_path / str(secure), SESSION_COOKIE_SECURE=secure)
        account(app, "zhang", "district")
        client = app.test_client(anonymous=True)
        resp = sign_in(client, "zhang")
        (cookie,) = [h for h in resp.headers.getlist("Set-Cookie") if h.startswith("paicha_session=")]
        flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
        assert {"httponly", "path", "expires"} <= flags and "samesite=lax" in cookie.lower()
        assert ("secure" in flags) is secure


def test_next_goes_back_only_to_a_path_of_this_site(app):
    account(app, "zhang", "district")
    for target, landing in (("/result/abc?format=pdf", "/result/abc?format=pdf"), ("//evil.example/x", "/"),
                            ("https://evil.example/", "/"), ("/\\evil.example", "/"), ("javascript:alert(1)", "/")):
        client = app.test_client(anonymous=True)
        assert sign_in(client, "zhang", next_=target).headers["Location"] == landing, target


def test_a_new_password_or_disabling_ends_the_other_sessions(app):
    account(app, "zhang", "district")
    first, second = signed_in(app, "zhang"), signed_in(app, "zhang")
    assert first.get("/").status_code == 200 and second.get("/").status_code == 200
    form = first.get("/password").get_data(as_text=True)
    assert "原密码" in form  # a password of one's own: the current one is asked for
    resp = first.post("/password", data={"current_password": PASSWORD, "new_password": "区委-新的密码-2023",
                                         "repeat_password": "区委-新的密码-2023", "csrf_token": csrf_of(form)})
    assert resp.status_code == 303
    assert first.get("/").status_code == 200  # the one that changed it goes on
    assert second.get("/").status_code == 302  # the other is signed out
    with database(app).writing() as session:
        accounts.set_disabled(accounts.by_login(session, "zhang"), True)
    assert first.get("/").status_code == 302


def test_signing_out_needs_the_form_and_ends_the_session(app):
    account(app, "zhang", "district")
    client = signed_in(app, "zhang")
    page = client.get("/").get_data(as_text=True)
    assert "退出" in page and "zhang（区委教育工委）" in page
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400  # no CSRF token: another site cannot sign anyone out
    resp = client.post("/logout", data={"csrf_token": csrf_of(page)})
    assert resp.status_code == 303 and resp.headers["Location"] == "/login?out=1"
    assert "您已退出登录" in client.get("/login?out=1").get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_the_sign_in_form_needs_its_csrf_token(app):
    account(app, "zhang", "district")
    client = app.test_client(anonymous=True)
    resp = client.post("/login", data={"login": "zhang", "password": PASSWORD})
    assert resp.status_code == 400 and "页面已过期" in resp.get_data(as_text=True)


def test_the_session_key_is_made_once_kept_private_and_shared_by_every_app_on_the_instance(tmp_path):
    first = make_app(tmp_path)
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600 and len(key_file.read_text()) == 64
    second = make_app(tmp_path)
    assert first.secret_key == second.secret_key == key_file.read_text()
    account(first, "zhang", "district")
    cookie = signed_in(first, "zhang").get_cookie("paicha_session").value
    other = second.test_client(anonymous=True)
    other.set_cookie("paicha_session", cookie)
    assert other.get("/").status_code == 200  # another worker, or the same after a restart
    assert make_app(tmp_path / "b", SECRET_KEY="k" * 40).secret_key == "k" * 40


def test_password_rules():
    assert passwords.problems("短", "wj017")[0] == "新密码至少 10 个字符"
    assert "新密码不能包含账号名" in passwords.problems("xx-WJ017-xx-yy", "wj017")
    assert "新密码过于简单：至少要有 4 个不同的字符" in passwords.problems("aaaaaaaaaaaa", "wj017")
    assert passwords.problems("星河小学-2023-排查", "wj017") == []
    old = passwords.hash_password("星河小学-2023-排查")
    assert passwords.problems("星河小学-2023-排查", "wj017", old) == ["新密码不能与原密码相同"]
    assert passwords.verify(old, "星河小学-2023-排查") and not passwords.verify(old, "星河小学-2023-排查 ")
    assert old.startswith("$argon2id$")
    otp = passwords.one_time()
    assert len(otp) == 14 and otp.count("-") == 2 and not set(otp) & set("0O1lI")
