"""Access control: accounts, API tokens and the audit trail.

Revision ID: 0010_access
Revises: 0001
Create Date: 2026-12-10
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010_access"
down_revision = "0002"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
UTC = sa.DateTime(timezone=True)  # service.store.base.UTCDateTime keeps UTC in it


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(40), nullable=False),
        sa.Column("display_name", sa.String(60)),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("branch_code", sa.String(16)),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", UTC),
        sa.Column("session_epoch", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("password_changed_at", UTC, nullable=False),
        sa.Column("last_login_at", UTC),
        sa.CheckConstraint("role IN ('district', 'clerk')", name=op.f("ck_accounts_role_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("login", name=op.f("uq_accounts_login")),
    )
    op.create_index(op.f("ix_accounts_branch_code"), "accounts", ["branch_code"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(12), nullable=False),
        sa.Column("scope", sa.String(10), nullable=False),
        sa.Column("branches", JSON),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("expires_at", UTC),
        sa.Column("revoked_at", UTC),
        sa.CheckConstraint("scope IN ('district', 'branches')", name=op.f("ck_api_tokens_scope_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("name", name=op.f("uq_api_tokens_name")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("branch_code", sa.String(16)),
        sa.Column("version", sa.Integer()),
        sa.Column("target", sa.String(60)),
        sa.Column("format", sa.String(10)),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.String(64)),
        sa.Column("address", sa.String(45)),
        sa.Column("detail", sa.String(200)),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(op.f("ix_audit_events_at"), "audit_events", ["at"])
    op.create_index(op.f("ix_audit_events_action"), "audit_events", ["action"])
    op.create_index("ix_audit_events_branch_at", "audit_events", ["branch_code", "at"])
    op.create_index("ix_audit_events_actor_at", "audit_events", ["actor", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_actor_at", table_name="audit_events")
    op.drop_index("ix_audit_events_branch_at", table_name="audit_events")
    op.drop_index("ix_audit_events_action", table_name="audit_events")
    op.drop_index("ix_audit_events_at", table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_table("api_tokens")
    op.drop_index("ix_accounts_branch_code", table_name="accounts")
    op.drop_table("accounts")
