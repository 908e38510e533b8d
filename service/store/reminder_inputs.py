"""What reminders read, all of it here: the branches as the rules see them, and the campaign's deadlines.

A STAND-IN until the register and 报送 land (issue 18 parts 1 and 2, branches `campaign` and
`deliver`). For now:
  - branches: every stored branch (service.store.models.Branch), by code, with its stored name
    (its code when it has none) and NO e-mail addresses (the stored branches keep none, so e-mail
    reminders are logged 「该党组织未登记电子邮箱」 as no_channel);
  - sent: {work_plan, tables} for a branch with a valid version (latest_valid_version set), nothing
    otherwise — the migration's rule for existing data: a first valid version counts as the 报送 of
    the 工作方案 and of the tables, never of the 阶段性小结 or the 工作总结;
  - deadlines: the notice's (service.domain.deadlines.from_key(None), i.e. model.Deadlines()).
When they land, re-point these three functions — the register's branches with their e-mails and each
branch's deliverables 报送 (service/store/deliveries.py: sent(db)), and service/store/campaign.py:
deadlines(db) — and nothing else of reminders changes.
"""
from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.deadlines import from_key
from service.domain.model import Deadlines
from service.domain.reminders import Branch

from .models import Branch as StoredBranch

SENT_WITH_A_VALID_VERSION = frozenset({"work_plan", "tables"})


def _branch(code: str, name: Optional[str], latest_valid_version: Optional[int]) -> Branch:
    return Branch(code, name or code, (), SENT_WITH_A_VALID_VERSION if latest_valid_version is not None else frozenset())


def branches(session: Session) -> list[Branch]:
    """Every branch reminders may name, by code."""
    rows = session.execute(select(StoredBranch.code, StoredBranch.name, StoredBranch.latest_valid_version)
                           .order_by(StoredBranch.code))
    return [_branch(*row) for row in rows]


def branch(session: Session, code: str) -> Optional[Branch]:
    """One branch as the rules see it; None when there is no such branch."""
    row = session.execute(select(StoredBranch.code, StoredBranch.name, StoredBranch.latest_valid_version)
                          .where(StoredBranch.code == code)).first()
    return _branch(*row) if row is not None else None


def deadlines(session: Session) -> Deadlines:
    """The campaign's four deadlines."""
    return from_key(None)
