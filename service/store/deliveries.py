"""报送, one deliverable at a time (issue 18 part 2): the acts kept in the deliveries table
(delivery_tables), and what the district, the reminders and the charts read of them.

deliver() records a 报送 of one valid version for one deliverable, replacing the current one (history
kept); reopen() is what a 退回修改 does to the 报送 made from the version sent back; sent() gives every
branch's current 报送 in one query.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from service.clock import beijing_day
from service.domain import deadlines, delivery
from service.domain.catalog import DELIVERABLE_IDS, DELIVERABLE_LABELS
from service.domain.delivery import Sent
from service.domain.model import Deadlines
from service.errors import DeliverableIncomplete, NotValidVersion, UnknownVersion

from .db import Database
from .delivery_tables import Delivery
from .models import Branch, Submission


def sent(db: Database) -> dict[str, dict[str, Sent]]:
    """{branch code: {deliverable: Sent}} of every branch's current 报送, for the district, the reminders
    and the charts. A deliverable reopened by a 退回修改, or never sent, is absent."""
    with db.reading() as session:
        return sent_in(session)


def sent_in(session: Session, branch_id: Optional[int] = None) -> dict[str, dict[str, Sent]]:
    """sent() in the caller's session (one branch's only, when branch_id is given); two queries."""
    where = [Delivery.is_current.is_(True)]
    earlier_where = [Delivery.is_current.is_(False)]  # replaced, or reopened by a 退回修改
    if branch_id is not None:
        where.append(Delivery.branch_id == branch_id)
        earlier_where.append(Delivery.branch_id == branch_id)
    replaced = {(b, d) for b, d in session.execute(
        select(Delivery.branch_id, Delivery.deliverable).where(*earlier_where).distinct())}
    out: dict[str, dict[str, Sent]] = {}
    for row in session.execute(select(Branch.code, Delivery.branch_id, Delivery.deliverable, Delivery.version,
                                      Delivery.sent_at, Delivery.verification_code)
                               .join(Branch, Branch.id == Delivery.branch_id).where(*where)):
        out.setdefault(row.code, {})[row.deliverable] = Sent(
            row.version, row.sent_at, row.verification_code, (row.branch_id, row.deliverable) in replaced)
    return out


def pick(session: Session, branch: Branch, number: Optional[int]) -> Submission:
    """The version to send, its dataset loaded: version `number`, or the newest valid one when None."""
    if number is not None:
        sub = session.scalar(select(Submission).where(Submission.branch_id == branch.id, Submission.version == number)
                             .options(undefer(Submission.dataset)))
        if sub is None:
            raise UnknownVersion(f"支部「{branch.code}」没有第{number}版，不能报送；请选择已保存的版本")
        return sub
    sub = session.scalar(select(Submission).where(Submission.branch_id == branch.id, Submission.valid.is_(True))
                         .order_by(Submission.version.desc()).limit(1).options(undefer(Submission.dataset)))
    if sub is None:
        raise NotValidVersion(f"支部「{branch.code}」还没有通过校验的版本，没有可报送的数据：请先保存一版通过校验的数据")
    return sub


def deliver(session: Session, branch: Branch, deliverable: str, sub: Submission, actor: Optional[str],
            source: str, now: datetime) -> Delivery:
    """A 报送 of `deliverable` made from the valid version `sub` (its dataset loaded), replacing the current
    one. NotValidVersion for a version that failed validation; DeliverableIncomplete when the 阶段性小结 or
    工作总结 lacks a field it reports on."""
    delivery.check(deliverable)
    if not sub.valid:
        raise NotValidVersion(f"第{sub.version}版未通过校验，不能报送；请选择通过校验的版本，或改正后重新保存")
    items = delivery.missing(deliverable, sub.dataset or {})
    if items:
        raise DeliverableIncomplete(delivery.missing_message(deliverable, items), items)
    # the branch row locked (PostgreSQL: FOR UPDATE; SQLite's writer holds the whole database): two
    # 报送 of one branch at once take turns, so exactly one row per deliverable stays current
    session.execute(select(Branch.id).where(Branch.id == branch.id).with_for_update())
    previous = session.scalar(select(Delivery).where(
        Delivery.branch_id == branch.id, Delivery.deliverable == deliverable, Delivery.is_current.is_(True)))
    row = Delivery(branch_id=branch.id, deliverable=deliverable, submission_id=sub.id, version=sub.version,
                   verification_code=sub.verification_code, actor=(actor or "").strip()[:100] or None,
                   source=source, sent_at=now, is_current=True)
    if previous is not None:
        previous.is_current = False
        session.flush()
    session.add(row)
    session.flush()
    if previous is not None:
        previous.replaced_by = row.id
        session.flush()
    return row


def reopen(session: Session, sub: Submission, now: datetime) -> list[str]:
    """A 退回修改 of `sub`: every current 报送 made from it is no longer current (kept, with when it was
    reopened); the deliverables reopened, in the notice's order."""
    rows = session.scalars(select(Delivery).where(Delivery.submission_id == sub.id, Delivery.is_current.is_(True))).all()
    for row in rows:
        row.is_current = False
        row.reopened_at = now
    session.flush()
    return [d for d in DELIVERABLE_IDS if d in {r.deliverable for r in rows}]


def history(session: Session, branch_id: int) -> dict[str, list[dict]]:
    """Every 报送 of a branch, per deliverable, newest first."""
    out: dict[str, list[dict]] = {}
    for row in session.scalars(select(Delivery).where(Delivery.branch_id == branch_id)
                               .order_by(Delivery.id.desc())):
        out.setdefault(row.deliverable, []).append(as_dict(row))
    return out


def as_dict(row: Delivery) -> dict:
    return {"deliverable": row.deliverable, "version": row.version, "verification_code": row.verification_code,
            "submitted_at": row.sent_at.isoformat(), "actor": row.actor, "source": row.source, "current": row.is_current,
            "replaced": row.replaced_by is not None,
            "reopened_at": row.reopened_at.isoformat() if row.reopened_at else None}


def current_versions(session: Session, deliverable: str) -> dict[int, int]:
    """{branch_id: submission id} of the current 报送 of `deliverable`, every branch."""
    return dict(session.execute(select(Delivery.branch_id, Delivery.submission_id).where(
        Delivery.deliverable == deliverable, Delivery.is_current.is_(True))).all())


def board(session: Session, branch: Branch, due: Deadlines, now: datetime) -> list[dict]:
    """A branch's four deliverables: deadline, status from its own current 报送, that 报送, and every 报送
    of it (newest first); reopened when a 退回修改 took back the last one."""
    current = sent_in(session, branch.id).get(branch.code, {})
    kept = history(session, branch.id)
    out = []
    for row in deadlines.sent_rows(due, current, beijing_day(now)):
        acts = kept.get(row["deliverable"], [])
        out.append({**row, "name": DELIVERABLE_LABELS[row["deliverable"]],
                    "reopened": bool(acts) and acts[0]["reopened_at"] is not None and row["deliverable"] not in current,
                    "history": acts})
    return out


def sent_submission(session: Session, branch: Branch, deliverable: str) -> Optional[Submission]:
    """The version the current 报送 of `deliverable` sent (None: not sent, or reopened)."""
    return session.scalar(select(Submission).join(Delivery, Delivery.submission_id == Submission.id).where(
        Delivery.branch_id == branch.id, Delivery.deliverable == deliverable, Delivery.is_current.is_(True)))
