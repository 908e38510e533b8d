"""What the district's charts and its archive read beyond the tables: when each deliverable was sent,
the current campaign, and each branch's 党员总数 per campaign — each in one query, however many branches.

`sent` is a STAND-IN, the one place that says "what was sent when": until per-deliverable 报送
exists (service.store.deliveries.sent, same answer shape), a branch's first valid version of its
current campaign counts as the 报送 of 工作方案 and 附件3—9 (the rule the 报送 migration uses for
the versions stored before it); 阶段性小结 and 工作总结 count as not sent. The integrator re-points
this function at deliveries.sent and nothing else changes.
"""
from __future__ import annotations

from collections import Counter
from typing import Optional

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from service.domain import charts as domain
from service.domain import district
from service.domain.charts import CampaignFigure, Sent

from . import district as queries
from .models import Branch, Submission

STAND_IN_DELIVERABLES = ("work_plan", "tables")  # what a first valid version counts as sent, until 报送 exists


def sent(session: Session) -> dict[str, dict[str, Sent]]:
    """{code: {deliverable: Sent(version, at, 校验码, resent)}} of every branch that sent something."""
    good, first = aliased(Submission), aliased(Submission)
    rows = session.execute(
        select(Branch.code, first.version, first.created_at, first.verification_code)
        .join(good, and_(good.branch_id == Branch.id, good.version == Branch.latest_valid_version))
        .join(first, and_(first.branch_id == Branch.id, first.version == good.campaign_first_version))).all()
    return {r.code: {d: Sent(r.version, r.created_at, r.verification_code) for d in STAND_IN_DELIVERABLES}
            for r in rows}


def member_figures(session: Session) -> tuple[list[domain.MemberFigures], Optional[str]]:
    """Every branch's newest valid version's 附件9 E1, C1, D1 and G1 (the stored figures 全区附件9 adds
    up, read out of the JSON by the database: not the whole table for each branch), by code; and the
    campaign most of these versions belong to (the later one on a tie; None: no valid version yet)."""
    keys = [key for key, _ in domain.MEMBER_CATEGORIES]
    rows = session.execute(
        select(Branch.code, Branch.name, Submission.campaign,
               *(Submission.figures[("campaign_summary", key)].as_integer().label(key) for key in keys))
        .join(Submission, queries.newest_valid()).order_by(Branch.code)).all()
    figures = [domain.MemberFigures(r.code, r.name, {key: int(getattr(r, key) or 0) for key in keys}) for r in rows]
    counts = Counter(r.campaign for r in rows)
    current = max(counts, key=lambda key: (counts[key], key or "")) if counts else None
    return figures, current


def by_campaign(session: Session) -> list[CampaignFigure]:
    """Each branch's 党员总数 (附件9 A1) in every campaign it has a valid version of (its newest there)."""
    value = Submission.figures[("campaign_summary", "A1")].as_integer()
    rows = session.execute(
        select(Branch.code, Branch.name, Submission.campaign, Submission.version, value.label("value"))
        .join(Submission, Submission.branch_id == Branch.id).where(Submission.valid.is_(True))
        .order_by(Branch.code, Submission.campaign, Submission.version)).all()
    newest: dict[tuple[str, Optional[str]], CampaignFigure] = {}
    for r in rows:  # by version: the last one of a (branch, campaign) stays
        newest[(r.code, r.campaign)] = CampaignFigure(r.code, r.name, r.campaign, int(r.value or 0))
    return list(newest.values())


def campaigns(session: Session) -> list[Optional[str]]:
    """The campaigns valid versions belong to."""
    return list(session.scalars(select(Submission.campaign).where(Submission.valid.is_(True)).distinct()).all())


def findings_counts(session: Session) -> list[district.BranchFindings]:
    """Every branch (by code) with its newest valid version's stored findings counts — the counts the
    findings overview adds up (store.district.latest_findings), without the newest version beside it."""
    rows = session.execute(
        select(Branch.code, Branch.name, Submission.version, Submission.findings_count, Submission.in_scope)
        .outerjoin(Submission, queries.newest_valid()).order_by(Branch.code)).all()
    return [district.BranchFindings(
        code=r.code, name=r.name, latest_version=None, latest_valid=False, latest_errors=0, latest_submitted_at=None,
        valid_version=r.version, valid_submitted_at=None, in_scope=r.in_scope,
        by_rule=(r.findings_count or {}).get("by_rule", {}) if r.version is not None else {}) for r in rows]


def charts(session: Session, today) -> dict:
    """Every chart's data (service.domain.charts), read as the district tables and the findings overview are."""
    figures, current = member_figures(session)
    overview = district.findings_overview(findings_counts(session))
    keys = campaigns(session)
    return domain.charts(figures, overview, sent(session), len(overview["branches"]), current,
                         keys, by_campaign(session) if len(keys) > 1 else [], today)
