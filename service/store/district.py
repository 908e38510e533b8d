"""The district's queries: every branch at once, in a fixed number of queries however many there are,
each branch's newest and newest valid version found by the numbers the branch keeps (no GROUP BY).

The figures, findings counts and the number of errors were stored with each version when it
arrived (submissions.record), so nothing here reads a dataset or re-validates anything: the
tables need one query for every branch's newest valid version (its figures and, from the stored
JSON, its 统计截止日期), the findings overview one for every branch's newest version beside its
newest valid one.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from service.domain.district import BranchFigures, BranchFindings
from service.domain.register import ACTIVE

from .delivery_tables import Delivery
from .models import Branch, Submission
from .register_tables import RegisteredBranch

TABLES = "tables"  # the deliverable whose 报送 the district's totals and 核查情况 read


def newest_valid():
    """The join condition of each branch's newest valid version (the number the branch keeps)."""
    return and_(Submission.branch_id == Branch.id, Submission.version == Branch.latest_valid_version)


def as_sent(sent):
    """The join condition of each branch's tables as sent (the version of the current 报送 of 附件3—9,
    joined as `sent` by sent_tables()), or its newest valid version where nothing is sent."""
    return or_(Submission.id == sent.submission_id, and_(sent.id.is_(None), newest_valid()))


def sent_tables(query, sent):
    """`query` with each branch's current 报送 of the tables outer-joined as `sent`."""
    return query.outerjoin(sent, and_(sent.branch_id == Branch.id, sent.deliverable == TABLES,
                                      sent.is_current.is_(True)))


def _stats_date(value) -> Optional[date]:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def latest_figures(session: Session) -> tuple[list[BranchFigures], int]:
    """Every branch's tables as sent (by code) — its newest valid version where it sent none (sent False,
    「未报送，按最新有效版本」) — and how many branches have no valid version."""
    stats_date = Submission.dataset[("campaign", "stats_date")].as_string()
    sent = aliased(Delivery)
    rows = session.execute(sent_tables(
        select(Branch.code, Branch.name, Submission.version, Submission.figures, stats_date.label("stats_date"),
               sent.id.label("sent_id")), sent)
        .join(Submission, as_sent(sent)).order_by(Branch.code))
    branches = [BranchFigures(r.code, r.name, r.version, r.figures, _stats_date(r.stats_date), r.sent_id is not None)
                for r in rows]
    waited = session.scalar(select(func.count()).select_from(Branch).outerjoin(  # 撤销/合并 and silent: not waited for
        RegisteredBranch, RegisteredBranch.code == Branch.code).where(or_(
            RegisteredBranch.state.is_(None), RegisteredBranch.state == ACTIVE, Branch.latest_valid_version.is_not(None))))
    return branches, waited - len(branches)


def latest_findings(session: Session) -> list[BranchFindings]:
    """Every branch (by code) with its newest version and its newest valid one's findings counts."""
    last, good = aliased(Submission), aliased(Submission)
    rows = session.execute(
        select(Branch.code, Branch.name,
               last.version.label("latest_version"), last.valid.label("latest_valid"),
               last.error_count, last.created_at.label("latest_at"),
               good.version.label("valid_version"), good.created_at.label("valid_at"),
               good.findings_count, good.in_scope)
        .outerjoin(last, and_(last.branch_id == Branch.id, last.version == Branch.latest_version))
        .outerjoin(good, and_(good.branch_id == Branch.id, good.version == Branch.latest_valid_version))
        .order_by(Branch.code))
    return [BranchFindings(
        code=r.code, name=r.name, latest_version=r.latest_version, latest_valid=bool(r.latest_valid),
        latest_errors=r.error_count or 0, latest_submitted_at=_iso(r.latest_at),
        valid_version=r.valid_version, valid_submitted_at=_iso(r.valid_at),
        by_rule=(r.findings_count or {}).get("by_rule", {}) if r.valid_version is not None else {},
        in_scope=r.in_scope) for r in rows]


def unidentified(session: Session) -> int:
    """Stored input in which no branch code could be read (kept, but no branch's version)."""
    return session.scalar(select(func.count()).select_from(Submission).where(Submission.branch_id.is_(None)))


def _iso(moment) -> Optional[str]:
    return moment.isoformat() if moment is not None else None


@dataclass(frozen=True)
class Kept:
    """A branch's tables as sent (or newest valid version), as its documents are found or made from it."""

    code: str
    submission_id: int
    version: int
    content_hash: str
    sent: bool = True  # False: nothing sent, the newest valid version stands in


def latest_valid_versions(session: Session) -> list[Kept]:
    """Every branch's tables as sent, its newest valid version where it sent none (by code): what its
    核查情况 is made from."""
    sent = aliased(Delivery)
    rows = session.execute(sent_tables(
        select(Branch.code, Submission.id, Submission.version, Submission.content_hash, sent.id.label("sent_id")), sent)
        .join(Submission, as_sent(sent)).order_by(Branch.code))
    return [Kept(r.code, r.id, r.version, r.content_hash, r.sent_id is not None) for r in rows]


def dataset_of(session: Session, submission_id: int) -> dict:
    """The stored canonical dataset of a valid version (read only when a document must be made)."""
    data = session.scalar(select(Submission.dataset).where(Submission.id == submission_id))
    if data is None:
        raise ValueError(f"submission {submission_id} has no dataset (not a valid version)")
    return data
