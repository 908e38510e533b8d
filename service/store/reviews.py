"""The district's 核查 of a version: 已核查 or 退回修改 with a reason; every decision is kept.

A 退回修改 reopens every deliverable sent from the version sent back (store.deliveries.reopen).
A branch's review state is that of its newest valid version: the last decision on it, or 待核查
while there is none (a new version after a 退回 is 待核查 again). A branch without a valid version
has nothing to review.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.review import LABELS, RETURNED, STATE_LABELS
from service.errors import NotValidVersion

from . import deliveries
from .models import Review, Submission


def add(session: Session, sub: Submission, decision: str, reason: Optional[str], reviewer: Optional[str],
        now: datetime) -> Review:
    """Record a decision on a valid version. The decision, reason and reviewer come from the review body's
    schema (schemas.requests.load_review), which has checked them; only the version's state is checked here."""
    if not sub.valid:
        raise NotValidVersion(f"第{sub.version}版未通过校验，没有可核查的数据；请等待支部重新报送")
    review = Review(submission_id=sub.id, decision=decision, reason=reason, reviewer=reviewer, created_at=now)
    session.add(review)
    session.flush()
    if decision == RETURNED:  # the deliverables sent from this version are to be sent again
        deliveries.reopen(session, sub, now)
    return review


def as_dict(review: Review, version: Optional[int]) -> dict:
    return {"version": version, "decision": review.decision, "label": LABELS[review.decision],
            "reason": review.reason, "reviewer": review.reviewer, "reviewed_at": review.created_at.isoformat()}


def state(latest_valid_version: Optional[int], last: Optional[Review]) -> dict:
    """The branch's review state: none, pending, verified or returned, with the decision behind it."""
    if latest_valid_version is None:
        key = "none"
    else:
        key = last.decision if last is not None else "pending"
    out = {"state": key, "label": STATE_LABELS[key], "version": latest_valid_version,
           "reason": None, "reviewer": None, "reviewed_at": None}
    if last is not None:
        out.update(reason=last.reason, reviewer=last.reviewer, reviewed_at=last.created_at.isoformat())
    return out


def last_by_submission(session: Session, submission_ids: list[int]) -> dict[int, Review]:
    """The newest review of each of these submissions, in one query."""
    if not submission_ids:
        return {}
    out: dict[int, Review] = {}
    for review in session.scalars(select(Review).where(Review.submission_id.in_(submission_ids)).order_by(Review.id)):
        out[review.submission_id] = review
    return out


def history(session: Session, branch_id: int) -> list[tuple[Review, int]]:
    """Every review of a branch's versions, oldest first, with the version it concerns."""
    rows = session.execute(select(Review, Submission.version).join(Submission, Review.submission_id == Submission.id)
                           .where(Submission.branch_id == branch_id).order_by(Review.id))
    return [(review, version) for review, version in rows]
