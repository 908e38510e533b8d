"""The district's view of its branches: the list (a fixed number of queries however many branches)
and one branch with its versions, figures, findings, reviews and what changed since a 退回.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session, aliased, undefer

from service.clock import beijing_day
from service.domain import deadlines
from service.domain.diff import dataset_diff
from service.domain.model import Deadlines
from service.errors import NotValidVersion, UnknownBranch, UnknownVersion

from . import deliveries, gc_pause, register, reviews
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


LINE = (Submission.version, Submission.valid, Submission.source, Submission.actor, Submission.created_at,
        Submission.verification_code, Submission.content_hash, Submission.error_count, Submission.finding_count,
        Submission.in_scope)
LINE_KEYS = ("version", "valid", "source", "actor", "submitted_at", "verification_code", "content_hash", "errors",
             "findings", "in_scope")
IDENTITY = (Branch.id, Branch.code, Branch.name, Branch.full_name, Branch.unit_name, Branch.contact_person,
            Branch.contact_phone)
IDENTITY_KEYS = ("code", "name", "full_name", "unit_name", "contact_person", "contact_phone")


def total(session: Session) -> int:
    """How many branches there are (the list's length)."""
    return session.scalar(select(func.count()).select_from(Branch))


def overview(session: Session, now: datetime, due: Deadlines, offset: int = 0,
             limit: Optional[int] = None) -> list[dict]:
    """Every branch, by code: its newest version, newest valid one, review state, and each deliverable
    against the district's deadlines `due` (store.campaign.deadlines) counted from its own 报送.

    Four queries however many branches: the current 报送 (two), one row per branch (the branch, its newest version and its
    newest valid one, through the version numbers the branch keeps), and the reviews of the newest
    valid versions. The figures come from plain columns stored with each version (only the findings
    counts are JSON); rows, not ORM objects, the deadline statuses worked out once per campaign and
    day (deadlines.as_rows), the garbage collector paused meanwhile (gc_pause): a province's
    thousands of branches read fast. offset and limit: one page of the list (by code)."""
    with gc_pause.paused():  # plain rows, no cycles: the collector would only walk the process again and again
        return _overview(session, now, due, offset, limit)


def _overview(session: Session, now: datetime, due: Deadlines, offset: int, limit: Optional[int]) -> list[dict]:
    latest, good = aliased(Submission), aliased(Submission)
    rows = session.connection().execute(  # Core rows: no ORM bookkeeping for thousands of them
        select(*IDENTITY, Branch.latest_version, Branch.rejected_versions,
               *(getattr(latest, c.key) for c in LINE), *(getattr(good, c.key) for c in LINE),
               good.findings_count, good.lost_contact)
        .outerjoin(latest, and_(latest.branch_id == Branch.id, latest.version == Branch.latest_version))
        .outerjoin(good, and_(good.branch_id == Branch.id, good.version == Branch.latest_valid_version))
        .order_by(Branch.code).offset(offset or None).limit(limit)).all()
    last_reviews = newest_valid_reviews(session)
    registered, sent = register.states(session), deliveries.sent_in(session)
    today = beijing_day(now)
    at_latest = len(IDENTITY) + 2
    at_good = at_latest + len(LINE)
    at_extra = at_good + len(LINE)
    out = []
    for row in rows:
        newest = _line(row[at_latest:at_good])
        valid = _line(row[at_good:at_extra])
        findings_count, lost_contact = row[at_extra:at_extra + 2]
        entry = dict(zip(IDENTITY_KEYS, row[1:at_latest - 2]))
        entry["versions"] = row[at_latest - 2] or 0
        entry["rejected"] = row[at_latest - 1] or 0
        entry["latest"] = newest
        entry["latest_valid"] = valid
        entry["findings"] = findings_count if valid else None
        entry["lost_contact"] = lost_contact if valid else None
        entry["review"] = reviews.state(valid["version"] if valid else None, last_reviews.get(row[0]))
        entry["deliverables"] = deadlines.sent_rows(due, sent.get(entry["code"], {}), today)
        entry.update(on_register(registered, entry["code"]))
        out.append(entry)
    return out


def _line(values: tuple) -> Optional[dict]:
    """A version's LINE columns as lists show it (version_line); None for a version that is not there."""
    if values[0] is None:
        return None
    out = dict(zip(LINE_KEYS, values))
    out["submitted_at"] = values[4].isoformat()
    return out


def newest_valid_reviews(session: Session) -> dict[int, Review]:
    """{branch_id: the last review of its newest valid version}, in one query."""
    out: dict[int, Review] = {}
    for review, branch_id in session.execute(
            select(Review, Submission.branch_id).join(Submission, Review.submission_id == Submission.id)
            .join(Branch, and_(Branch.id == Submission.branch_id, Branch.latest_valid_version == Submission.version))
            .order_by(Review.id)):
        out[branch_id] = review
    return out


def deliverables(session: Session, branch: Branch, due: Deadlines, now: datetime) -> list[dict]:
    """The four deliverables against the district's deadlines, each counted from its own 报送."""
    return deadlines.sent_rows(due, deliveries.sent_in(session, branch.id).get(branch.code, {}), beijing_day(now))


def on_register(registered: dict[str, str], code: str) -> dict:
    """A branch's place in the district's register: registered or not, its state, the flag when not."""
    return {"registered": code in registered, "register_state": registered.get(code),
            "flag": register.flag(registered, code)}


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


def detail(session: Session, code: str, now: datetime, due: Deadlines) -> dict:
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
    newest = subs[0] if subs else None
    return {
        **describe(branch), **on_register(register.states(session), branch.code),
        "versions": [{**version_line(s), "review": reviews.as_dict(last[s.version], s.version)
                      if s.version in last else None} for s in subs],
        "latest_valid": current(session, good),
        "latest_errors": session.scalar(select(Submission.errors).where(Submission.id == newest.id))
        if newest is not None and not newest.valid else [],
        "review": reviews.state(good.version if good else None, last.get(good.version) if good else None),
        "reviews": [reviews.as_dict(r, n) for r, n in history],
        "deliverables": deliverables(session, branch, due, now),
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
