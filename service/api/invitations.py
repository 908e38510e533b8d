"""/api/v1/branches/<code>/invitations and …/responses: the clerk invites members to check their own 登记表,
follows who opened and confirmed, and accepts a member's changes as the branch's next version or returns them."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from flask import current_app, url_for
from flask_smorest import Blueprint

from schemas.member_requests import REASON_NEEDED, load_invitation, load_return
from service.access import guard
from service.domain import idcard
from service.errors import UnknownInvitation, UnknownMember
from service.http.body import json_body
from service.intake import self_check
from service.store import branches, database, invitations, now
from service.store.member_tables import MemberResponse

from .branch_params import BRANCH_CODE
from .branches import STORE
from .documents import NOT_JSON, TOO_LARGE
from .openapi import error_responses, json_content, refusals

blp = Blueprint("invitations", __name__, url_prefix="/api/v1",
                description="党员本人核对登记表：邀请、进度、本人的核对结果（采用为新版本或退回）")

ID = {"in": "path", "name": "id", "required": True, "description": "编号", "schema": {"type": "integer", "minimum": 1,
                                                                                     "maximum": 2**31 - 1}}
INT = "int(min=1, max=2147483647)"
NO_BRANCH = "没有该支部，或该支部尚未报送过数据（code=unknown_branch）"
INVITE_BODY = {"required": True, "description": "{}：邀请全体党员；{\"id_numbers\": [...]}：只邀请这些党员",
               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InvitationRequest"}}}}
RETURN_BODY = {"required": True, "description": "退回原因",
               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReturnBody"}}}}
UNKNOWN_MEMBER = "id_numbers 中的公民身份号码须是本支部最新数据中的党员（422，code=unknown_member；errors 的 path 为 id_numbers[i]）"
REASON_RULE = f"reason 去除空白后不能为空（422，code=invalid_dataset：{REASON_NEEDED}）"
DECIDED = "该核对结果已采用或已退回，或该党员已不在本支部的数据中（code=response_decided）"
ACCEPT_RULE = ("本人的改动须与本支部现在的数据合并后仍符合契约（422，code=invalid_dataset；errors 的 path 为 member.字段），"
               "否则什么也不保存，请退回本人修改")


def masked(number: str) -> str:
    return idcard.mask(number) if len(number) == 18 else "—"


def response_dict(row: MemberResponse, current: Optional[dict]) -> dict:
    """One response as a diff against the branch's current data (what the member changed, before → after)."""
    index = self_check.find(current, row.id_number) if current is not None else None
    member = current["members"][index] if index is not None else None
    pending = row.state == "pending" and member is not None  # decided: the diff as it was when decided
    before = {f: member.get(f) for f in row.changes} if pending else row.before
    changes = [c for c in self_check.diff(before, row.changes) if c["before"] != c["after"] or not pending]
    return {"id": row.id, "invitation": row.invitation_id, "member": row.name, "id_number": masked(row.id_number),
            "state": row.state, "confirmed_at": row.created_at.isoformat(), "based_on": row.based_on,
            "changes": [{**c, "before": _text(c["before"]), "after": _text(c["after"])} for c in changes],
            "reason": row.reason, "version": row.version}


def _text(value) -> Optional[str]:
    return None if value is None else str(value)


def issued_dict(item: invitations.Issued) -> dict:
    return {"id": item.id, "member": item.name, "id_number": masked(item.id_number), "token": item.token,
            "url": url_for("web.member_page", token=item.token, _external=True), "expires_at": item.expires_at.isoformat()}


def progress_dict(code: str, progress: dict) -> dict:
    rows = [{"id": r["id"], "member": r["name"], "id_number": masked(r["id_number"]), "state": r["state"],
             "expires_at": r["expires_at"].isoformat(), "failures": r["failures"], "response": r["response"]}
            for r in progress["members"]]
    return {"code": code, **{k: progress[k] for k in ("invited", "opened", "confirmed", "changed", "accepted")},
            "members": rows}


def invite(code: str, chosen: Optional[list[str]], actor: Optional[str], at: datetime) -> list[invitations.Issued]:
    """Links for the chosen members of the branch's newest data (None: all of them)."""
    app = current_app._get_current_object()
    db = database(app)
    with db.writing() as session:
        branch = branches.get(session, code)
        base = invitations.current(session, branch.id)
        people, unknown = invitations.members_of(base, chosen)
        if unknown:
            raise UnknownMember(f"本支部最新的数据中没有这些党员：{'、'.join(masked(n) for n in unknown)}，请核对公民身份号码",
                                [{"path": f"id_numbers[{chosen.index(n) if n in chosen else 0}]",
                                  "message": f"本支部最新的数据中没有公民身份号码为 {masked(n)} 的党员"} for n in unknown])
        guard.note(detail=f"邀请 {len(people)} 人")
        return invitations.invite(session, code, people, actor, at, app.config["INVITE_DAYS"])


@blp.route("/branches/<code>/invitations", methods=["POST"], parameters=[BRANCH_CODE])
@blp.doc(requestBody=INVITE_BODY, description=refusals(UNKNOWN_MEMBER) + "\n\n再次邀请同一党员时，其原来的链接作废。",
         responses={"201": {"description": "每名党员的链接：令牌只在此时给出一次", "content": json_content("Invitations")},
                    **error_responses({400: NOT_JSON, 404: NO_BRANCH, 413: TOO_LARGE,
                                       422: "请求体不符合要求（code=invalid_dataset），或有不在本支部数据中的公民身份号码"
                                            "（code=unknown_member）", 503: STORE})})
