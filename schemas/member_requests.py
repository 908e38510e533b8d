"""The request bodies of members checking their own 登记表: the clerk's invitation, the member's answer, the
clerk's return. Checked once, here, whichever way they came (the API's JSON, a page's form); like the
district's bodies (schemas/requests.py) they are taken as sent.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from service.errors import InvalidDataset

from .errors import flatten
from .fields import NULL, REQUIRED, MaxLength
from .objects import Base

ID_NUMBERS = "id_numbers 应为 1–1000 个公民身份号码（18位）的数组；省略或为 null 时邀请全体党员"
ID_TEXT = "公民身份号码应为18位，末位为数字或X"
MEMBER_FIELDS = ("name", "gender", "ethnicity", "id_number", "birth_date", "education", "member_type", "join_date",
                 "full_member_date", "person_category", "job_post", "phone", "home_address", "party_status")
CONFIRM = "须确认「以上信息经本人核对无误」（confirmed 为 true）"
REASON_NEEDED = "退回修改须写明原因"  # the same words as the district's 核查
REASON_MAX = 500
TEXT = "应为文本（字符串）或 null"


def _text(**kwargs) -> fields.String:
    return fields.String(error_messages={"invalid": TEXT, "required": REQUIRED}, **kwargs)


@dataclass(frozen=True)
class InvitationRequest:
    id_numbers: Optional[list[str]]  # None: every member


class InvitationRequestSchema(Base):
    """POST /api/v1/branches/<code>/invitations 的请求体；省略 id_numbers 即邀请全体党员。"""

    error_messages = {**Base.error_messages, "type": "请求体应为 JSON 对象，如 {} 或 {\"id_numbers\": [\"…\"]}"}

    id_numbers = fields.List(
        fields.String(required=True, validate=validate.Regexp(r"^[0-9]{17}[0-9Xx]$", error=ID_TEXT),
                      error_messages={"invalid": ID_TEXT, "null": ID_TEXT}),
        allow_none=True, validate=validate.Length(min=1, max=1000, error=ID_NUMBERS),
        error_messages={"invalid": ID_NUMBERS, "null": NULL},
        metadata={"description": "要邀请的党员的公民身份号码；省略或为 null 时邀请本支部最新数据中的全体党员"})

    @post_load
    def _request(self, data: dict, **kwargs) -> InvitationRequest:
        numbers = data.get("id_numbers")
        return InvitationRequest(list(dict.fromkeys(n.upper() for n in numbers)) if numbers is not None else None)


SelfChangesSchema = Base.from_dict(
    {f: _text(allow_none=True, validate=MaxLength(100, unit="字"), metadata={"description": "新值；null 或空为清空"})
     for f in MEMBER_FIELDS}, name="SelfChangesSchema")


@dataclass(frozen=True)
class SelfAnswer:
    member: dict


class SelfAnswerSchema(Base):
    """PUT /api/v1/self/<token> 的请求体：改动的项目，和本人的确认。"""

    member = fields.Nested(SelfChangesSchema, required=True, error_messages={"required": REQUIRED, "null": NULL},
                           metadata={"description": "改动的项目（契约的字段名和写法）；没有改动为 {}。公民身份号码、"
                                                    "党籍状态只能原样提交"})
    confirmed = fields.Boolean(required=True, validate=validate.Equal(True, error=CONFIRM),
                               error_messages={"required": CONFIRM, "null": CONFIRM, "invalid": CONFIRM},
                               metadata={"description": "「以上信息经本人核对无误」：须为 true"})

    @post_load
    def _answer(self, data: dict, **kwargs) -> SelfAnswer:
        return SelfAnswer(dict(data["member"]))


@dataclass(frozen=True)
class ReturnRequest:
    reason: str


class ReturnBodySchema(Base):
    """退回党员本人修改：原因（党员在自己的页面上看到）。"""

    reason = fields.String(required=True, validate=MaxLength(REASON_MAX, unit="字"),
                           error_messages={"required": REASON_NEEDED, "null": REASON_NEEDED, "invalid": TEXT},
                           metadata={"description": f"退回原因，党员本人在页面上看到；去除空白后不能为空，不超过 {REASON_MAX} 字"})

    @validates_schema
    def _reason(self, data: dict, **kwargs) -> None:
        if not data["reason"].strip():
            raise ValidationError(REASON_NEEDED, "reason")

    @post_load
    def _request(self, data: dict, **kwargs) -> ReturnRequest:
        return ReturnRequest(data["reason"].strip())


def _load(schema, body, message: str):
    try:
        return schema.load(body)
    except ValidationError as error:
        raise InvalidDataset(flatten(error.messages, schema), message) from None


def load_invitation(body) -> InvitationRequest:
    return _load(InvitationRequestSchema(), body, "邀请未能发出，请按错误列表修改")


def load_answer(body) -> SelfAnswer:
    return _load(SelfAnswerSchema(), body, "登记表未能提交，请按错误列表修改")


def load_return(body) -> ReturnRequest:
    return _load(ReturnBodySchema(), body, "未能退回，请写明原因")
