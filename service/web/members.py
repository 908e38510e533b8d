"""Members checking their own 登记表 on the pages: the member's phone page behind their link, and the clerk's
page (invite and print the slips, follow progress, renew a link, accept or return each answer).

The member's page works in WeChat's built-in browser: plain forms, a phone-width layout, one small
static script. The identity check is the API's (service.api.self_service.admit); once passed, the
browser's session remembers it for this link only, so the form need not ask again on every save.
"""
from __future__ import annotations

import re

import segno
from flask import current_app, redirect, render_template, request, session, url_for
from werkzeug.exceptions import NotFound

from schemas.member_requests import load_return
from service.access import guard
from service.api import invitations as clerk_api
from service.api import self_service
from service.errors import (BadUpload, InvalidDataset, InvitationExpired, InvitationLocked, MemberCheckFailed,
                            PaichaError, ResponseDecided)
from service.intake import self_check
from service.intake.spec import MEMBERS
from service.store import database, invitations, now

from .blueprint import bp

CODE = re.compile(r"^[A-Za-z0-9]{1,16}$")
SESSION_KEY = "member_links"  # invitation ids this browser passed the check for
KINDS = {c.path: c for c in MEMBERS.columns}
STATE_LABELS = {"invited": "已邀请，未打开", "opened": "已打开，未确认", "confirmed": "本人已确认，待采用",
                "returned": "已退回本人修改", "accepted": "已采用", "locked": "已锁定（核对错误过多）", "expired": "已过期"}


# ---- the member's side ------------------------------------------------------------------------------------


def _passed(row) -> bool:
    return row.id in session.get(SESSION_KEY, [])


def _fields(shown: dict, errors: dict) -> list[dict]:
    """The form's fields in 附件3's order: kind, choices, value, error."""
    out = []
    for field in self_check.SHOWN:
        column = KINDS[field]
        kind = "select" if column.kind == "enum" else "date" if column.kind == "date" else \
            "tel" if column.kind == "phone" else "text"
        out.append({"name": field, "title": self_check.TITLES[field], "kind": kind, "choices": column.values,
                    "value": shown.get(field) or "", "required": column.required,
                    "editable": field in self_check.EDITABLE, "error": errors.get(field)})
    return out


def _form_page(token: str, view: dict, errors: dict | None = None, status: int = 200, saved: bool = False,
               values: dict | None = None):
    shown = {**view["member"], **(values or {})}
    return render_template("web/member_form.html", token=token, view=view, fields=_fields(shown, errors or {}),
                           state_label=STATE_LABELS.get(view["state"], view["state"]), saved=saved,
                           general=(errors or {}).get("member"), confirm_error=(errors or {}).get("confirmed")), status


def _check_page(token: str, error: str | None = None, status: int = 200, locked: bool = False):
    return render_template("web/member_check.html", token=token, error=error, locked=locked), status


@bp.get("/m/<token>")
def member_page(token: str):
    try:
        row = self_service.live(token)
    except (InvitationLocked, InvitationExpired) as err:
        return _check_page(token, err.message, 423 if isinstance(err, InvitationLocked) else 410, locked=True)
    if not _passed(row):
        return _check_page(token)
    return _form_page(token, self_service.own_view(row), saved=request.args.get("saved") == "1")


@bp.post("/m/<token>/check")
def member_check(token: str):
    try:
        row = self_service.admit(token, request.form.get("check"))
    except MemberCheckFailed as err:
        return _check_page(token, err.message, 403)
    except (InvitationLocked, InvitationExpired) as err:
        return _check_page(token, err.message, 423 if isinstance(err, InvitationLocked) else 410, locked=True)
    session[SESSION_KEY] = [*session.get(SESSION_KEY, [])[-9:], row.id]
    return redirect(url_for("web.member_page", token=token), code=303)


@bp.post("/m/<token>")
def member_save(token: str):
    row = self_service.live(token)
    if not _passed(row):
        return redirect(url_for("web.member_page", token=token), code=303)
    view = self_service.own_view(row)
    asked = {f: request.form.get(f, "") for f in self_check.EDITABLE if f in request.form}
    if request.form.get("confirmed") != "yes":
        return _form_page(token, view, {"confirmed": "请勾选「以上信息经本人核对无误」后再提交"}, 422, values=asked)
    try:
        self_service.confirm(row, asked)
    except InvalidDataset as err:
        errors = {}
        for item in err.errors:
            errors.setdefault(item["path"].split(".", 1)[-1] if "." in item["path"] else "member", item["message"])
        return _form_page(token, view, errors, 422, values=asked)
    return redirect(url_for("web.member_page", token=token, saved="1"), code=303)


