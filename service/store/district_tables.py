"""The district's own records of issue 20: the 随机抽查 samples drawn, and the campaign archives built.

A sample keeps what was drawn (members with masked ID numbers only), the seed and who drew it, so
its checklist can be made again at any time and the list of draws read back; the audit trail holds
the same request too. An archive row follows its job (building → finished or failed) and, once
finished, points at its zip kept as an artifact. Migration 0019_district creates both.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Json, UTCDateTime, one_of

ARCHIVE_STATES = ("building", "finished", "failed")


class SpotCheck(Base):
    """One 随机抽查 draw."""

    __tablename__ = "spot_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)  # its address
    seed: Mapped[int] = mapped_column(BigInteger)
    branches: Mapped[int] = mapped_column(Integer)  # asked for
    members: Mapped[int] = mapped_column(Integer)
    weighted: Mapped[bool] = mapped_column(Boolean)
    drawn_by: Mapped[str] = mapped_column(String(100))
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sample: Mapped[dict[str, Any]] = mapped_column(Json)  # sampling.Sample.as_dict(): ID numbers masked


class DistrictArchive(Base):
    """One build of the campaign archive."""

    __tablename__ = "district_archives"
    __table_args__ = (one_of("state", ARCHIVE_STATES),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)  # the id the API answers
    state: Mapped[str] = mapped_column(String(10))
    actor: Mapped[Optional[str]] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    total: Mapped[int] = mapped_column(Integer, default=0)  # branches to archive
    done: Mapped[int] = mapped_column(Integer, default=0)  # branches archived so far
    converted: Mapped[int] = mapped_column(Integer, default=0)  # PDF/A files made (the others were kept ones)
    message: Mapped[Optional[str]] = mapped_column(Text)  # why it failed
    artifact_id: Mapped[Optional[int]] = mapped_column(ForeignKey("artifacts.id"))
