"""The district's campaign and its register of branches (issue 18 part 1).

campaigns keeps the campaign the district defined (one row); register keeps the district's list of
branches by code. Nothing existing changes: branches and their versions stay as they were, and until
the district defines a campaign the notice's deadlines govern, as before.

Revision ID: 0015_campaign
Revises: 0014_roster
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0015_campaign"
down_revision = "0014_roster"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
UTC = sa.DateTime(timezone=True)  # service.store.models.UTCDateTime keeps UTC in it


def upgrade() -> None:
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("stats_date", sa.Date(), nullable=False),
        sa.Column("work_plan", sa.Date(), nullable=False),
        sa.Column("tables", sa.Date(), nullable=False),
        sa.Column("stage_summary", sa.Date(), nullable=False),
        sa.Column("final_report", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(100)),
        sa.Column("updated_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
    )
    op.create_table(
        "register",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("name", sa.String(30), nullable=False),
        sa.Column("full_name", sa.String(50)),
        sa.Column("unit_name", sa.String(50)),
        sa.Column("org_type", sa.String(10)),
        sa.Column("contact", sa.String(30)),
        sa.Column("phone", sa.String(40)),
        sa.Column("emails", JSON, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("merged_into", sa.String(16)),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.CheckConstraint("state IN ('active', 'withdrawn', 'merged')", name=op.f("ck_register_state_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register")),
        sa.UniqueConstraint("code", name=op.f("uq_register_code")),
    )


def downgrade() -> None:
    op.drop_table("register")
    op.drop_table("campaigns")
