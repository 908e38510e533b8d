"""The tables of members checking their own 登记表: invitations (one link per member of a branch) and the
members' responses the clerk accepts or returns.

An invitation keeps only the SHA-256 of its token: the link is shown once, when it is made (the
clerk's printable slips, the API's answer), and a stolen database holds no working link. It names its
member by ID number within its branch (the data's own key, as submissions keep it) and carries the
tries, the lock and the expiry. Migration 0017_invitations creates both tables.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Json, UTCDateTime, one_of

RESPONSE_STATES = ("pending", "accepted", "returned")


class Invitation(Base):
    """One member's link to their own 登记表."""

    __tablename__ = "invitations"
    __table_args__ = (Index("ix_invitations_branch_member", "branch_code", "id_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 hex of the link's token
    branch_code: Mapped[str] = mapped_column(String(16))
    id_number: Mapped[str] = mapped_column(String(18))  # the member, within the branch's data
    name: Mapped[str] = mapped_column(String(100))  # as the data named them when invited
    actor: Mapped[Optional[str]] = mapped_column(String(100))  # who invited
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())  # revoked, or replaced by a newer one
    failures: Mapped[int] = mapped_column(Integer, default=0)  # wrong checks since made or renewed
    locked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    opened_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())  # first right check
    confirmed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())  # last 「以上信息经本人核对无误」


class MemberResponse(Base):
    """What a member confirmed: the fields they changed (before → after), for the clerk to accept or return."""

    __tablename__ = "member_responses"
    __table_args__ = (one_of("state", RESPONSE_STATES), Index("ix_member_responses_branch", "branch_code", "state"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id"), index=True)
    branch_code: Mapped[str] = mapped_column(String(16))
    id_number: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(100))
    based_on: Mapped[Optional[int]] = mapped_column(Integer)  # the version the member saw
    changes: Mapped[dict[str, Any]] = mapped_column(Json)  # {field: value after} (None: cleared)
    before: Mapped[dict[str, Any]] = mapped_column(Json)  # {field: value before} for the same fields
    state: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[Optional[str]] = mapped_column(Text)  # why it was returned: the member reads it
    decided_by: Mapped[Optional[str]] = mapped_column(String(100))
    decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    version: Mapped[Optional[int]] = mapped_column(Integer)  # the branch's version it became, once accepted
