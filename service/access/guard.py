"""The one check every request passes: who is asking (a session or a Bearer token), may it (the
policy), and the audit row of what it did.

A request with an Authorization header is judged by its token alone (a session cookie beside it is
ignored) and needs no CSRF token: a browser never adds that header to another site's form. Every
other request that changes something (POST, PUT, PATCH, DELETE) must carry the session's CSRF token
(Flask-WTF), the sign-in form included. No principal: the API answers 401 in the one error shape
with WWW-Authenticate: Bearer, a page redirects to /login?next=<where it was going>.
"""
from __future__ import annotations

import json
import logging
from typing import Optional

from flask import Flask, current_app, g, redirect, request, url_for
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import event, select
from werkzeug.exceptions import NotFound

from service.errors import CsrfFailed, Forbidden, NotSignedIn, StoreUnavailable
from service.store import branches, database, now
from service.store.models import Branch, Submission
from service.store.submissions import branch_code

from . import accounts, audit, tokens
from .policy import BRANCH, DATASET, DISTRICT, MEMBER, PUBLIC, SUBMISSION, rule_for
from .principal import Principal

log = logging.getLogger(__name__)
login_manager = LoginManager()
csrf = CSRFProtect()
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FIRST_PASSWORD_ENDPOINTS = frozenset({"access.password", "access.logout"})
SIGN_IN = "请先登录：网页请在 /login 登录；接口请在请求头中提供访问令牌（Authorization: Bearer <令牌>）"
BAD_TOKEN = "访问令牌无效、已过期或已被吊销：请向区委教育工委申请新的令牌"
DISTRICT_ONLY = "此功能仅限区委教育工委使用（区级账号或区级令牌）"
FIRST_PASSWORD = "请先在网页上登录并设置新密码（首次登录或密码重置后须修改一次性密码）"
# a read or a download whose row the database would not take (a submission's row commits with it)
AUDIT_NOT_WRITTEN = "数据库暂时不可用，本次操作未能记入操作记录，因此不显示结果；请稍后刷新查看，或稍后重试"
CSRF = "页面已过期，或不是从本系统的页面提交的：请刷新页面后重新提交"


def register(app: Flask) -> None:
    # templates read g.principal, so an error page never calls the database
    login_manager.init_app(app, add_context_processor=False)
    csrf.init_app(app)
    app.before_request(_guard)
    app.after_request(_audit)


# ---- who is asking -------------------------------------------------------------------------------


def presented_token() -> Optional[str]:
    """The secret of `Authorization: Bearer <token>` ('' for any other Authorization header)."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, value = header.strip().partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


@login_manager.user_loader
def _session_principal(session_id: str) -> Optional[Principal]:
    if presented_token() is not None:  # a token decides alone
        return None
    with database(current_app).reading() as session:
        return accounts.load(session, session_id)


@login_manager.request_loader
def _token_principal(_request) -> Optional[Principal]:
    secret = presented_token()
    if not secret:
        return None
    with database(current_app).reading() as session:
        return tokens.resolve(session, secret, now(current_app))


def principal() -> Optional[Principal]:
    """The principal of this request (set by the guard; None when nobody is signed in)."""
    return g.get("principal")


def actor(note: Optional[str] = None) -> Optional[str]:
    """Who submissions and reviews name: the principal, with the free text a caller added."""
    who = principal()
    label = who.actor if who is not None else None
    note = (note or "").strip()
    return f"{label}（{note}）" if label and note else label


def note(**fields) -> None:
    """What a view adds to its request's audit row: branch, version, detail."""
    g.setdefault("audit_note", {}).update({k: v for k, v in fields.items() if v is not None})


# ---- may it ----------------------------------------------------------------------------------------


def _guard():
    if request.routing_exception is not None:  # 404 and 405 as they are: nothing to protect
        return None
    rule = rule_for(request.endpoint)
    if rule.access in (PUBLIC, MEMBER):  # health and readiness answer even when the database does not
        try:
            g.principal = current_user if current_user.is_authenticated else None
        except StoreUnavailable:
            g.principal = None
        _check_csrf()
        return None
    who = current_user if current_user.is_authenticated else None
    g.principal = who
    if who is None:
        return _sign_in()
    if who.must_change_password and request.endpoint not in FIRST_PASSWORD_ENDPOINTS:
        if request.path.startswith("/api/"):
            raise Forbidden(FIRST_PASSWORD)
        return redirect(url_for("access.password", next=_here()), code=303)
    _check_csrf()
    _check(rule.access, who)
    return None


def _check(access: str, who: Principal) -> None:
    args = request.view_args or {}
    if access == DISTRICT and not who.district:
        g.denied = True
        raise Forbidden(DISTRICT_ONLY)
    if access == BRANCH and not who.sees(args.get("code")):
        g.denied = True
        raise branches.unknown(args.get("code"))  # the very answer of a branch that does not exist
    if access == SUBMISSION:
        owner = _submission(args.get("token"))
        if owner is None or not (who.sees(owner[0]) if owner[0] else who.district or owner[2] == who.actor):
            g.denied = owner is not None
            raise NotFound()  # the very answer of a token that does not exist
        note(branch=owner[0], version=owner[1])
    if access == DATASET:
        code = _posted_branch()
        note(branch=code)
        if code is not None and not who.sees(code):
            g.denied = True
            raise Forbidden(f"数据包的学校党组织编号「{code}」不是您可以报送的支部（{'、'.join(sorted(who.branches))}），"
                            "请检查 org.code")


