"""报送, one deliverable at a time: the deliveries table, and the 报送 the data stored before it counts as.

Before this revision a branch's first valid version counted as the 报送 of all four deliverables. The
notice's calendar has the 阶段性小结 and 工作总结 report on later stages, so the upgrade carries over
only what that first version could really be: each branch's first valid version becomes the 报送 of
the 工作方案 and of the tables (附件3–9), at that version's time, and nothing else (source
"migration"). Going back drops the table and every 报送 made since.

Revision ID: 0016_deliveries
Revises: 0014_roster
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_deliveries"
down_revision = "0015_campaign"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)  # service.store.models.UTCDateTime keeps UTC in it
DELIVERABLES = ("work_plan", "tables", "stage_summary", "final_report")
CARRIED = ("work_plan", "tables")  # what a branch's first valid version counts as
SOURCES = ("page", "api", "migration")


def _known(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("deliverable", sa.String(20), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("verification_code", sa.String(9)),
        sa.Column("actor", sa.String(100)),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("sent_at", UTC, nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("replaced_by", sa.Integer()),
        sa.Column("reopened_at", UTC),
        sa.CheckConstraint(_known("deliverable", DELIVERABLES), name=op.f("ck_deliveries_deliverable_known")),
        sa.CheckConstraint(_known("source", SOURCES), name=op.f("ck_deliveries_source_known")),
        sa.ForeignKeyConstraint(["branch_id"], ["branches.id"], name=op.f("fk_deliveries_branch_id_branches")),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"],
                                name=op.f("fk_deliveries_submission_id_submissions")),
        sa.ForeignKeyConstraint(["replaced_by"], ["deliveries.id"], name=op.f("fk_deliveries_replaced_by_deliveries")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
    )
    op.create_index("ix_deliveries_branch_deliverable", "deliveries", ["branch_id", "deliverable", "is_current"])
    op.create_index(op.f("ix_deliveries_submission_id"), "deliveries", ["submission_id"])
    carried = " UNION ALL ".join(f"SELECT '{d}' AS deliverable" for d in CARRIED)
    op.execute(  # in the database itself: times and 校验码 copied as they are kept
        "INSERT INTO deliveries (branch_id, deliverable, submission_id, version, verification_code, actor, source, "
        "sent_at, is_current) "
        f"SELECT s.branch_id, d.deliverable, s.id, s.version, s.verification_code, s.actor, 'migration', "
        f"s.created_at, TRUE FROM submissions s CROSS JOIN ({carried}) d "
        "WHERE s.valid AND s.branch_id IS NOT NULL AND s.version = (SELECT min(f.version) FROM submissions f "
        "WHERE f.branch_id = s.branch_id AND f.valid)")


def downgrade() -> None:
    op.drop_index(op.f("ix_deliveries_submission_id"), table_name="deliveries")
    op.drop_index("ix_deliveries_branch_deliverable", table_name="deliveries")
    op.drop_table("deliveries")
