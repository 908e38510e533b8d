"""The campaign archive's rows: start one, move it on, finish or fail it, find the newest finished one."""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from .district_tables import DistrictArchive


def start(session: Session, actor: Optional[str], total: int, at: datetime) -> DistrictArchive:
    row = DistrictArchive(token=secrets.token_hex(8), state="building", actor=(actor or None) and actor[:100],
                          created_at=at, total=total, done=0, converted=0)
    session.add(row)
    session.flush()
    return row


def get(session: Session, token: str) -> Optional[DistrictArchive]:
    return session.scalar(select(DistrictArchive).where(DistrictArchive.token == token[:32]))


def newest(session: Session, state: Optional[str] = None) -> Optional[DistrictArchive]:
    query = select(DistrictArchive)
    if state:
        query = query.where(DistrictArchive.state == state)
    return session.scalar(query.order_by(DistrictArchive.id.desc()).limit(1))


def listed(session: Session, limit: int = 20) -> list[DistrictArchive]:
    return list(session.scalars(select(DistrictArchive).order_by(DistrictArchive.id.desc()).limit(limit)))


def advance(session: Session, token: str, done: int, converted: int) -> None:
    row = get(session, token)
    if row is not None and row.state == "building":
        row.done, row.converted = done, converted


def finish(session: Session, token: str, artifact_id: int, converted: int, at: datetime) -> None:
    row = get(session, token)
    row.state, row.artifact_id, row.converted, row.finished_at, row.done = "finished", artifact_id, converted, at, row.total


def fail(session: Session, token: str, message: str, at: datetime) -> None:
    row = get(session, token)
    if row is not None:
        row.state, row.message, row.finished_at = "failed", message[:2000], at