# ---- the clerk's side --------------------------------------------------------------------------------------


def _branch() -> str:
    """The clerk's own branch; district staff name it (?code= or the form's code)."""
    who = guard.principal()
    mine = who.sole_branch() if not who.district else None
    code = mine or (request.values.get("code") or "").strip()
    if not CODE.match(code) or not who.sees(code):
        raise NotFound()
    guard.note(branch=code)
    return code


def _clerk_page(code: str, error: str | None = None, status: int = 200):
    app = current_app._get_current_object()
    with database(app).reading() as db_session:
        base = invitations.current_of(db_session, code)
        progress = invitations.progress(db_session, code, now(app))
        rows = invitations.responses(db_session, code)
    people = invitations.members_of(base, None)[0] if base.data is not None else []
    answers = [clerk_api.response_dict(r, base.data) for r in rows]
    for row in progress["members"]:
        row["label"] = STATE_LABELS.get(row["state"], row["state"])
        row["masked"] = clerk_api.masked(row["id_number"])
    return render_template("web/members.html", code=code, progress=progress, answers=answers, error=error,
                           people=[{"id_number": n, "name": name, "masked": clerk_api.masked(n)} for n, name in people],
                           has_data=base.data is not None, district=guard.principal().district), status


@bp.get("/members")
def members():
    return _clerk_page(_branch())


@bp.post("/members/invite")
def members_invite():
    """Make the links and show the slips at once: the tokens are never kept, so this page is their only print."""
    code = _branch()
    chosen = request.form.getlist("id_number") or None
    if request.form.get("who") == "chosen" and not chosen:
        return _clerk_page(code, "请勾选要邀请的党员，或选择「全体党员」", 422)
    app = current_app._get_current_object()
    try:
        issued = clerk_api.invite(code, chosen if request.form.get("who") == "chosen" else None, guard.actor(), now(app))
    except PaichaError as err:
        return _clerk_page(code, err.message, 422)
    slips = []
    for item in issued:
        url = url_for("web.member_page", token=item.token, _external=True)
        qr = segno.make(url, error="m").svg_inline(scale=3, title=f"{item.name}的核对链接二维码")
        slips.append({"name": item.name, "url": url, "qr": qr, "expires": item.expires_at})
    return render_template("web/member_slips.html", code=code, slips=slips)


@bp.post("/members/<int:invitation>/renew")
def members_renew(invitation: int):
    code = _branch()
    app = current_app._get_current_object()
    with database(app).writing() as db_session:
        row = invitations.renew(db_session, code, invitation, now(app), app.config["INVITE_DAYS"])
    if row is None:
        raise NotFound()
    return redirect(url_for("web.members", code=code), code=303)


@bp.post("/members/responses/<int:response>")
def members_decide(response: int):
    code = _branch()
    app = current_app._get_current_object()
    decision = request.form.get("decision")
    try:
        if decision == "accept":
            guard.note(detail="采用")
            kept, _ = invitations.accept(database(app), code, response, now(app), guard.actor(),
                                         lambda s, sub: None)
            _audit("member_accept", code, kept.version)
            return redirect(url_for("web.result", token=kept.token), code=303)
        if decision == "return":
            body = load_return({"reason": request.form.get("reason", "")})
            with database(app).writing() as db_session:
                invitations.give_back(db_session, code, response, body.reason, guard.actor(), now(app))
            _audit("member_return", code, None)
            return redirect(url_for("web.members", code=code), code=303)
    except (InvalidDataset, ResponseDecided) as err:
        detail = "；".join(e["message"] for e in err.errors) if err.errors else ""
        return _clerk_page(code, f"{err.message}{('：' + detail) if detail else ''}", 422)
    raise BadUpload("请选择「采用」或「退回」")


def _audit(action: str, code: str, version):
    from service.access import audit

    who = guard.principal()
    with database(current_app).writing() as db_session:
        audit.record(db_session, audit.Entry(actor=who.actor, action=action, status=303, branch_code=code,
                                             version=version, target="members"), now(current_app))

