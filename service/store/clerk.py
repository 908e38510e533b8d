"""A stored submission as the clerk's result page shows it: the upload, its problems, the dataset,
the district's review of that version and whether a newer version of the branch exists."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.clock import beijing_day
from service.domain.model import Dataset

from . import reviews
from .models import Branch, Review, Submission
from .submissions import by_token, load

DEFAULT_NAMES = {"xlsx": "数据采集表.xlsx", "json": "数据包.json"}


@dataclass(frozen=True)
class ClerkPage:
    token: str
    kind: str  # xlsx | json | other
    filename: Optional[str]
    raw: bytes
    input: Any  # the contract JSON as read
    errors: list[dict]
    warnings: list[dict]
    dataset: Optional[Dataset]  # valid versions only
    canonical: Optional[dict]
    content_hash: str
    verification_code: Optional[str]
    branch_code: Optional[str]
    version: Optional[int]
    review: Optional[dict]  # the district's last decision on this version: state, label, reason, reviewed_on
    newest_version: Optional[int]  # the branch's newest version, when newer than this one

    @property
    def download_name(self) -> str:
        return self.filename or DEFAULT_NAMES.get(self.kind, "上传的文件")


def submission_page(session: Session, token: str) -> Optional[ClerkPage]:
    sub = by_token(session, token)
    if sub is None:
        return None
    code = session.scalar(select(Branch.code).where(Branch.id == sub.branch_id)) if sub.branch_id else None
    newest = session.scalar(select(func.max(Submission.version)).where(Submission.branch_id == sub.branch_id)) \
        if sub.branch_id else None
    return ClerkPage(
        token=sub.token, kind=sub.raw_kind, filename=sub.filename, raw=sub.raw, input=sub.input,
        errors=sub.errors, warnings=sub.warnings, dataset=load(sub) if sub.valid else None,
        canonical=sub.dataset, content_hash=sub.content_hash, verification_code=sub.verification_code, branch_code=code, version=sub.version,
        review=_review(session, sub), newest_version=newest if newest and newest > (sub.version or 0) else None,
    )


def _review(session: Session, sub: Submission) -> Optional[dict]:
    if not sub.valid:
        return None
    last = session.scalar(select(Review).where(Review.submission_id == sub.id).order_by(Review.id.desc()).limit(1))
    out = reviews.state(sub.version, last)
    if last is not None:  # the day as the clerk counts days: in Beijing
        day = beijing_day(last.created_at)
        out["reviewed_on"] = f"{day.year}年{day.month}月{day.day}日"
    return out
