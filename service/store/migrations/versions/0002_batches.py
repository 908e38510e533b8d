"""Batch regeneration: batches and one item per branch, with leases for crash recovery.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "batches",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("finished_at", UTC),
        sa.Column("actor", sa.String(100)),
        sa.Column("branches", JSON),
        sa.Column("packages", JSON, nullable=False),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("templates_hash", sa.String(64), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.CheckConstraint("state IN ('running', 'finished')", name=op.f("ck_batches_state_known")),
        sa.CheckConstraint("format IN ('office', 'pdf', 'both')", name=op.f("ck_batches_format_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batches")),
    )
    op.create_table(
        "batch_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.String(32), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer()),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("error", sa.Text()),
        sa.Column("artifact_ids", JSON),
        sa.Column("lease_owner", sa.String(100)),
        sa.Column("lease_expires", UTC),
        sa.Column("enqueued_at", UTC),
        sa.Column("started_at", UTC),
        sa.Column("finished_at", UTC),
        sa.CheckConstraint("state IN ('queued', 'running', 'done', 'failed', 'skipped')",
                           name=op.f("ck_batch_items_state_known")),
        sa.ForeignKeyConstraint(["batch_id"], ["batches.id"], name=op.f("fk_batch_items_batch_id")),
        sa.ForeignKeyConstraint(["branch_id"], ["branches.id"], name=op.f("fk_batch_items_branch_id")),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], name=op.f("fk_batch_items_submission_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batch_items")),
        sa.UniqueConstraint("batch_id", "branch_id", name=op.f("uq_batch_items_batch_branch")),
    )
    op.create_index(op.f("ix_batch_items_batch_id"), "batch_items", ["batch_id"])
    op.create_index(op.f("ix_batch_items_state_lease"), "batch_items", ["state", "lease_expires"])


def downgrade() -> None:
    op.drop_index("ix_batch_items_state_lease", table_name="batch_items")
    op.drop_index("ix_batch_items_batch_id", table_name="batch_items")
    op.drop_table("batch_items")
    op.drop_table("batches")
