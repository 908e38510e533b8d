"""Which stored version a 校验码 printed on paper belongs to, and whether it is still the current one."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .branches import newest_versions, submissions_at
from .models import Branch, Submission


def lookup(session: Session, code: str) -> list[dict]:
    """Every branch with a valid version carrying the code (nearly always one), oldest version first."""
    rows = session.execute(select(Submission.branch_id, Submission.version, Submission.created_at)
                           .where(Submission.verification_code == code, Submission.valid.is_(True),
                                  Submission.branch_id.is_not(None))
                           .order_by(Submission.branch_id, Submission.version)).all()
    ids = list(dict.fromkeys(r.branch_id for r in rows))
    if not ids:
        return []
    branches = {b.id: b for b in session.scalars(select(Branch).where(Branch.id.in_(ids)))}
    newest = newest_versions(True).where(Submission.branch_id.in_(ids))
    latest = {s.branch_id: s for s in session.scalars(submissions_at(newest))}
    out = []
    for branch_id in ids:
        mine = [r for r in rows if r.branch_id == branch_id]
        branch, current = branches[branch_id], latest[branch_id]
        out.append({"code": branch.code, "name": branch.name, "full_name": branch.full_name,
                    "version": mine[0].version, "versions": [r.version for r in mine],
                    "submitted_at": mine[0].created_at.isoformat(),
                    "is_latest_valid": current.verification_code == code,
                    "latest_valid_version": current.version, "latest_valid_at": current.created_at.isoformat()})
    return out
