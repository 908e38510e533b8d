"""The documented answers of members checking their own 登记表 (documentation only: the handlers send
plain dicts, and tests/test_api_openapi.py holds them to these)."""
from __future__ import annotations

from marshmallow import fields, validate

from service.intake.self_check import EDITABLE, SHOWN, TITLES

from .openapi import Strict

STATES = ("invited", "opened", "confirmed", "returned", "accepted", "locked", "expired")
STATE_TEXT = ("invited：已邀请，尚未打开；opened：已通过身份核对；confirmed：本人已确认，等待党务干事采用；"
              "returned：已退回本人修改；accepted：已采用为支部的新版本；locked：核对错误次数过多，已锁定；expired：已过期")


def _text(description: str, **kwargs) -> fields.String:
    return fields.String(required=True, metadata={"description": description}, **kwargs)


def _maybe(field_cls, description: str, **kwargs):
    return field_cls(required=True, allow_none=True, metadata={"description": description}, **kwargs)


class InvitationSchema(Strict):
    id = fields.Integer(required=True, metadata={"description": "邀请编号（续期、撤销用）"})
    member = _text("党员姓名")
    id_number = _text("公民身份号码（中间10位隐去）")
    token = _text("链接中的令牌：只在此时给出一次，系统只保存其摘要")
    url = _text("党员本人打开的链接（可做成二维码）")
    expires_at = fields.DateTime(required=True, metadata={"description": "链接到期时间（UTC）"})


class InvitationsSchema(Strict):
    invitations = fields.List(fields.Nested(InvitationSchema), required=True, metadata={"description": "每人一项"})


class ProgressRowSchema(Strict):
    id = fields.Integer(required=True, metadata={"description": "邀请编号"})
    member = _text("党员姓名")
    id_number = _text("公民身份号码（中间10位隐去）")
    state = _text(STATE_TEXT, validate=validate.OneOf(STATES))
    expires_at = fields.DateTime(required=True, metadata={"description": "链接到期时间（UTC）"})
    failures = fields.Integer(required=True, metadata={"description": "续期以来身份核对错误的次数"})
    response = _maybe(fields.Integer, "最近一份核对结果的编号；尚未确认为 null")


class ProgressSchema(Strict):
    code = _text("支部编号")
    invited = fields.Integer(required=True, metadata={"description": "已邀请（有效链接）的人数"})
    opened = fields.Integer(required=True, metadata={"description": "已打开并通过身份核对的人数"})
    confirmed = fields.Integer(required=True, metadata={"description": "本人已确认的人数"})
    changed = fields.Integer(required=True, metadata={"description": "确认时改动了信息的人数"})
    accepted = fields.Integer(required=True, metadata={"description": "核对结果已采用的人数"})
    members = fields.List(fields.Nested(ProgressRowSchema), required=True)


class RenewedSchema(Strict):
    id = fields.Integer(required=True, metadata={"description": "邀请编号"})
    member = _text("党员姓名")
    state = _text(STATE_TEXT, validate=validate.OneOf(STATES + ("revoked",)))
    expires_at = fields.DateTime(required=True, metadata={"description": "链接到期时间（UTC）"})


SelfMemberSchema = Strict.from_dict(
    {f: fields.String(required=True, allow_none=True, metadata={"description": TITLES[f] + (
        "（本人可改）" if f in EDITABLE else "（本人不能改）")}) for f in SHOWN}, name="SelfMemberSchema")


class SelfOrgSchema(Strict):
    code = _maybe(fields.String, "支部编号")
    name = _maybe(fields.String, "党组织名")
    full_name = _maybe(fields.String, "党组织全称")


class SelfViewSchema(Strict):
    member = fields.Nested(SelfMemberSchema, required=True,
                           metadata={"description": "本人的登记表（附件3 的各项），已确认而待采用的改动已在其中"})
    org = fields.Nested(SelfOrgSchema, required=True)
    state = _text(STATE_TEXT, validate=validate.OneOf(STATES))
    reason = _maybe(fields.String, "党务干事退回时写的原因；未退回为 null")
    expires_at = fields.DateTime(required=True, metadata={"description": "链接到期时间（UTC）"})
    editable = fields.List(fields.String(), required=True, metadata={"description": "本人可以改的项目"})


class SelfFieldChangeSchema(Strict):
    field = _text("字段")
    title = _text("项目名称")
    before = _maybe(fields.String, "本支部现在的数据中的值")
    after = _maybe(fields.String, "本人改成的值（null：清空）")


class ResponseSchema(Strict):
    id = fields.Integer(required=True, metadata={"description": "核对结果编号"})
    invitation = fields.Integer(required=True, metadata={"description": "邀请编号"})
    member = _text("党员姓名")
    id_number = _text("公民身份号码（中间10位隐去）")
    state = _text("pending：待处理；accepted：已采用；returned：已退回", validate=validate.OneOf(("pending", "accepted", "returned")))
    confirmed_at = fields.DateTime(required=True, metadata={"description": "本人确认的时间（UTC）"})
    based_on = _maybe(fields.Integer, "本人看到的是哪个版本")
    changes = fields.List(fields.Nested(SelfFieldChangeSchema), required=True,
                          metadata={"description": "与本支部现在的数据相比的变化；空：本人确认无误，没有改动"})
    reason = _maybe(fields.String, "退回原因")
    version = _maybe(fields.Integer, "采用后成为的版本")


class ResponsesSchema(Strict):
    code = _text("支部编号")
    responses = fields.List(fields.Nested(ResponseSchema), required=True, metadata={"description": "新的在前"})


class AcceptedResponseSchema(Strict):
    response = fields.Nested(ResponseSchema, required=True)
    version = fields.Integer(required=True, metadata={"description": "保存成的新版本"})
    valid = fields.Boolean(required=True, metadata={"description": "新版本是否通过校验（其他党员的错误不影响采用）"})
    verification_code = _maybe(fields.String, "校验码（通过校验时）")
    result_url = _text("新版本的结果页地址")


class ReturnedResponseSchema(Strict):
    response = fields.Nested(ResponseSchema, required=True)


COMPONENTS = {"Invitations": InvitationsSchema, "InvitationProgress": ProgressSchema, "InvitationRenewed": RenewedSchema,
              "SelfView": SelfViewSchema, "MemberResponses": ResponsesSchema,
              "ResponseAccepted": AcceptedResponseSchema, "ResponseReturned": ReturnedResponseSchema}
