"""The tables of roster import: mappings clerks confirmed, and rosters waiting for the clerk's confirmation.

A confirmed mapping is kept by the branch that confirmed it and the fingerprint of the file's headers
(service.intake.roster.mapping_key): header texts and field names only, no member's data. A roster
uploaded on the clerk's page waits in roster_uploads between the steps (mapping, preview, store), keyed
by a random token with an expiry, so the file never travels back and forth through the browser.
Migration 0014_roster creates both.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Json, UTCDateTime


class RosterMapping(Base):
    """The last mapping a branch confirmed for a file with these headers: [[header, field or None], …]."""

    __tablename__ = "roster_mappings"
    __table_args__ = (
        UniqueConstraint("branch_code", "key", name="uq_roster_mappings_branch_key"),
        Index("ix_roster_mappings_key_at", "key", "confirmed_at"),  # the district-wide fallback: newest for a key
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_code: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))  # mapping_key: SHA-256 of the header texts
    mapping: Mapped[list[Any]] = mapped_column(Json)
    actor: Mapped[Optional[str]] = mapped_column(String(100))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RosterUpload(Base):
    """A roster a clerk uploaded on the page, kept until it is stored or expires."""

    __tablename__ = "roster_uploads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)  # the pages' address
    branch_code: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(100))  # only its uploader reaches it
    filename: Mapped[Optional[str]] = mapped_column(String(200))
    sheet: Mapped[Optional[str]] = mapped_column(String(100))  # the sheet chosen, when not the first one read
    mapping: Mapped[Optional[dict[str, Any]]] = mapped_column(Json)  # {column letter: field or None}, once confirmed
    stored_token: Mapped[Optional[str]] = mapped_column(String(32))  # the result page of the version it became
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
