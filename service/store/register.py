"""The district's register of branches (issue 18 part 1): add and update by code, never delete a branch
with stored versions, and the notices a stored dataset gets against the register and the campaign.

Registering a code also makes its row in branches (with the register's names while the branch has
sent nothing), so the list, the totals and the charts count it from day one.
"""
from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Iterable, Optional

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from service.domain import register as reg
from service.domain.model import Dataset
from service.errors import BranchHasSubmissions, UnknownBranch

from . import campaign as campaigns
from .models import Branch, Submission
from .register_tables import RegisteredBranch

FIELDS = ("code", "name", "full_name", "unit_name", "org_type", "contact", "phone", "emails", "state", "merged_into")


def exists_any(session: Session) -> bool:
    """Whether the district has a register at all (before it has one, no code is flagged)."""
    return session.scalar(select(exists().select_from(RegisteredBranch))) or False


def states(session: Session) -> dict[str, str]:
    """{code: state} of every registered branch, in one query (the lists' flags)."""
    return dict(session.execute(select(RegisteredBranch.code, RegisteredBranch.state)).tuples().all())


def as_dict(row: RegisteredBranch, sent: Optional[int] = None) -> dict:
    out = {key: getattr(row, key) for key in FIELDS}
    out["emails"] = list(row.emails or [])
    out["state_label"] = reg.STATE_LABELS[row.state]
    out["versions"] = sent or 0
    return out


def listing(session: Session) -> list[dict]:
    """Every registered branch by code, with how many versions it has stored."""
    rows = session.execute(select(RegisteredBranch, Branch.latest_version)
                           .outerjoin(Branch, Branch.code == RegisteredBranch.code)
                           .order_by(RegisteredBranch.code)).all()
    return [as_dict(row, sent) for row, sent in rows]


def upsert(session: Session, entries: Iterable, now: datetime) -> dict:
    """Add or update each entry (a schemas.register.RegisterEntry) by code; {"added", "updated"}.
    Fields an entry leaves out keep their stored values when the branch is already registered."""
    entries = list(entries)
    known = {r.code: r for r in session.scalars(
        select(RegisteredBranch).where(RegisteredBranch.code.in_([e.code for e in entries])))}
    branches = {b.code: b for b in session.scalars(select(Branch).where(Branch.code.in_([e.code for e in entries])))}
    added, updated = [], []
    for entry in entries:
        values = {k: v for k, v in asdict(entry).items() if k in FIELDS}
        row = known.get(entry.code)
        if row is None:
            row = RegisteredBranch(created_at=now, **values)
            session.add(row)
            added.append(entry.code)
        else:
            for key, value in values.items():
                if value is not None and (key != "emails" or value):
                    setattr(row, key, value)
            if entry.state != reg.MERGED:
                row.merged_into = None
            updated.append(entry.code)
        row.updated_at = now
        branch = branches.get(entry.code)
        if branch is None:  # the list, totals and charts count it from day one
            session.add(Branch(code=entry.code, name=entry.name, full_name=entry.full_name,
                               unit_name=entry.unit_name, contact_person=entry.contact, contact_phone=entry.phone,
                               created_at=now, updated_at=now))
        elif branch.latest_version is None:  # nothing sent yet: the district's names are the only ones
            branch.name, branch.full_name, branch.unit_name = entry.name, entry.full_name, entry.unit_name
            branch.contact_person, branch.contact_phone, branch.updated_at = entry.contact, entry.phone, now
    session.flush()
    return {"added": added, "updated": updated}


def delete(session: Session, code: str) -> None:
    """Remove a registered branch that has stored nothing; one with versions is marked 撤销 or 合并 instead."""
    row = session.scalar(select(RegisteredBranch).where(RegisteredBranch.code == code).with_for_update())
    if row is None:
        raise UnknownBranch(f"名单中没有编号为「{code}」的党组织")
    branch = session.scalar(select(Branch).where(Branch.code == code).with_for_update())
    if branch is not None:
        sent = session.scalar(select(func.count()).select_from(Submission).where(Submission.branch_id == branch.id))
        if sent:
            raise BranchHasSubmissions(
                f"「{code} {row.name}」已报送过 {sent} 版数据，不能从名单中删除；如该党组织已撤销或已合并，"
                "请把它的状态改为撤销（withdrawn）或合并（merged，并写明并入的编号）")
        session.delete(branch)
    session.delete(row)
    session.flush()


def notices(session: Session, code: Optional[str], ds: Optional[Dataset], data=None) -> list[dict]:
    """The warnings a dataset gets when it is stored: its code not in the district's register (once
    one exists), its own campaign block (in `data`, the input as read) differing from the district's."""
    out = []
    if code and exists_any(session) and session.scalar(
            select(RegisteredBranch.id).where(RegisteredBranch.code == code)) is None:
        out.append(reg.not_registered(code))
    district = campaigns.current(session)
    if ds is not None and district is not None:
        differs = reg.campaign_notice(district, ds.campaign, data.get("campaign") if isinstance(data, dict) else None)
        if differs is not None:
            out.append(differs)
    return out


def flag(registered: dict[str, str], code: str) -> Optional[str]:
    """The district's flag for a branch not in its register (None when it is, or there is none)."""
    return reg.NOT_REGISTERED_TEXT if registered and code not in registered else None
