"""The tables of batch regeneration: a batch (what was asked, by whom, its counts) and one item per branch.

Progress and every branch's result live here, not in the queue: a job carries an item's id only,
so a lost job or a killed worker loses nothing the database does not still say. An item belongs
to one batch and one branch (a unique pair), is claimed under a lease (who holds it, until when)
that its holder keeps renewing, and is written done, failed or skipped exactly once.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Json, UTCDateTime, one_of
from .models import Branch

BATCH_STATES = ("running", "finished")
ITEM_STATES = ("queued", "running", "done", "failed", "skipped")
FINAL_STATES = ("done", "failed", "skipped")
BATCH_FORMATS = ("office", "pdf", "both")


class Batch(Base):
    """One request to regenerate documents for many branches; its counts move as items finish."""

    __tablename__ = "batches"
    __table_args__ = (one_of("state", BATCH_STATES), one_of("format", BATCH_FORMATS))

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # uuid4 hex: not guessable
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    actor: Mapped[Optional[str]] = mapped_column(String(100))
    branches: Mapped[Optional[list[str]]] = mapped_column(Json)  # the codes asked for; None: every branch
    packages: Mapped[list[str]] = mapped_column(Json)
    format: Mapped[str] = mapped_column(String(10))
    templates_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(10))
    total: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)

    items: Mapped[list["BatchItem"]] = relationship(back_populates="batch", order_by="BatchItem.position")


class BatchItem(Base):
    """One branch of one batch: its state, tries, the version it used and the files it made."""

    __tablename__ = "batch_items"
    __table_args__ = (
        UniqueConstraint("batch_id", "branch_id", name="uq_batch_items_batch_branch"),
        Index("ix_batch_items_state_lease", "state", "lease_expires"),
        one_of("state", ITEM_STATES),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id"), index=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    position: Mapped[int] = mapped_column(Integer)  # the order of the zip's folders (by code)
    state: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    submission_id: Mapped[Optional[int]] = mapped_column(ForeignKey("submissions.id"))
    content_hash: Mapped[Optional[str]] = mapped_column(String(64))
    error: Mapped[Optional[str]] = mapped_column(Text)  # Chinese, never a member's data
    artifact_ids: Mapped[Optional[list[Any]]] = mapped_column(Json)  # [[artifact id, package, format], …]
    lease_owner: Mapped[Optional[str]] = mapped_column(String(100))  # a worker or runner id; None: in RQ's hands
    lease_expires: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    enqueued_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    started_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    finished_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())

    batch: Mapped[Batch] = relationship(back_populates="items")
    branch: Mapped[Branch] = relationship()
