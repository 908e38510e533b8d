"""/api/v1/self/<token>: a member's own 登记表, behind their invitation link and the last six characters of
their ID number (header X-Member-Check). What the member's page (service/web/members.py) calls too.

Nobody signs in: the link is the key, and the check proves the person. Every wrong check is counted on
the invitation, and INVITE_CHECK_TRIES of them lock it until the clerk renews it; the rate limits of
the `member` kind count requests per link and per address besides.
"""
from __future__ import annotations

from flask import current_app, request
from flask_smorest import Blueprint

from schemas.member_requests import load_answer
from service.access import guard
from service.errors import InvalidDataset, InvitationExpired, InvitationLocked, MemberCheckFailed, UnknownInvitation
from service.http.body import json_body
from service.intake import self_check
from service.store import database, invitations, now
from service.store.member_tables import Invitation

from .documents import NOT_JSON, TOO_LARGE
from .openapi import STORE, error_responses, json_content, refusals

blp = Blueprint("self", __name__, url_prefix="/api/v1", description="党员本人：查看、核对、确认自己的登记表（凭邀请链接）")

TOKEN = {"in": "path", "name": "token", "required": True, "description": "邀请链接中的令牌",
         "schema": {"type": "string", "minLength": 1, "maxLength": 200}}
CHECK = {"in": "header", "name": "X-Member-Check", "required": True,
         "description": "本人公民身份号码的后六位（末位 x 按 X）；连续错误达到次数后链接锁定，须请党务干事解锁",
         "schema": {"type": "string", "minLength": 1, "maxLength": 50}}
ANSWER_BODY = {"required": True, "description": "改动的项目和本人的确认",
               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SelfAnswer"}}}}
UNKNOWN = "这个链接无效：可能输错了，或已被新的邀请替换、已撤销。请向本支部党务干事索取新的链接"
EXPIRED = "这个链接已过期，请联系本支部党务干事续期"
LOCKED = "身份核对连续出错，这个链接已锁定。请联系本支部党务干事解锁"
WRONG = "身份核对未通过：请输入本人公民身份号码的后六位（还可以再试 {left} 次）"
GONE = "本支部现在的数据中没有您的信息，请联系本支部党务干事"
REFUSALS = {403: "X-Member-Check 不是本人公民身份号码的后六位（code=member_check_failed；message 说明还可以试几次）",
            404: "链接无效、已被替换或已撤销（code=unknown_invitation）", 410: "链接已过期（code=invitation_expired）",
            423: "核对错误次数过多，链接已锁定，须党务干事解锁（code=invitation_locked）",
            503: STORE}
MEMBER_RULE = ("改动后的登记表须符合契约（选项、日期、与公民身份号码一致的出生日期和性别、转正时间等）；"
               "公民身份号码、党籍状态本人不能改（422，code=invalid_dataset；errors 的 path 为 member.字段，什么也不保存）")


def admit(token: str, check: str | None) -> Invitation:
    """The invitation behind the link, once the member proved who they are; a wrong check is counted."""
    app = current_app._get_current_object()
    at = now(app)
    with database(app).writing() as session:
        row = _usable(invitations.by_token(session, token), at)
        right = self_check.matches(row.id_number, check)
        if right:
            invitations.opened(session, row.id, at)
        else:
            failures = invitations.failed(session, row.id, app.config["INVITE_CHECK_TRIES"], at)
    if right:
        return row
    guard.note(detail="身份核对未通过")
    left = app.config["INVITE_CHECK_TRIES"] - failures
    if left <= 0:
        raise InvitationLocked(LOCKED)
    raise MemberCheckFailed(WRONG.format(left=left))


def live(token: str) -> Invitation:
    """The invitation behind the link, without a check (the page, once the session passed it)."""
    app = current_app._get_current_object()
    with database(app).reading() as session:
        row = invitations.by_token(session, token)
    return _usable(row, now(app))


def _usable(row: Invitation | None, at) -> Invitation:
    """The invitation, named as the request's member, unless it is unknown (404), locked (423) or expired (410)."""
    if row is None:
        raise UnknownInvitation(UNKNOWN)
    guard.member(f"member:{row.id}", row.branch_code)
    if row.locked_at is not None:
        raise InvitationLocked(LOCKED)
    if row.expires_at < at:
        raise InvitationExpired(EXPIRED)
    return row


def own_view(row: Invitation) -> dict:
    """What the member sees: their 登记表 over the branch's current data, the org, the state, a return's reason."""
    app = current_app._get_current_object()
    with database(app).reading() as session:
        base = invitations.current_of(session, row.branch_code)
        response = invitations.latest_response(session, row.id)
    index = self_check.find(base.data, row.id_number)
    if index is None:
        raise UnknownInvitation(GONE)
    shown = response.changes if response is not None and response.state in ("pending", "returned") else None
    fresh = invitations.by_id(database(app), row.id)
    return {"member": {k: _text(v) for k, v in self_check.view(base.data["members"][index], shown).items()},
            "org": self_check.org_view(base.data), "state": invitations.state(fresh, response, now(app)),
            "reason": response.reason if response is not None and response.state == "returned" else None,
            "expires_at": row.expires_at.isoformat(), "editable": list(self_check.EDITABLE)}


def _text(value):
    return None if value is None else str(value)


def confirm(row: Invitation, changes: dict) -> dict:
    """The member's changes checked on the merged data and kept for the clerk; InvalidDataset at the fields."""
    app = current_app._get_current_object()
    with database(app).writing() as session:
        base = invitations.current_of(session, row.branch_code)
        index = self_check.find(base.data, row.id_number)
        if index is None:
            raise UnknownInvitation(GONE)
        checked = self_check.check(base.data, index, changes)
        if checked.errors:
            guard.note(detail="登记表有错误，未保存")
            raise InvalidDataset(checked.errors, "登记表有错误，没有保存：请按每项下面的提示修改")
        invitations.respond(session, row, base.version, checked, now(app))
        guard.note(detail=f"改动 {len(checked.changes)} 项" if checked.changes else "确认无误")
    return own_view(row)


@blp.route("/self/<token>", methods=["GET"], parameters=[TOKEN, CHECK])
@blp.doc(security=[], responses={"200": {"description": "本人的登记表", "content": json_content("SelfView")},
                                 **error_responses(REFUSALS)})
def show(token: str):
    """党员本人查看自己的登记表（附件3 的各项，按本支部最新的数据预填）"""
    return own_view(admit(token, request.headers.get("X-Member-Check")))


@blp.route("/self/<token>", methods=["PUT"], parameters=[TOKEN, CHECK])
@blp.doc(security=[], requestBody=ANSWER_BODY, description=refusals(MEMBER_RULE), responses={
    "200": {"description": "已确认，等待党务干事采用", "content": json_content("SelfView")},
    **error_responses({400: NOT_JSON, 413: TOO_LARGE, **REFUSALS,
                       422: "请求体不符合要求，或改动后的登记表有错误（code=invalid_dataset）：errors 逐项列出，什么也不保存"})})
def answer(token: str):
    """党员本人核对、更正并确认自己的登记表：「以上信息经本人核对无误」"""
    row = admit(token, request.headers.get("X-Member-Check"))
    body = load_answer(json_body())
    return confirm(row, body.member)
