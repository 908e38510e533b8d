"""The tables of access control: accounts (district staff, clerks), API tokens, and the audit trail.

Accounts sign in on the web pages; tokens are for other systems (Authorization: Bearer). Both name
branches by code, not by a foreign key: a clerk's account or a token may be made for a branch that
has sent nothing yet. The audit trail keeps one row per access to members' data (and per sign-in),
never changed; its text is masked (no ID number, no phone). Migration 0010_access creates them.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Json, UTCDateTime, one_of

ROLES = ("district", "clerk")
TOKEN_SCOPES = ("district", "branches")


class Account(Base):
    """A person who signs in: district staff (every branch) or a clerk (one branch)."""

    __tablename__ = "accounts"
    __table_args__ = (one_of("role", ROLES),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(40), unique=True)  # lower case: letters, digits . _ -
    display_name: Mapped[Optional[str]] = mapped_column(String(60))
    role: Mapped[str] = mapped_column(String(10))
    branch_code: Mapped[Optional[str]] = mapped_column(String(16), index=True)  # clerks only
    password_hash: Mapped[str] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(Boolean)  # a one-time password was given
    disabled: Mapped[bool] = mapped_column(Boolean)
    failed_logins: Mapped[int] = mapped_column(Integer)  # since the last success or lock
    locked_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    session_epoch: Mapped[int] = mapped_column(Integer)  # raised on a new password or disabling: old sessions end
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_login_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())


class ApiToken(Base):
    """A bearer token for another system, kept as the SHA-256 of its secret only."""

    __tablename__ = "api_tokens"
    __table_args__ = (one_of("scope", TOKEN_SCOPES),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # the first characters, to recognise it in a list
    scope: Mapped[str] = mapped_column(String(10))
    branches: Mapped[Optional[list[Any]]] = mapped_column(Json)  # codes, for scope "branches"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())


class AuditEvent(Base):
    """Who did what to which branch's data, when, from where, and how it ended."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_branch_at", "branch_code", "at"),
        Index("ix_audit_events_actor_at", "actor", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(100))  # account login, token:<name>, or the name tried
    action: Mapped[str] = mapped_column(String(20), index=True)
    branch_code: Mapped[Optional[str]] = mapped_column(String(16))
    version: Mapped[Optional[int]] = mapped_column(Integer)
    target: Mapped[Optional[str]] = mapped_column(String(60))  # documents/<id>, packages/<id>, …
    format: Mapped[Optional[str]] = mapped_column(String(10))
    status: Mapped[int] = mapped_column(Integer)  # the HTTP status answered
    request_id: Mapped[Optional[str]] = mapped_column(String(64))
    address: Mapped[Optional[str]] = mapped_column(String(45))
    detail: Mapped[Optional[str]] = mapped_column(String(200))
