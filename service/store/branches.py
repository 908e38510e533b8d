"""The district's view of its branches: the list (a fixed number of queries however many branches)
and one branch with its versions, figures, findings, reviews and what changed since a 退回.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session, undefer

from service.domain import deadlines
from service.domain.diff import dataset_diff
from service.errors import NotValidVersion, UnknownBranch, UnknownVersion

from . import reviews
from .models import Branch, Review, Submission
from .submissions import load


def newest_versions(valid_only: bool) -> Select:
    """(branch_id, version) of each branch's newest version (valid ones only, if asked)."""
    query = select(Submission.branch_id, func.max(Submission.version).label("version")).where(
        Submission.branch_id.is_not(None))
    if valid_only:
        query = query.where(Submission.valid.is_(True))
    return query.group_by(Submission.branch_id)


def submissions_at(newest) -> Select:
    """The submissions a (branch_id, version) subquery names."""
    sub = newest.subquery()
    return select(Submission).join(sub, and_(Submission.branch_id == sub.c.branch_id,
                                             Submission.version == sub.c.version))


LINE = (Submission.branch_id, Submission.version, Submission.valid, Submission.source, Submission.actor,
        Submission.created_at, Submission.verification_code, Submission.content_hash, Submission.error_count,
        Submission.finding_count, Submission.in_scope, Submission.campaign)
LOST_CONTACT = Submission.figures[("campaign_summary", "E1")].as_integer()  # 附件9 E1 失联, read in the query
IDENTITY = (Branch.id, Branch.code, Branch.name, Branch.full_name, Branch.unit_name, Branch.contact_person,
            Branch.contact_phone)


def lines_at(newest, *extra) -> Select:
    """The list's columns (rows, not ORM objects: a list of thousands reads fast) of the submissions a
    (branch_id, version) subquery names."""
    sub = newest.subquery()
    return select(*LINE, *extra).join(sub, and_(Submission.branch_id == sub.c.branch_id,
                                                Submission.version == sub.c.version))


def overview(session: Session, now: datetime) -> list[dict]:
    """Every branch, by code: its newest version, newest valid one, review state and deadlines."""
    branches = session.execute(select(*IDENTITY).order_by(Branch.code)).all()
    latest = {s.branch_id: s for s in session.execute(lines_at(newest_versions(False)))}
    valid = {s.branch_id: s for s in session.execute(lines_at(newest_versions(True), Submission.findings_count,
                                                             LOST_CONTACT.label("lost_contact")))}
    firsts = first_valid(session)
    counts = {row.branch_id: row for row in session.execute(
        select(Submission.branch_id, func.count().label("versions"),
               func.sum(case((Submission.valid.is_(True), 0), else_=1)).label("rejected"))
        .where(Submission.branch_id.is_not(None)).group_by(Submission.branch_id))}
    newest_valid = newest_versions(True).subquery()
    last_reviews: dict[int, Review] = {}
    for review, branch_id in session.execute(
            select(Review, Submission.branch_id).join(Submission, Review.submission_id == Submission.id)
            .join(newest_valid, and_(Submission.branch_id == newest_valid.c.branch_id,
                                     Submission.version == newest_valid.c.version)).order_by(Review.id)):
        last_reviews[branch_id] = review
    out = []
    for branch in branches:
        good = valid.get(branch.id)
        row = counts.get(branch.id)
        out.append({
            **describe(branch),
            "versions": row.versions if row else 0,
            "rejected": int(row.rejected or 0) if row else 0,
            "latest": version_line(latest.get(branch.id)),
            "latest_valid": version_line(good),
            "findings": good.findings_count if good else None,
            "lost_contact": good.lost_contact if good else None,
            "review": reviews.state(good.version if good else None, last_reviews.get(branch.id)),
            "deliverables": deliverables(good, firsts, branch.id, now),
        })
    return out


def first_valid(session: Session, branch_id: Optional[int] = None) -> dict[tuple[int, str], tuple[int, datetime]]:
    """{(branch_id, campaign): (version, received)} of each campaign's first valid version."""
    first = select(Submission.branch_id, Submission.campaign, func.min(Submission.version).label("version")).where(
        Submission.valid.is_(True), Submission.branch_id.is_not(None))
    if branch_id is not None:
        first = first.where(Submission.branch_id == branch_id)
    first = first.group_by(Submission.branch_id, Submission.campaign).subquery()
    rows = session.execute(select(Submission.branch_id, Submission.campaign, Submission.version, Submission.created_at)
                           .join(first, and_(Submission.branch_id == first.c.branch_id,
                                             Submission.version == first.c.version)))
    return {(r.branch_id, r.campaign): (r.version, r.created_at) for r in rows}


