"""Reminders: the log of every send (reminder_log) and the claim of each day's scheduled run (reminder_runs).

Two new tables; nothing existing changes, so every stored row is kept as it was.

Revision ID: 0018_reminders
Revises: 0014_roster
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_reminders"
down_revision = "0017_invitations"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)  # service.store.base.UTCDateTime keeps UTC in it
KINDS = ("due_soon", "overdue", "returned", "by_hand")
CHANNELS = ("wecom", "dingtalk", "email", "none")
OUTCOMES = ("accepted", "failed", "no_channel")


def _one_of(column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{column} IN ({', '.join(repr(v) for v in values)})",
                              name=op.f(f"ck_reminder_log_{column}_known"))


def upgrade() -> None:
    op.create_table(
        "reminder_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("branch_code", sa.String(16), nullable=False),
        sa.Column("deliverable", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("recipient", sa.String(300), nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("detail", sa.String(200), nullable=False),
        sa.Column("actor", sa.String(100)),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_log")),
        _one_of("kind", KINDS),
        _one_of("channel", CHANNELS),
        _one_of("outcome", OUTCOMES),
    )
    op.create_index("ix_reminder_log_day", "reminder_log", ["day"])
    op.create_index("ix_reminder_log_branch_code", "reminder_log", ["branch_code"])
    op.create_table(
        "reminder_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("owner", sa.String(100), nullable=False),
        sa.Column("claimed_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_runs")),
        sa.UniqueConstraint("day", name=op.f("uq_reminder_runs_day")),
    )


def downgrade() -> None:
    op.drop_table("reminder_runs")
    op.drop_index("ix_reminder_log_branch_code", table_name="reminder_log")
    op.drop_index("ix_reminder_log_day", table_name="reminder_log")
    op.drop_table("reminder_log")
