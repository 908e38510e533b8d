"""The 随机抽查 draws kept: save one, read one by its token, list them newest first."""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.errors import UnknownSpotCheck

from .district_tables import SpotCheck

NOT_FOUND = "没有编号为「{token}」的随机抽查记录：请从随机抽查页面的记录列表进入"


def save(session: Session, sample: dict, drawn_by: str, at: datetime) -> SpotCheck:
    row = SpotCheck(token=secrets.token_hex(8), seed=sample["seed"], branches=sample["branches_asked"],
                    members=sample["members_asked"], weighted=sample["weighted"], drawn_by=drawn_by[:100],
                    drawn_at=at, sample=sample)
    session.add(row)
    session.flush()
    return row


def get(session: Session, token: str) -> SpotCheck:
    row = session.scalar(select(SpotCheck).where(SpotCheck.token == token[:32]))
    if row is None:
        raise UnknownSpotCheck(NOT_FOUND.format(token=token[:32]))
    return row


def listed(session: Session, limit: int = 50, before: Optional[int] = None) -> tuple[list[SpotCheck], int]:
    """The newest draws (at most `limit`) and how many there are in all."""
    total = session.scalar(select(func.count()).select_from(SpotCheck))
    rows = session.scalars(select(SpotCheck).order_by(SpotCheck.id.desc()).limit(limit)).all()
    return list(rows), total


def as_dict(row: SpotCheck, with_sample: bool = True) -> dict:
    out = {"id": row.token, "seed": row.seed, "branches": row.branches, "members": row.members,
           "weighted": row.weighted, "drawn_by": row.drawn_by, "drawn_at": row.drawn_at.isoformat(),
           "drawn_branches": len(row.sample.get("branches", [])),
           "drawn_members": sum(len(b["members"]) for b in row.sample.get("branches", []))}
    if with_sample:
        out["sample"] = row.sample
    return out
