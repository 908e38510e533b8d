"""The store: branches, every submitted version, reviews, rendered artifacts.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
UTC = sa.DateTime(timezone=True)  # service.store.base.UTCDateTime keeps UTC in it


def upgrade() -> None:
    op.create_table(
        "branches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("name", sa.String(100)),
        sa.Column("full_name", sa.String(100)),
        sa.Column("unit_name", sa.String(100)),
        sa.Column("contact_person", sa.String(60)),
        sa.Column("contact_phone", sa.String(40)),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_branches")),
        sa.UniqueConstraint("code", name=op.f("uq_branches_code")),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("branch_id", sa.Integer()),
        sa.Column("version", sa.Integer()),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("actor", sa.String(100)),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("verification_code", sa.String(9)),
        sa.Column("raw_kind", sa.String(10), nullable=False),
        sa.Column("filename", sa.String(200)),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("finding_count", sa.Integer(), nullable=False),
        sa.Column("findings_count", JSON, nullable=False),
        sa.Column("in_scope", sa.Integer()),
        sa.Column("campaign", sa.String(64)),
        sa.Column("figures", JSON),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("input", JSON),
        sa.Column("dataset", JSON),
        sa.Column("findings", JSON),
        sa.Column("errors", JSON, nullable=False),
        sa.Column("warnings", JSON, nullable=False),
        sa.CheckConstraint("source IN ('api', 'upload', 'batch', 'import')", name=op.f("ck_submissions_source_known")),
        sa.CheckConstraint("raw_kind IN ('json', 'xlsx', 'other')", name=op.f("ck_submissions_raw_kind_known")),
        sa.ForeignKeyConstraint(["branch_id"], ["branches.id"], name=op.f("fk_submissions_branch_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submissions")),
        sa.UniqueConstraint("branch_id", "version", name=op.f("uq_submissions_branch_version")),
        sa.UniqueConstraint("token", name=op.f("uq_submissions_token")),
    )
    op.create_index(op.f("ix_submissions_branch_valid_version"), "submissions", ["branch_id", "valid", "version"])
    op.create_index(op.f("ix_submissions_content_hash"), "submissions", ["content_hash"])
    op.create_index(op.f("ix_submissions_verification_code"), "submissions", ["verification_code"])
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("reviewer", sa.String(100)),
        sa.Column("created_at", UTC, nullable=False),
        sa.CheckConstraint("decision IN ('verified', 'returned')", name=op.f("ck_reviews_decision_known")),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], name=op.f("fk_reviews_submission_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    op.create_index(op.f("ix_reviews_submission_id"), "reviews", ["submission_id"])
    op.create_table(
        "artifacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_hash", sa.String(64), nullable=False),
        sa.Column("templates_hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("target", sa.String(40), nullable=False),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("ascii_filename", sa.String(255), nullable=False),
        sa.Column("mimetype", sa.String(100), nullable=False),
        sa.Column("storage", sa.String(10), nullable=False),
        sa.Column("location", sa.String(255)),
        sa.Column("data", sa.LargeBinary()),
        sa.Column("created_at", UTC, nullable=False),
        sa.CheckConstraint("kind IN ('document', 'package')", name=op.f("ck_artifacts_kind_known")),
        sa.CheckConstraint("storage IN ('database', 'directory')", name=op.f("ck_artifacts_storage_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_artifacts")),
        sa.UniqueConstraint("source_hash", "templates_hash", "kind", "target", "format", name=op.f("uq_artifacts_key")),
    )


def downgrade() -> None:
    op.drop_table("artifacts")
    op.drop_index("ix_reviews_submission_id", table_name="reviews")
    op.drop_table("reviews")
    op.drop_index("ix_submissions_verification_code", table_name="submissions")
    op.drop_index("ix_submissions_content_hash", table_name="submissions")
    op.drop_index("ix_submissions_branch_valid_version", table_name="submissions")
    op.drop_table("submissions")
    op.drop_table("branches")
