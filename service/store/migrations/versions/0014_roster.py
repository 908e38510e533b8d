"""Roster import: versions whose source is "roster", the mappings clerks confirmed, and rosters waiting
on the clerk's page between upload, preview and store.

The source check of submissions admits "roster" (SQLite rebuilds the table to change a CHECK; the
columns keep their order). roster_mappings keeps the last confirmed mapping per branch and header
fingerprint; roster_uploads keeps an uploaded roster by a random token until it expires.

Revision ID: 0014_roster
Revises: 0011_list_columns
Create Date: 2026-12-20
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0014_roster"
down_revision = "0011_list_columns"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
UTC = sa.DateTime(timezone=True)  # service.store.models.UTCDateTime keeps UTC in it
BEFORE = ("api", "upload", "batch", "import")
AFTER = BEFORE + ("roster",)


def _sources(values: tuple[str, ...]) -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.drop_constraint(op.f("ck_submissions_source_known"), type_="check")
        batch.create_check_constraint("source_known", f"source IN ({', '.join(repr(v) for v in values)})")


def upgrade() -> None:
    _sources(AFTER)
    op.create_table(
        "roster_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("branch_code", sa.String(16), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("mapping", JSON, nullable=False),
        sa.Column("actor", sa.String(100)),
        sa.Column("confirmed_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_mappings")),
        sa.UniqueConstraint("branch_code", "key", name="uq_roster_mappings_branch_key"),
    )
    op.create_index("ix_roster_mappings_key_at", "roster_mappings", ["key", "confirmed_at"])
    op.create_table(
        "roster_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("branch_code", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("filename", sa.String(200)),
        sa.Column("sheet", sa.String(100)),
        sa.Column("mapping", JSON),
        sa.Column("stored_token", sa.String(32)),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_uploads")),
        sa.UniqueConstraint("token", name=op.f("uq_roster_uploads_token")),
    )
    op.create_index(op.f("ix_roster_uploads_expires_at"), "roster_uploads", ["expires_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_roster_uploads_expires_at"), table_name="roster_uploads")
    op.drop_table("roster_uploads")
    op.drop_index("ix_roster_mappings_key_at", table_name="roster_mappings")
    op.drop_table("roster_mappings")
    kept = op.get_bind().scalar(sa.text("SELECT count(*) FROM submissions WHERE source = 'roster'"))
    if kept:  # versions are never deleted: such a database cannot go back to the older check
        raise RuntimeError(f"{kept} versions were imported from rosters (source 'roster'); "
                           "the older schema cannot hold them, so it cannot be downgraded")
    _sources(BEFORE)