def invite_members(code: str):
    """邀请党员本人核对登记表：全体党员，或按公民身份号码选定的党员；每人一个链接（可打印成带二维码的通知条）"""
    body = load_invitation(json_body())
    app = current_app._get_current_object()
    issued = invite(code, [n.upper() for n in body.id_numbers] if body.id_numbers else None, guard.actor(), now(app))
    return {"invitations": [issued_dict(item) for item in issued]}, 201


@blp.route("/branches/<code>/invitations", methods=["GET"], parameters=[BRANCH_CODE])
@blp.doc(responses={"200": {"description": "进度：已邀请、已打开、已确认、有改动、已采用，和每人的状态",
                            "content": json_content("InvitationProgress")},
                    **error_responses({404: NO_BRANCH, 503: STORE})})
def progress(code: str):
    """党员本人核对的进度"""
    app = current_app._get_current_object()
    with database(app).reading() as session:
        branches.get(session, code)
        return progress_dict(code, invitations.progress(session, code, now(app)))


def _renewed(row, at) -> dict:
    state = "revoked" if row.revoked_at is not None else invitations.state(row, None, at)
    return {"id": row.id, "member": row.name, "state": state, "expires_at": row.expires_at.isoformat()}


@blp.route(f"/branches/<code>/invitations/<{INT}:id>/renew", methods=["POST"], parameters=[BRANCH_CODE, ID])
@blp.doc(responses={"200": {"description": "已解锁并续期：原链接继续有效", "content": json_content("InvitationRenewed")},
                    **error_responses({404: "没有该支部，或没有该邀请（已撤销或已被新的邀请替换）（code=unknown_invitation）",
                                       503: STORE})})
def renew(code: str, id: int):
    """解锁并续期一个邀请链接（核对错误次数清零，有效期从现在起重新计算）"""
    app = current_app._get_current_object()
    with database(app).writing() as session:
        row = invitations.renew(session, code, id, now(app), app.config["INVITE_DAYS"])
        if row is None:
            raise UnknownInvitation(f"支部「{code}」没有编号为 {id} 的有效邀请")
        return _renewed(row, now(app))


@blp.route(f"/branches/<code>/invitations/<{INT}:id>/revoke", methods=["POST"], parameters=[BRANCH_CODE, ID])
@blp.doc(responses={"200": {"description": "已撤销：链接不再有效", "content": json_content("InvitationRenewed")},
                    **error_responses({404: "没有该邀请（code=unknown_invitation）", 503: STORE})})
def revoke(code: str, id: int):
    """撤销一个邀请链接"""
    app = current_app._get_current_object()
    with database(app).writing() as session:
        row = invitations.revoke(session, code, id, now(app))
        if row is None:
            raise UnknownInvitation(f"支部「{code}」没有编号为 {id} 的邀请")
        return _renewed(row, now(app))


@blp.route("/branches/<code>/responses", methods=["GET"], parameters=[BRANCH_CODE])
@blp.doc(responses={"200": {"description": "每份核对结果，与本支部现在的数据相比的变化", "content": json_content("MemberResponses")},
                    **error_responses({404: NO_BRANCH, 503: STORE})})
def responses(code: str):
    """党员本人的核对结果：每份都是与本支部现在的数据相比的变化"""
    with database(current_app).reading() as session:
        branch = branches.get(session, code)
        current = invitations.current(session, branch.id).data
        return {"code": code, "responses": [response_dict(r, current) for r in invitations.responses(session, code)]}


@blp.route(f"/branches/<code>/responses/<{INT}:id>/accept", methods=["POST"], parameters=[BRANCH_CODE, ID])
@blp.doc(description=refusals(ACCEPT_RULE), responses={
    "201": {"description": "已采用：本人的改动保存为支部的新版本", "content": json_content("ResponseAccepted")},
    **error_responses({404: "没有该支部或该核对结果（code=unknown_response）", 409: DECIDED,
                       422: "合并后有错误（code=invalid_dataset）：什么也没有保存", 503: STORE})})
def accept(code: str, id: int):
    """采用一份核对结果：本人的改动叠加在本支部现在的数据上，保存为新版本"""
    app = current_app._get_current_object()
    kept, row = invitations.accept(database(app), code, id, now(app), guard.actor(),
                                   lambda session, sub: guard.audit_within(session, 201, version=sub.version))
    with database(app).reading() as session:
        current = invitations.current_of(session, code).data
    return {"response": response_dict(row, current), "version": kept.version, "valid": kept.valid,
            "verification_code": kept.verification_code, "result_url": url_for("web.result", token=kept.token)}, 201


@blp.route(f"/branches/<code>/responses/<{INT}:id>/return", methods=["POST"], parameters=[BRANCH_CODE, ID])
@blp.doc(requestBody=RETURN_BODY, description=refusals(REASON_RULE), responses={
    "200": {"description": "已退回：党员在自己的页面上看到原因，可修改后重新确认", "content": json_content("ResponseReturned")},
    **error_responses({400: NOT_JSON, 404: "没有该支部或该核对结果（code=unknown_response）", 409: DECIDED, 413: TOO_LARGE,
                       422: f"请求体不符合要求（code=invalid_dataset）；{REASON_NEEDED}", 503: STORE})})
def give_back(code: str, id: int):
    """退回一份核对结果，请党员本人修改（写明原因）"""
    body = load_return(json_body())
    app = current_app._get_current_object()
    with database(app).writing() as session:
        row = invitations.give_back(session, code, id, body.reason, guard.actor(), now(app))
        current = invitations.current_of(session, code).data
        return {"response": response_dict(row, current)}

