"""Accounts: made by `paicha users`, signed in on /login, locked after repeated failures.

A new account or a reset one gets a one-time password and must choose its own at first sign-in.
After LOGIN_LOCK_FAILURES wrong passwords in a row an account is locked for LOGIN_LOCK_MINUTES,
in the database, so every worker and machine sees it. A new password or disabling raises the
account's session epoch, which ends the sessions signed in before.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.store.access_tables import ROLES, Account
from service.store.models import Branch
from service.domain.register import ACTIVE
from service.store.register_tables import RegisteredBranch

from . import passwords
from .principal import Principal

LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
CODE = re.compile(r"^[A-Za-z0-9]{1,16}$")


class AccountError(ValueError):
    """An account that cannot be made or changed as asked; the message is Chinese."""


@dataclass(frozen=True)
class Made:
    """A new or reset account and the one-time password to hand over (shown once, never kept)."""

    login: str
    role: str
    branch_code: Optional[str]
    one_time_password: str


def normal_login(login: str) -> str:
    return (login or "").strip().lower()


def principal(account: Account) -> Principal:
    branches = None if account.role == "district" else frozenset({account.branch_code})
    return Principal("account", account.id, account.login, branches, account.display_name,
                     account.session_epoch, account.must_change_password)


def by_login(session: Session, login: str) -> Optional[Account]:
    return session.scalar(select(Account).where(Account.login == normal_login(login)))


def create(session: Session, login: str, role: str, branch_code: Optional[str], now: datetime,
           display_name: Optional[str] = None) -> Made:
    """A new account with a one-time password."""
    login = normal_login(login)
    if not LOGIN.match(login):
        raise AccountError(f"账号名「{login}」无效：2–40 个小写字母、数字或 . _ -，以字母或数字开头")
    if role not in ROLES:
        raise AccountError(f"角色应为 {' 或 '.join(ROLES)}")
    if role == "clerk" and not (branch_code and CODE.match(branch_code)):
        raise AccountError("支部党务干事的账号须指定支部编号（--branch，1–16位字母或数字）")
    if role == "district" and branch_code:
        raise AccountError("区委教育工委的账号可看全部支部，不指定 --branch")
    if by_login(session, login) is not None:
        raise AccountError(f"账号「{login}」已存在")
    secret = passwords.one_time()
    session.add(Account(login=login, display_name=(display_name or "").strip()[:60] or None, role=role,
                        branch_code=branch_code if role == "clerk" else None,
                        password_hash=passwords.hash_password(secret), must_change_password=True, disabled=False,
                        failed_logins=0, locked_until=None, session_epoch=0, created_at=now,
                        password_changed_at=now, last_login_at=None))
    session.flush()
    return Made(login, role, branch_code if role == "clerk" else None, secret)


def clerks_for_all_branches(session: Session, now: datetime) -> tuple[list[Made], list[str]]:
    """A clerk account (login: the branch code in lower case) for every branch that has none: every
    branch of the district's register (except the ones marked 撤销 or 合并) and every branch that stored
    data; (accounts made, branch codes that already had one)."""
    made, skipped = [], []
    has_clerk = set(session.scalars(select(Account.branch_code).where(Account.role == "clerk")))
    closed = set(session.scalars(select(RegisteredBranch.code).where(RegisteredBranch.state != ACTIVE)))
    for code in session.scalars(select(Branch.code).where(Branch.code.not_in(closed)).order_by(Branch.code)):
        if code in has_clerk or by_login(session, code) is not None:
            skipped.append(code)
            continue
        made.append(create(session, code.lower(), "clerk", code, now))
    return made, skipped


def ensure_district(session: Session, now: datetime, login: str = "admin") -> Optional[Made]:
    """The first district account when there is no usable one (None when there is)."""
    usable = session.scalar(select(func.count()).select_from(Account).where(
        Account.role == "district", Account.disabled.is_(False)))
    if usable:
        return None
    existing = by_login(session, login)
    if existing is not None:  # a disabled 'admin': give it back with a new one-time password
        existing.disabled = False
        return reset_password(session, existing, now)
    return create(session, login, "district", None, now, "区委教育工委管理员")


def reset_password(session: Session, account: Account, now: datetime) -> Made:
    """A new one-time password: unlocked, to be changed at sign-in, older sessions ended."""
    secret = passwords.one_time()
    account.password_hash = passwords.hash_password(secret)
    account.must_change_password = True
    account.failed_logins = 0
    account.locked_until = None
    account.session_epoch += 1
    account.password_changed_at = now
    return Made(account.login, account.role, account.branch_code, secret)


def set_disabled(account: Account, disabled: bool) -> None:
    account.disabled = disabled
    account.session_epoch += 1


def change_password(account: Account, new: str, now: datetime) -> None:
    """The account's own new password (checked by passwords.problems first)."""
    account.password_hash = passwords.hash_password(new)
    account.must_change_password = False
    account.session_epoch += 1
    account.password_changed_at = now


def authenticate(session: Session, login: str, password: str, now: datetime, lock_after: int,
                 lock_minutes: int) -> tuple[Optional[Account], str]:
    """(the account, "ok") or (None, why: unknown | disabled | locked | wrong). The caller shows
    one message for every refusal, so nobody learns which accounts exist."""
    account = by_login(session, login)
    if account is None:
        passwords.verify(None, password)  # as slow as a real check
        return None, "unknown"
    if account.locked_until is not None and account.locked_until > now:
        passwords.verify(None, password)
        return None, "locked"
    if not passwords.verify(account.password_hash, password):
        return None, failed(account, now, lock_after, lock_minutes)
    if account.disabled:
        return None, "disabled"
    account.failed_logins = 0
    account.locked_until = None
    account.last_login_at = now
    if passwords.needs_rehash(account.password_hash):
        account.password_hash = passwords.hash_password(password)
    return account, "ok"


def failed(account: Account, now: datetime, lock_after: int, lock_minutes: int) -> str:
    """One more wrong password: "locked" when it is one too many, else "wrong"."""
    account.failed_logins += 1
    if account.failed_logins >= lock_after:
        account.locked_until = now + timedelta(minutes=lock_minutes)
        account.failed_logins = 0
        return "locked"
    return "wrong"


def load(session: Session, session_id: str) -> Optional[Principal]:
    """The signed-in principal of a session's id ("<account id>:<epoch>"), while still valid."""
    try:
        account_id, epoch = (int(part) for part in session_id.split(":"))
    except (AttributeError, ValueError):
        return None
    account = session.get(Account, account_id)
    if account is None or account.disabled or account.session_epoch != epoch:
        return None
    return principal(account)


def listing(session: Session) -> list[Account]:
    return list(session.scalars(select(Account).order_by(Account.role.desc(), Account.branch_code, Account.login)))
