"""API tokens: a high-entropy secret shown once, kept as its SHA-256; scoped to branches or the district.

A fast hash is enough here (unlike passwords): the secret is 256 random bits, so there is nothing
to guess. A request's token is found by its hash in one indexed look-up; revoking or expiry takes
effect on the next request.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.store.access_tables import ApiToken

from .principal import Principal

PREFIX = "pch_"
NAME = re.compile(r"^[^\s:][^:]{0,59}$")  # no colon: the actor token:<name> stays unambiguous
CODE = re.compile(r"^[A-Za-z0-9]{1,16}$")


class TokenError(ValueError):
    """A token that cannot be made or changed as asked; the message is Chinese."""


@dataclass(frozen=True)
class Issued:
    name: str
    secret: str  # shown once
    branches: Optional[tuple[str, ...]]
    expires_at: Optional[datetime]


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create(session: Session, branches: Optional[list[str]], now: datetime, name: Optional[str] = None,
           expires_days: Optional[int] = None) -> Issued:
    """A new token for these branch codes (None: the whole district)."""
    codes = tuple(dict.fromkeys(c.strip() for c in branches)) if branches is not None else None
    if codes is not None and (not codes or not all(CODE.match(c) for c in codes)):
        raise TokenError("支部编号应为 1–16 位字母或数字（--branch 可写多个）")
    name = (name or default_name(codes, now)).strip()
    if not NAME.match(name):
        raise TokenError("令牌名称 1–60 个字符，不含冒号，不以空白开头")
    if session.scalar(select(ApiToken.id).where(ApiToken.name == name)) is not None:
        raise TokenError(f"已有名为「{name}」的令牌，请换一个 --name")
    if expires_days is not None and expires_days < 1:
        raise TokenError("--expires-days 至少为 1")
    secret = PREFIX + secrets.token_urlsafe(32)
    expires = now + timedelta(days=expires_days) if expires_days else None
    session.add(ApiToken(name=name, token_hash=digest(secret), prefix=secret[:10],
                         scope="district" if codes is None else "branches",
                         branches=list(codes) if codes is not None else None, created_at=now, expires_at=expires,
                         revoked_at=None))
    session.flush()
    return Issued(name, secret, codes, expires)


def default_name(codes: Optional[tuple[str, ...]], now: datetime) -> str:
    what = "district" if codes is None else "-".join(codes)[:40]
    return f"{what}-{now:%Y%m%d-%H%M%S}"


def resolve(session: Session, secret: str, now: datetime) -> Optional[Principal]:
    """The principal of a presented token, or None: unknown, revoked or expired."""
    if not secret or len(secret) > 200:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    if token is None or state(token, now) != "active":
        return None
    branches = None if token.scope == "district" else frozenset(token.branches or ())
    return Principal("token", token.id, token.name, branches)


def state(token: ApiToken, now: datetime) -> str:
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired"
    return "active"


STATE_LABELS = {"active": "有效", "revoked": "已吊销", "expired": "已过期"}


def revoke(session: Session, name: str, now: datetime) -> ApiToken:
    token = session.scalar(select(ApiToken).where(ApiToken.name == name))
    if token is None:
        raise TokenError(f"没有名为「{name}」的令牌（paicha tokens list 列出全部）")
    if token.revoked_at is None:
        token.revoked_at = now
    return token


def listing(session: Session) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).order_by(ApiToken.created_at, ApiToken.id)))
