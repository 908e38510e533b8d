"""Roster import in the store: the branch's current data, the merge stored as its next version in the same
transaction, confirmed mappings remembered, and rosters waiting on the clerk's page.

The merge is laid over the data read inside the storing transaction, with the branch row locked
(submissions.find_or_create), so a roster never overwrites a version that arrived meanwhile.

Mapping memory: a branch's own confirmed mapping for the same headers comes first; failing that, the
last one anyone in the district confirmed for those headers. The same headers mean the same export
(the national 党员信息 system's, a common 花名册 template), so one clerk's confirmation spares the
others theirs; their own confirmation then takes over for their branch. A mapping holds header texts
and field names only, no member's data, and is only ever a proposal shown for confirmation.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Optional

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, undefer

from service.intake.received import Received

from .db import Database
from .models import Branch, Submission
from .roster_tables import RosterMapping, RosterUpload
from .submissions import ATTEMPTS, Stored, find_or_create, record, stored


@dataclass(frozen=True)
class Current:
    """The data a roster is laid over: the newest valid version's dataset, else the newest version's input."""

    data: Optional[dict]
    version: Optional[int]
    valid: Optional[bool]

    def as_dict(self) -> Optional[dict]:
        return {"version": self.version, "valid": self.valid} if self.version is not None else None


NOTHING = Current(None, None, None)


def current(session: Session, branch_id: Optional[int]) -> Current:
    """What the branch holds now (NOTHING for a branch without versions)."""
    if branch_id is None:
        return NOTHING
    newest_valid = session.scalar(select(Submission).where(Submission.branch_id == branch_id, Submission.valid.is_(True))
                                  .order_by(Submission.version.desc()).limit(1).options(undefer(Submission.dataset)))
    if newest_valid is not None:
        return Current(newest_valid.dataset, newest_valid.version, True)
    newest = session.scalar(select(Submission).where(Submission.branch_id == branch_id)
                            .order_by(Submission.version.desc()).limit(1).options(undefer(Submission.input)))
    if newest is None:
        return NOTHING
    data = newest.input if isinstance(newest.input, dict) else None
    return Current(data, newest.version, False)


def current_of(session: Session, code: str) -> Current:
    return current(session, session.scalar(select(Branch.id).where(Branch.code == code)))


def store_merge(db: Database, code: str, merge: Callable[[Current], tuple[Received, Any]], now: datetime,
                actor: Optional[str], within: Callable[[Session, Submission, Any], None]) -> tuple[Stored, Any]:
    """Lay the roster over the branch's data as it is inside this transaction and store the result as its
    next version (source "roster"); `merge` builds what is stored, `within` writes what commits with it."""
    for attempt in range(ATTEMPTS):
        try:
            with db.writing() as session:
                branch = find_or_create(session, code, now)  # locked: the next version is ours
                received, extra = merge(current(session, branch.id))
                sub = record(session, received, "roster", now, actor, code)
                within(session, sub, extra)
                return stored(sub), extra
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


# ---- mapping memory -----------------------------------------------------------------------------------


def remember(session: Session, code: str, key: str, mapping: list, actor: Optional[str], now: datetime) -> None:
    """Keep the branch's confirmed mapping for these headers (replacing its earlier one)."""
    row = session.scalar(select(RosterMapping).where(RosterMapping.branch_code == code, RosterMapping.key == key))
    if row is None:
        row = RosterMapping(branch_code=code, key=key)
        session.add(row)
    row.mapping, row.actor, row.confirmed_at = mapping, (actor or "")[:100] or None, now
    session.flush()


def recall(session: Session, code: Optional[str], key: str) -> Optional[tuple[list, dict]]:
    """(the kept mapping, {"scope": "branch" or "district", "confirmed_at"}) for these headers, or None."""
    rows = select(RosterMapping).where(RosterMapping.key == key)
    own = session.scalar(rows.where(RosterMapping.branch_code == code)) if code else None
    found = own or session.scalar(rows.order_by(RosterMapping.confirmed_at.desc(), RosterMapping.id.desc()).limit(1))
    if found is None:
        return None
    return found.mapping, {"scope": "branch" if own is not None else "district",
                           "confirmed_at": found.confirmed_at.isoformat()}


# ---- rosters waiting on the clerk's page ------------------------------------------------------------------


def keep_upload(session: Session, code: str, actor: str, filename: Optional[str], content: bytes, now: datetime,
                hours: float) -> str:
    """Keep an uploaded roster for `hours`; its token. Expired ones go as a new one comes."""
    session.execute(delete(RosterUpload).where(RosterUpload.expires_at < now))
    token = secrets.token_urlsafe(18)
    session.add(RosterUpload(token=token, branch_code=code, actor=actor[:100], filename=filename, content=content,
                             created_at=now, expires_at=now + timedelta(hours=hours)))
    session.flush()
    return token


def upload_of(session: Session, token: str, actor: str, content: bool = False) -> Optional[RosterUpload]:
    """The waiting roster behind a page's token, for its uploader only (None otherwise); expired or not."""
    if not isinstance(token, str) or not 16 <= len(token) <= 32:
        return None
    query = select(RosterUpload).where(RosterUpload.token == token, RosterUpload.actor == actor)
    if content:
        query = query.options(undefer(RosterUpload.content))
    return session.scalar(query)


def confirm_upload(session: Session, upload_id: int, sheet: Optional[str], mapping: dict) -> None:
    """The mapping the clerk confirmed on the page (and the sheet it is for), kept for the preview and the store."""
    session.execute(update(RosterUpload).where(RosterUpload.id == upload_id).values(sheet=sheet, mapping=mapping))


def claim_upload(session: Session, upload_id: int, result_token: str) -> Optional[str]:
    """Mark the waiting roster as stored as the version behind `result_token`; when it already was
    (a second click on 导入并保存), the result token it was stored as."""
    done = session.execute(update(RosterUpload).where(RosterUpload.id == upload_id, RosterUpload.stored_token.is_(None))
                           .values(stored_token=result_token))
    if done.rowcount == 1:
        return None
    return session.scalar(select(RosterUpload.stored_token).where(RosterUpload.id == upload_id))
