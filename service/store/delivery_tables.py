"""The 报送 table: one row per act, never changed but for the pointers that say it is no longer current.

A row is one 报送 of one deliverable (catalog.DELIVERABLE_IDS) of one branch, of one valid version:
its 校验码, who and when. A later 报送 of the same deliverable replaces it (replaced_by points at the
new row, current turns false); a 退回修改 of the version it sent reopens it (reopened_at, current
false). At most one row per branch and deliverable is current. Migration 0016_deliveries creates it.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.domain.catalog import DELIVERABLE_IDS

from .base import Base, UTCDateTime, one_of

DELIVERY_SOURCES = ("page", "api", "migration")


class Delivery(Base):
    """One 报送 of one deliverable."""

    __tablename__ = "deliveries"
    __table_args__ = (
        one_of("deliverable", DELIVERABLE_IDS),
        one_of("source", DELIVERY_SOURCES),
        Index("ix_deliveries_branch_deliverable", "branch_id", "deliverable", "is_current"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    deliverable: Mapped[str] = mapped_column(String(20))
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    verification_code: Mapped[Optional[str]] = mapped_column(String(9))
    actor: Mapped[Optional[str]] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(10))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    is_current: Mapped[bool] = mapped_column(Boolean)
    replaced_by: Mapped[Optional[int]] = mapped_column(ForeignKey("deliveries.id"))
    reopened_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())  # a 退回修改 of its version
