"""The tables: branches, every submitted version of their datasets, reviews of versions, rendered artifacts.

Nothing is overwritten: a new dataset is a new submission row, a new review a new review row. The
large columns (the raw input, the datasets, errors and findings, an artifact's bytes) are deferred,
so the district's lists read the small ones only; the figures and counts a list shows are stored
with each version when it arrives, so no list re-validates or re-counts anything.

Batches (issue 9 part 4) add their own tables in their own migration, pointing at submissions and
artifacts by id.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.domain.review import DECISIONS

from .base import Base, Json, UTCDateTime, one_of

SOURCES = ("api", "upload", "batch", "import", "roster", "member", "fix")
RAW_KINDS = ("json", "xlsx", "other")
ARTIFACT_KINDS = ("document", "package")
STORAGES = ("database", "directory")

class Branch(Base):
    """A school Party branch, by the code the district gave it; its names as its latest valid dataset says."""

    __tablename__ = "branches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[Optional[str]] = mapped_column(String(100))
    full_name: Mapped[Optional[str]] = mapped_column(String(100))
    unit_name: Mapped[Optional[str]] = mapped_column(String(100))
    contact_person: Mapped[Optional[str]] = mapped_column(String(60))
    contact_phone: Mapped[Optional[str]] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # kept by submissions.record as each version arrives (migration 0011), so the list needs no GROUP BY:
    latest_version: Mapped[Optional[int]] = mapped_column(Integer)  # also how many versions there are
    latest_valid_version: Mapped[Optional[int]] = mapped_column(Integer)
    rejected_versions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    submissions: Mapped[list["Submission"]] = relationship(back_populates="branch", order_by="Submission.version")


class Submission(Base):
    """One version of a branch's dataset as it arrived: valid or rejected, never changed afterwards."""

    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("branch_id", "version", name="uq_submissions_branch_version"),
        Index("ix_submissions_branch_valid_version", "branch_id", "valid", "version"),
        one_of("source", SOURCES),
        one_of("raw_kind", RAW_KINDS),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)  # the clerk's result page
    branch_id: Mapped[Optional[int]] = mapped_column(ForeignKey("branches.id"))  # None: no branch readable
    version: Mapped[Optional[int]] = mapped_column(Integer)  # 1, 2, … per branch
    valid: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(10))
    actor: Mapped[Optional[str]] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    verification_code: Mapped[Optional[str]] = mapped_column(String(9), index=True)
    raw_kind: Mapped[str] = mapped_column(String(10))
    filename: Mapped[Optional[str]] = mapped_column(String(200))
    error_count: Mapped[int] = mapped_column(Integer)
    finding_count: Mapped[int] = mapped_column(Integer)
    findings_count: Mapped[dict[str, Any]] = mapped_column(Json)  # {"by_rule": {...}, "by_severity": {...}}
    in_scope: Mapped[Optional[int]] = mapped_column(Integer)
    campaign: Mapped[Optional[str]] = mapped_column(String(64))  # its deadlines (domain.deadlines.campaign_key)
    lost_contact: Mapped[Optional[int]] = mapped_column(Integer)  # 附件9 E1 “失联”, valid only
    # the first valid version of its campaign (this one or an earlier one) and when it arrived: what the
    # four deadlines count (domain.deadlines), valid only
    campaign_first_version: Mapped[Optional[int]] = mapped_column(Integer)
    campaign_first_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime())
    figures: Mapped[Optional[dict[str, Any]]] = mapped_column(Json, deferred=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # the bytes as received
    input: Mapped[Optional[Any]] = mapped_column(Json, deferred=True)  # the contract JSON as read
    dataset: Mapped[Optional[dict[str, Any]]] = mapped_column(Json, deferred=True)  # canonical, valid only
    findings: Mapped[Optional[list[dict[str, Any]]]] = mapped_column(Json, deferred=True)  # 三查三核, valid only
    errors: Mapped[list[dict[str, Any]]] = mapped_column(Json, deferred=True)
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(Json, deferred=True)  # as the submitter was shown them

    branch: Mapped[Optional[Branch]] = relationship(back_populates="submissions")
    reviews: Mapped[list["Review"]] = relationship(back_populates="submission", order_by="Review.id")


class Review(Base):
    """A district decision on a version: 已核查 or 退回修改 (with its reason); every one is kept."""

    __tablename__ = "reviews"
    __table_args__ = (one_of("decision", DECISIONS),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    decision: Mapped[str] = mapped_column(String(10))
    reason: Mapped[Optional[str]] = mapped_column(Text)
    reviewer: Mapped[Optional[str]] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    submission: Mapped[Submission] = relationship(back_populates="reviews")


class Artifact(Base):
    """A rendered file, keyed by what it was made from: the dataset's content and the templates' hash."""

    __tablename__ = "artifacts"
    __table_args__ = (
        UniqueConstraint("source_hash", "templates_hash", "kind", "target", "format", name="uq_artifacts_key"),
        one_of("kind", ARTIFACT_KINDS),
        one_of("storage", STORAGES),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_hash: Mapped[str] = mapped_column(String(64))  # the submission's content hash
    templates_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(10))  # document | package
    target: Mapped[str] = mapped_column(String(40))  # the catalog id
    format: Mapped[str] = mapped_column(String(10))  # docx | xlsx | office | pdf
    content_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the bytes
    size: Mapped[int] = mapped_column(BigInteger)
    filename: Mapped[str] = mapped_column(String(255))
    ascii_filename: Mapped[str] = mapped_column(String(255))
    mimetype: Mapped[str] = mapped_column(String(100))
    storage: Mapped[str] = mapped_column(String(10))
    location: Mapped[Optional[str]] = mapped_column(String(255))  # relative to ARTIFACT_DIR
    data: Mapped[Optional[bytes]] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