def deliverables(good, firsts: dict, branch_id: int, now: datetime) -> list[dict]:
    """The four deliverables against the deadlines of the branch's current campaign."""
    campaign = good.campaign if good is not None else None
    found = firsts.get((branch_id, campaign)) if campaign else None
    return [{"deliverable": s.deliverable, "deadline": s.deadline.isoformat(), "status": s.status,
             "label": s.label, "version": s.version,
             "submitted_at": s.submitted_at.isoformat() if s.submitted_at else None}
            for s in deadlines.statuses(deadlines.from_key(campaign), found, now)]


def describe(branch) -> dict:
    return {"code": branch.code, "name": branch.name, "full_name": branch.full_name, "unit_name": branch.unit_name,
            "contact_person": branch.contact_person, "contact_phone": branch.contact_phone}


def version_line(sub) -> Optional[dict]:
    """A version as lists show it: number, validity, when, how, its 校验码 and counts."""
    if sub is None:
        return None
    return {"version": sub.version, "valid": sub.valid, "source": sub.source, "actor": sub.actor,
            "submitted_at": sub.created_at.isoformat(), "verification_code": sub.verification_code,
            "content_hash": sub.content_hash, "errors": sub.error_count, "findings": sub.finding_count,
            "in_scope": sub.in_scope}


# ---- one branch ------------------------------------------------------------------------------------------


def get(session: Session, code: str) -> Branch:
    branch = session.scalar(select(Branch).where(Branch.code == code)) if isinstance(code, str) else None
    if branch is None:
        raise unknown(code)
    return branch


def unknown(code: str) -> UnknownBranch:
    """What a branch that does not exist answers; a branch outside the caller's scope answers the same."""
    return UnknownBranch(f"没有编号为「{code}」的支部：该支部尚未报送过数据")


def version(session: Session, branch: Branch, number: int, *large) -> Submission:
    """One version of a branch, with the large columns named."""
    sub = session.scalar(select(Submission).where(Submission.branch_id == branch.id, Submission.version == number)
                         .options(*[undefer(c) for c in large]))
    if sub is None:
        raise UnknownVersion(f"支部「{branch.code}」没有第{number}版（共报送 {count(session, branch)} 版）")
    return sub


def count(session: Session, branch: Branch) -> int:
    return session.scalar(select(func.count()).select_from(Submission).where(Submission.branch_id == branch.id))


def latest_valid(session: Session, branch: Branch, *large) -> Optional[Submission]:
    return session.scalar(select(Submission).where(Submission.branch_id == branch.id, Submission.valid.is_(True))
                          .order_by(Submission.version.desc()).limit(1).options(*[undefer(c) for c in large]))


def detail(session: Session, code: str, now: datetime) -> dict:
    """One branch: every version (newest first), the newest valid one's figures and findings, the
    newest version's errors when it failed, every review, and the diff since the last 退回."""
    branch = get(session, code)
    subs = session.scalars(select(Submission).where(Submission.branch_id == branch.id)
                           .order_by(Submission.version.desc())).all()
    history = reviews.history(session, branch.id)
    last = {}
    for review, number in history:
        last[number] = review
    good = next((s for s in subs if s.valid), None)
    newest = subs[0]
    return {
        **describe(branch),
        "versions": [{**version_line(s), "review": reviews.as_dict(last[s.version], s.version)
                      if s.version in last else None} for s in subs],
        "latest_valid": current(session, good),
        "latest_errors": session.scalar(select(Submission.errors).where(Submission.id == newest.id))
        if not newest.valid else [],
        "review": reviews.state(good.version if good else None, last.get(good.version) if good else None),
        "reviews": [reviews.as_dict(r, n) for r, n in history],
        "deliverables": deliverables(good, first_valid(session, branch.id), branch.id, now),
        "since_returned": since_returned(session, branch, history, good),
    }


def current(session: Session, good: Optional[Submission]) -> Optional[dict]:
    if good is None:
        return None
    figures, findings = session.execute(select(Submission.figures, Submission.findings)
                                        .where(Submission.id == good.id)).one()
    return {**version_line(good), "figures": figures, "warnings": findings, "findings_count": good.findings_count}


def since_returned(session: Session, branch: Branch, history, good: Optional[Submission]) -> Optional[dict]:
    """After a 退回, what the newest valid version changed against the version sent back."""
    returned = [number for review, number in history if review.decision == "returned"]
    if not returned or good is None or good.version <= returned[-1]:
        return None
    old = version(session, branch, returned[-1], Submission.dataset)
    new = version(session, branch, good.version, Submission.dataset)
    return {"from_version": old.version, "to_version": new.version, "diff": dataset_diff(load(old), load(new))}


def diff(session: Session, code: str, n: int, m: int) -> dict:
    """What changed from version n to version m (both valid) of a branch."""
    branch = get(session, code)
    old, new = (version(session, branch, k, Submission.dataset) for k in (n, m))
    for sub in (old, new):
        if not sub.valid:
            raise NotValidVersion(f"第{sub.version}版未通过校验，没有可比较的数据；请选择通过校验的版本")
    return {"code": branch.code, "from_version": n, "to_version": m, **dataset_diff(load(old), load(new))}
