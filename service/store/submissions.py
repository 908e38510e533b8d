"""Storing what arrives: every dataset a branch sends becomes its next version, valid or rejected.

A submission is committed before anything is rendered from it, with everything a list or a page
will need later (figures, findings and their counts, the campaign's deadlines), so nothing is
re-validated to show it. Rejected input keeps its raw bytes and every error; input in which no
branch code can be read is kept too, as a submission without a branch (no version number),
reachable by its token like any other.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Optional

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, undefer

import schemas
from service.domain import deadlines
from service.domain.digest import digest
from service.domain.model import Dataset
from service.domain.verification import canonical, verification_code
from service.intake.received import Received

from . import register
from .db import Database
from .models import Branch, Submission

CODE = re.compile(r"^[A-Za-z0-9]{1,16}$")  # the contract's org.code
ATTEMPTS = 5  # two writers creating the same new branch: the loser finds it on its next attempt


@dataclass(frozen=True)
class Stored:
    """What the caller needs of a stored submission once its session is closed."""

    id: int
    token: str
    branch_code: Optional[str]
    version: Optional[int]
    valid: bool
    verification_code: Optional[str]
    created_at: datetime
    error_count: int
    warnings: tuple = ()  # as stored: the 三查三核 findings, then the register's and campaign's notices


def branch_code(data: Any) -> Optional[str]:
    """The org.code of input as read, when it can be a branch code at all."""
    org = data.get("org") if isinstance(data, dict) else None
    code = org.get("code") if isinstance(org, dict) else None
    code = code.strip() if isinstance(code, str) else None
    return code if code and CODE.match(code) else None


def submit(db: Database, received: Received, source: str, now: datetime, actor: Optional[str] = None,
           code: Optional[str] = None, within: Optional[Callable[[Session, Submission], None]] = None) -> Stored:
    """Store and commit; the branch is `code` or the one the input names. `within` writes what must
    commit with the submission or not at all (its audit row), in the same transaction."""
    now = now.astimezone(timezone.utc)
    for attempt in range(ATTEMPTS):
        try:
            with db.writing() as session:
                sub = record(session, received, source, now, actor, code)
                if within is not None:
                    within(session, sub)
                return stored(sub)
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def record(session: Session, received: Received, source: str, now: datetime, actor: Optional[str] = None,
           code: Optional[str] = None) -> Submission:
    """The new submission row, flushed in the caller's transaction."""
    code = code or branch_code(received.data)
    branch = find_or_create(session, code, now) if code else None
    ds = received.dataset
    facts = digest(ds) if ds is not None else None
    if branch is not None:
        describe(branch, ds, received.data, now)
    version = next_version(session, branch) if branch else None
    campaign = deadlines.campaign_key(ds.campaign.deadlines) if ds is not None else None
    first_version, first_at = campaign_first(session, branch, campaign, version, now) if ds is not None else (None, None)
    warnings = list(received.warnings) + register.notices(session, code, ds, received.data)
    sub = Submission(
        token=secrets.token_urlsafe(18), branch_id=branch.id if branch else None,
        version=version, valid=ds is not None, source=source,
        actor=(actor or "").strip()[:100] or None, created_at=now,
        content_hash=content_hash(received),
        verification_code=verification_code(ds) if ds is not None else None,
        raw_kind=received.raw_kind, filename=(received.filename or None), raw=received.raw, input=received.data,
        dataset=schemas.dump_dataset(ds) if ds is not None else None,
        errors=received.errors, warnings=warnings, error_count=len(received.errors),
        figures=facts.figures if facts else None, findings=facts.findings if facts else None,
        findings_count=facts.counts if facts else {"by_rule": {}, "by_severity": {}},
        finding_count=len(facts.findings) if facts else 0, in_scope=facts.in_scope if facts else None,
        campaign=campaign, campaign_first_version=first_version, campaign_first_at=first_at,
        lost_contact=facts.figures["campaign_summary"]["E1"] if facts else None,
    )
    session.add(sub)
    if branch is not None:  # the branch row is this writer's (find_or_create): the list's pointers move with it
        branch.latest_version = version
        if ds is not None:
            branch.latest_valid_version = version
        else:
            branch.rejected_versions = (branch.rejected_versions or 0) + 1
    session.flush()
    return sub


