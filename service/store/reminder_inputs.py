"""What reminders read, all of it here: the branches as the rules see them (with the register's e-mail
addresses and what each has 报送), and the campaign's deadlines.

- branches: once the district has a register, its branches 在册 (a branch marked 撤销 or 合并 is chased
  no more), with their 简称 and e-mail addresses; before it has one, every stored branch, with no
  address (e-mail reminders are then logged 「该党组织未登记电子邮箱」 as no_channel);
- sent: each branch's current 报送 (service/store/deliveries.py) — a deliverable reopened by a
  退回修改 counts as not sent;
- deadlines: the district's campaign (service/store/campaign.py), the notice's until it sets its own.
"""
from __future__ import annotations

from typing import Optional

from sqlalchemy import null, select
from sqlalchemy.orm import Session

from service.domain.model import Deadlines
from service.domain.register import ACTIVE
from service.domain.reminders import Branch

from . import campaign, deliveries, register
from .models import Branch as StoredBranch
from .register_tables import RegisteredBranch


def branches(session: Session) -> list[Branch]:
    """Every branch reminders may name, by code."""
    sent = deliveries.sent_in(session)
    if register.exists_any(session):
        rows = session.execute(select(RegisteredBranch.code, RegisteredBranch.name, RegisteredBranch.emails)
                               .where(RegisteredBranch.state == ACTIVE).order_by(RegisteredBranch.code))
    else:
        rows = session.execute(select(StoredBranch.code, StoredBranch.name, null()).order_by(StoredBranch.code))
    return [_branch(code, name, emails, sent) for code, name, emails in rows]


def branch(session: Session, code: str) -> Optional[Branch]:
    """One branch as the rules see it (registered in any state, or stored); None when there is none."""
    row = session.execute(select(RegisteredBranch.code, RegisteredBranch.name, RegisteredBranch.emails)
                          .where(RegisteredBranch.code == code)).first() \
        or session.execute(select(StoredBranch.code, StoredBranch.name, null())
                           .where(StoredBranch.code == code)).first()
    if row is None:
        return None
    stored = session.scalar(select(StoredBranch.id).where(StoredBranch.code == code))
    sent = deliveries.sent_in(session, stored) if stored is not None else {}
    return _branch(*row, sent)


def _branch(code: str, name: Optional[str], emails, sent: dict) -> Branch:
    return Branch(code, name or code, tuple(emails or ()), frozenset(sent.get(code, {})))


def deadlines(session: Session) -> Deadlines:
    """The campaign's four deadlines: the district's, or the notice's until it defines its own."""
    return campaign.deadlines(session)