def _submission(token) -> Optional[tuple]:
    """(branch code, version, actor) of the stored submission behind a result page's token."""
    if not isinstance(token, str) or not 16 <= len(token) <= 64:
        return None
    with database(current_app).reading() as session:
        row = session.execute(select(Branch.code, Submission.version, Submission.actor)
                              .outerjoin(Branch, Branch.id == Submission.branch_id)
                              .where(Submission.token == token)).first()
    return tuple(row) if row is not None else None


def _posted_branch() -> Optional[str]:
    """The org.code of the posted JSON body, when it can be a branch code."""
    try:
        return branch_code(json.loads(request.get_data(cache=True).decode("utf-8-sig")))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def _check_csrf() -> None:
    if request.method not in UNSAFE or presented_token() is not None or _member_api():
        return
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if request.endpoint == "web.upload_file" and limit and (request.content_length or 0) > limit:
        return  # the upload refuses it itself (413 with its form), storing nothing
    try:
        csrf.protect()
    except CSRFError:
        raise CsrfFailed(CSRF) from None


def _member_api() -> bool:
    """A member's API call carries X-Member-Check, a header no other site's form can add (as Authorization)."""
    return rule_for(request.endpoint).access == MEMBER and request.path.startswith("/api/") \
        and "X-Member-Check" in request.headers


def member(actor: str, branch: str) -> None:
    """The member behind this request's link (its audit row names them by invitation, never by ID number)."""
    g.member_actor = actor
    note(branch=branch)


def _sign_in():
    if request.path.startswith("/api/"):
        raise NotSignedIn(BAD_TOKEN if presented_token() is not None else SIGN_IN,
                          invalid_token=presented_token() is not None)
    return redirect(url_for("access.login", next=_here()), code=303 if request.method != "GET" else 302)


def _here() -> str:
    """This request's local path and query, as /login?next= takes it back."""
    query = request.query_string.decode("utf-8", "replace")
    return request.path + (f"?{query}" if query else "")


# ---- the audit row -----------------------------------------------------------------------------------


def _audit(response):
    if g.get("audited"):  # written already, in the transaction of what it records (audit_within)
        return response
    entry = _entry(response.status_code)
    if entry is None:
        return response
    try:
        with database(current_app).writing() as session:
            audit.record(session, entry, now(current_app))
    except StoreUnavailable as err:
        log.error("audit row not written for %s: %s", request.endpoint, err.message)
        if response.status_code < 400:  # nothing leaves unaccounted for
            from service.http.errors import respond

            return respond(err.code, 503, AUDIT_NOT_WRITTEN, headers={"Retry-After": str(err.retry_after)})
    return response


def audit_within(session, status: int, **fields) -> None:
    """This request's audit row, written in the caller's transaction: a stored dataset and the row
    that records it commit together or not at all, so a failing database can never keep the one
    without the other (a PUT told 503 whose version was kept, and stored twice when resent).
    `status` is the one the request is about to answer; the after-request hook then writes none."""
    note(**fields)
    entry = _entry(status)
    if entry is not None:
        audit.record(session, entry, now(current_app))
        # only once it is committed: a transaction that fails leaves the hook to record the failure
        event.listen(session, "after_commit", lambda _session: setattr(g, "audited", True), once=True)


def _entry(status: int) -> Optional[audit.Entry]:
    """The audit row of this request ending with `status`, None when its endpoint keeps none."""
    who, rule = principal(), rule_for(request.endpoint)
    if request.routing_exception is not None or (who is None if rule.access != MEMBER else not g.get("member_actor")):
        return None
    action = "denied" if g.get("denied") else rule.audit
    if action is None:
        return None
    actor = g.member_actor if rule.access == MEMBER else who.actor  # a member's link: member:<invitation id>
    args, extra = request.view_args or {}, g.get("audit_note", {})
    return audit.Entry(
        actor=actor, action=action, status=status,
        branch_code=extra.get("branch", args.get("code")), version=extra.get("version", args.get("n")),
        target=_target(args), format=request.args.get("format"), request_id=g.get("request_id"),
        address=request.remote_addr, detail=extra.get("detail") or (f"{request.method} {request.endpoint}"
                                                                     if action == "denied" else None))


def _target(args: dict) -> str:
    if "doc_id" in args:
        return f"documents/{args['doc_id']}"
    if "package_id" in args:
        return f"packages/{args['package_id']}"
    if "m" in args:
        return f"diff/{args['n']}-{args['m']}"
    if "batch_id" in args:
        return f"batches/{args['batch_id']}"
    return (request.endpoint or "").rsplit(".", 1)[-1]


def own_branch(code: Optional[str]) -> None:
    """Refuse a clerk's upload of another branch's workbook (before it is stored): Forbidden with the reason."""
    who = principal()
    if code is not None and who is not None and not who.sees(code):
        note(branch=code, detail="不是本账号的支部，未保存")
        mine = "、".join(sorted(who.branches))
        raise Forbidden(f"这份数据采集表填的是支部「{code}」的数据，您的账号只能报送支部「{mine}」的数据，"
                        "文件未保存。请确认选择的是本支部的数据采集表（学校党组织编号填写是否正确）。")
