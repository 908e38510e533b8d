"""What the district's charts and its archive read beyond the tables: when each deliverable was sent,
the current campaign, and each branch's 党员总数 per campaign — each in a fixed number of queries,
however many branches.

`sent` is the one place the charts and the archive ask "what was sent when": each deliverable's
current 报送 (service.store.deliveries); a deliverable reopened by a 退回修改 counts as not sent.
The members chart reads the tables as 附件9 does: as sent, the newest valid version where none was.
"""
from __future__ import annotations

from collections import Counter
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from service.domain import charts as domain
from service.domain import district
from service.domain.charts import CampaignFigure
from service.domain.delivery import Sent

from . import deliveries
from . import district as queries
from .delivery_tables import Delivery
from .models import Branch, Submission

def sent(session: Session) -> dict[str, dict[str, Sent]]:
    """{code: {deliverable: Sent(version, at, 校验码, resent)}} of every branch that sent something."""
    return deliveries.sent_in(session)


def member_figures(session: Session) -> tuple[list[domain.MemberFigures], Optional[str]]:
    """Every branch's tables as sent (its newest valid version where it sent none): 附件9's E1, C1, D1
    and G1 (the stored figures 全区附件9 adds up, read out of the JSON by the database: not the whole
    table for each branch), by code; and the
    campaign most of these versions belong to (the later one on a tie; None: no valid version yet)."""
    keys = [key for key, _ in domain.MEMBER_CATEGORIES]
    sent = aliased(Delivery)
    rows = session.execute(
        queries.sent_tables(select(Branch.code, Branch.name, Submission.campaign,
                                   *(Submission.figures[("campaign_summary", key)].as_integer().label(key)
                                     for key in keys)), sent)
        .join(Submission, queries.as_sent(sent)).order_by(Branch.code)).all()
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
