"""The branch list's figures as plain columns, so the list reads one row per branch and decodes no JSON
but the findings counts.

Each version keeps 附件9 E1 (its “失联” members) and the first valid version of its campaign with
when it arrived (what the four deadlines count); each branch keeps the numbers of its newest version
and newest valid version and how many of its versions were rejected. submissions.record sets them
when a version arrives; this migration fills them in for the versions stored before it.

Revision ID: 0011_list_columns
Revises: 0010_access
Create Date: 2026-12-11
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011_list_columns"
down_revision = "0010_access"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
UTC = sa.DateTime(timezone=True)  # service.store.base.UTCDateTime keeps UTC in it

# the tables as this revision knows them (not the models, which move on)
submissions = sa.table(
    "submissions", sa.column("id", sa.Integer), sa.column("branch_id", sa.Integer),
    sa.column("version", sa.Integer), sa.column("valid", sa.Boolean), sa.column("created_at", UTC),
    sa.column("campaign", sa.String), sa.column("figures", JSON), sa.column("lost_contact", sa.Integer),
    sa.column("campaign_first_version", sa.Integer), sa.column("campaign_first_at", UTC))
branches = sa.table(
    "branches", sa.column("id", sa.Integer), sa.column("latest_version", sa.Integer),
    sa.column("latest_valid_version", sa.Integer), sa.column("rejected_versions", sa.Integer))


def upgrade() -> None:
    op.add_column("submissions", sa.Column("lost_contact", sa.Integer()))
    op.add_column("submissions", sa.Column("campaign_first_version", sa.Integer()))
    op.add_column("submissions", sa.Column("campaign_first_at", UTC))
    op.add_column("branches", sa.Column("latest_version", sa.Integer()))
    op.add_column("branches", sa.Column("latest_valid_version", sa.Integer()))
    op.add_column("branches", sa.Column("rejected_versions", sa.Integer(), nullable=False, server_default="0"))
    if op.get_bind().dialect.name == "sqlite":
        small_columns_first()
    backfill()


def small_columns_first() -> None:
    """SQLite keeps a row's values in the table's column order, and a version's large values (its
    raw input, datasets, findings, errors) spill into overflow pages: a column added after them is
    reached only by walking those pages, which made reading the list's columns of 6,000 versions
    cost ~35 ms more. So the table is rebuilt with the new columns beside the other small ones.
    PostgreSQL keeps large values out of line (TOAST): order does not matter there.

    The rebuild copies the table, drops it and renames the copy, inside this transaction; the rows
    of reviews and batch items pointing at it find the same ids in the copy. SQLite's way of doing
    this needs foreign keys unenforced meanwhile: migrate.upgrade runs migrations so on SQLite
    (Database.migrating) and checks every foreign key before it commits."""
    with op.batch_alter_table("submissions", recreate="always", partial_reordering=[ORDER]):
        pass


ORDER = ("id", "token", "branch_id", "version", "valid", "source", "actor", "created_at", "content_hash",
         "verification_code", "raw_kind", "filename", "error_count", "finding_count", "findings_count", "in_scope",
         "campaign", "lost_contact", "campaign_first_version", "campaign_first_at",  # new: with the small ones
         "figures", "raw", "input", "dataset", "findings", "errors", "warnings")


def backfill() -> None:
    s, first = submissions, submissions.alias("earlier")
    valid = s.c.valid.is_(True)
    op.execute(sa.update(s).where(valid).values(
        lost_contact=s.c.figures[("campaign_summary", "E1")].as_integer()))
    op.execute(sa.update(s).where(valid, s.c.branch_id.is_not(None)).values(
        campaign_first_version=sa.select(sa.func.min(first.c.version)).where(
            first.c.branch_id == s.c.branch_id, first.c.valid.is_(True), first.c.campaign == s.c.campaign)
        .scalar_subquery()))
    op.execute(sa.update(s).where(s.c.campaign_first_version.is_not(None)).values(
        campaign_first_at=sa.select(first.c.created_at).where(
            first.c.branch_id == s.c.branch_id, first.c.version == s.c.campaign_first_version).scalar_subquery()))
    b = branches

    def of_branch(what, *where):
        return sa.select(what).where(s.c.branch_id == b.c.id, *where).scalar_subquery()

    op.execute(sa.update(b).values(
        latest_version=of_branch(sa.func.max(s.c.version)),
        latest_valid_version=of_branch(sa.func.max(s.c.version), s.c.valid.is_(True)),
        rejected_versions=of_branch(sa.func.count(), s.c.valid.is_(False))))


def downgrade() -> None:
    for column in ("rejected_versions", "latest_valid_version", "latest_version"):
        op.drop_column("branches", column)
    for column in ("campaign_first_at", "campaign_first_version", "lost_contact"):
        op.drop_column("submissions", column)
