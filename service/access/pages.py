"""The pages of access: sign in (/login), sign out (POST /logout), a new password (/password), and
the district's view of the audit trail (/district/audit). Thin: accounts and audit do the work."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user
from werkzeug.exceptions import NotFound

from service.clock import beijing
from service.store import database, now
from service.store.access_tables import Account

from . import accounts, audit, passwords
from .guard import principal

bp = Blueprint("access", __name__, template_folder="templates")
REASONS = {"unknown": "无此账号", "locked": "账号已锁定", "wrong": "密码错误", "disabled": "账号已停用"}


def failed_message() -> str:
    """One message for every refused sign-in: nobody learns whether an account exists."""
    config = current_app.config
    return (f"登录未成功：账号或密码不正确，或该账号已被暂时锁定（连续输错 {config['LOGIN_LOCK_FAILURES']} 次密码后锁定 "
            f"{config['LOGIN_LOCK_MINUTES']} 分钟）。忘记密码或账号被锁定，请联系区委教育工委。")


def safe_next(target) -> str:
    """A path of this site to go back to after signing in ('' for anything else)."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return ""
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and len(target) <= 2000 else ""


def _entry(actor: str, action: str, status: int, detail=None) -> audit.Entry:
    return audit.Entry(actor=actor, action=action, status=status, request_id=g.get("request_id"),
                       address=request.remote_addr, detail=detail)


@bp.route("/login", methods=["GET", "POST"])
def login():
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        if principal() is not None and not principal().must_change_password:
            return redirect(target or url_for("web.index"))
        return render_template("access/login.html", next=target, signed_out=request.args.get("out") == "1")
    name = request.form.get("login", "")
    app = current_app._get_current_object()
    with database(app).writing() as db:
        account, why = accounts.authenticate(db, name, request.form.get("password", ""), now(app),
                                             app.config["LOGIN_LOCK_FAILURES"], app.config["LOGIN_LOCK_MINUTES"])
        who = accounts.principal(account) if account is not None else None
        entry = _entry(who.actor, "login", 303) if who else \
            _entry(accounts.normal_login(name)[:40] or "—", "login_failed", 200, REASONS[why])
        audit.record(db, entry, now(app))
    if who is None:
        return render_template("access/login.html", next=target, error=failed_message(), login=name[:40])
    session.clear()  # nothing of the anonymous session (its CSRF token) carries over
    login_user(who)
    session.permanent = True  # PERMANENT_SESSION_LIFETIME (SESSION_HOURS) after the last request
    if who.must_change_password:
        return redirect(url_for("access.password", next=target or None), code=303)
    return redirect(target or url_for("web.index"), code=303)


@bp.post("/logout")
def logout():
    app = current_app._get_current_object()
    who = principal()
    if who is not None and who.kind == "account":
        with database(app).writing() as db:
            audit.record(db, _entry(who.actor, "logout", 303), now(app))
    logout_user()
    session.clear()
    return redirect(url_for("access.login", out=1), code=303)


@bp.route("/password", methods=["GET", "POST"])
def password():
    who = principal()
    if who is None or who.kind != "account":
        raise NotFound()  # a token has no password
    target = safe_next(request.values.get("next"))
    first = who.must_change_password
    if request.method == "GET":
        return render_template("access/password.html", first=first, next=target)
    new, repeat = request.form.get("new_password", ""), request.form.get("repeat_password", "")
    app = current_app._get_current_object()
    with database(app).writing() as db:
        account = db.get(Account, who.id)
        errors = []
        if not first and not passwords.verify(account.password_hash, request.form.get("current_password", "")):
            errors.append("原密码不正确")
            accounts.failed(account, now(app), app.config["LOGIN_LOCK_FAILURES"], app.config["LOGIN_LOCK_MINUTES"])
        if new != repeat:
            errors.append("两次输入的新密码不一致")
        errors += passwords.problems(new, account.login, account.password_hash if not errors else None)
        if not errors:
            accounts.change_password(account, new, now(app))
            audit.record(db, _entry(who.actor, "password", 303), now(app))
            who = accounts.principal(account)
    if errors:
        return render_template("access/password.html", first=first, next=target, errors=errors), 400
    login_user(who)  # the new epoch: this session goes on, every other one ends
    return redirect(target or url_for("web.index"), code=303)


@bp.get("/district/audit")
def audit_page():
    where, number, size = audit.parse_query(request.args)
    with database(current_app).reading() as db:
        rows, total = audit.page(db, where, number, size)
        rows = [{**audit.as_dict(row), "local": beijing(row.at).strftime("%Y-%m-%d %H:%M:%S")}
                for row in rows]
    pages = max(1, -(-total // size))
    query = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("access/audit.html", rows=rows, total=total, page=number, pages=pages, args=request.args,
                           actions=audit.ACTIONS,
                           previous=url_for("access.audit_page", **query, page=number - 1) if number > 1 else None,
                           following=url_for("access.audit_page", **query, page=number + 1) if number < pages else None)