def content_hash(received: Received) -> str:
    """What tells two versions apart: the canonical dataset when valid, the bytes as received otherwise."""
    ds = received.dataset
    return hashlib.sha256(canonical(ds) if ds is not None else received.raw).hexdigest()


def find_or_create(session: Session, code: str, now: datetime) -> Branch:
    """The branch, locked for this transaction (PostgreSQL: FOR UPDATE; SQLite's writer holds the
    whole database), so its next version number is this writer's alone."""
    branch = session.scalar(select(Branch).where(Branch.code == code).with_for_update())
    if branch is None:
        branch = Branch(code=code, created_at=now, updated_at=now)
        session.add(branch)
        session.flush()
    return branch


def campaign_first(session: Session, branch: Optional[Branch], campaign: str, version: Optional[int],
                   now: datetime) -> tuple[Optional[int], Optional[datetime]]:
    """(version, received) of the branch's first valid version of this campaign: an earlier one, or
    the one being stored. What the four deadlines count (domain.deadlines)."""
    if branch is None:
        return None, None
    earlier = session.execute(
        select(Submission.version, Submission.created_at).where(
            Submission.branch_id == branch.id, Submission.valid.is_(True), Submission.campaign == campaign)
        .order_by(Submission.version).limit(1)).first()
    return (earlier.version, earlier.created_at) if earlier else (version, now)


def next_version(session: Session, branch: Branch) -> int:
    latest = session.scalar(select(func.max(Submission.version)).where(Submission.branch_id == branch.id))
    return (latest or 0) + 1


def describe(branch: Branch, ds: Optional[Dataset], data: Any, now: datetime) -> None:
    """The branch's names and contact as its newest valid dataset gives them; until it has one,
    as the rejected input spells them (cut to the contract's lengths)."""
    if ds is not None:
        org = ds.org
        values = dict(name=org.name, full_name=org.full_name, unit_name=org.unit_name,
                      contact_person=org.contact_person, contact_phone=org.contact_phone)
    elif not has_valid(branch):
        org = data.get("org") if isinstance(data, dict) and isinstance(data.get("org"), dict) else {}
        values = {key: _text(org.get(key), size) for key, size in
                  (("name", 30), ("full_name", 50), ("unit_name", 50), ("contact_person", 30))}
    else:
        return
    for key, value in values.items():
        setattr(branch, key, value)
    branch.updated_at = now


def has_valid(branch: Branch) -> bool:
    session = Session.object_session(branch)
    return session.scalar(select(func.count()).select_from(Submission).where(
        Submission.branch_id == branch.id, Submission.valid.is_(True))) > 0


def _text(value: Any, size: int) -> Optional[str]:
    return (value.strip()[:size] or None) if isinstance(value, str) else None


def stored(sub: Submission) -> Stored:
    return Stored(sub.id, sub.token, sub.branch.code if sub.branch_id else None, sub.version, sub.valid,
                  sub.verification_code, sub.created_at, sub.error_count, tuple(sub.warnings or ()))


# ---- reading -----------------------------------------------------------------------------------------


def by_token(session: Session, token: str) -> Optional[Submission]:
    """A submission with its large columns, by the token of its result page."""
    if not isinstance(token, str) or not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", token):
        return None
    return session.scalar(select(Submission).where(Submission.token == token).options(
        undefer(Submission.raw), undefer(Submission.input), undefer(Submission.dataset),
        undefer(Submission.errors), undefer(Submission.warnings), undefer(Submission.figures)))


def load(sub: Submission) -> Dataset:
    """The stored canonical dataset as the domain's Dataset (valid versions only)."""
    if sub.dataset is None:
        raise ValueError(f"submission {sub.id} is not a valid version")
    return schemas.load_dataset(sub.dataset)
