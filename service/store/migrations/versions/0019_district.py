"""The district's 随机抽查 samples and campaign archives (issue 20): two new tables, nothing changed.

Revision ID: 0019_district
Revises: 0014_roster
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0019_district"
down_revision = "0018_reminders"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
UTC = sa.DateTime(timezone=True)  # service.store.models.UTCDateTime keeps UTC in it


def upgrade() -> None:
    op.create_table(
        "spot_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("branches", sa.Integer(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("weighted", sa.Boolean(), nullable=False),
        sa.Column("drawn_by", sa.String(100), nullable=False),
        sa.Column("drawn_at", UTC, nullable=False),
        sa.Column("sample", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spot_checks")),
        sa.UniqueConstraint("token", name=op.f("uq_spot_checks_token")),
    )
    op.create_table(
        "district_archives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("actor", sa.String(100)),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("finished_at", UTC),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("converted", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text()),
        sa.Column("artifact_id", sa.Integer()),
        sa.CheckConstraint("state IN ('building', 'finished', 'failed')", name=op.f("ck_district_archives_state_known")),
        sa.ForeignKeyConstraint(["artifact_id"], ["artifacts.id"], name=op.f("fk_district_archives_artifact_id_artifacts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_district_archives")),
        sa.UniqueConstraint("token", name=op.f("uq_district_archives_token")),
    )


def downgrade() -> None:
    op.drop_table("district_archives")
    op.drop_table("spot_checks")
