"""Members check their own 登记表 (issue 19 part 2) and a wrong cell fixed in the browser (part 3).

invitations keeps one link per member (the token's SHA-256 only, its expiry, tries and lock);
member_responses keeps what a member confirmed until the clerk accepts or returns it. The source check
of submissions admits "member" (a version made by accepting a member's response) and "fix" (cells
corrected on the result page); SQLite rebuilds the table to change a CHECK.

Revision ID: 0017_invitations
Revises: 0014_roster
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0017_invitations"
down_revision = "0016_deliveries"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
UTC = sa.DateTime(timezone=True)
BEFORE = ("api", "upload", "batch", "import", "roster")
AFTER = BEFORE + ("member", "fix")


def _sources(values: tuple[str, ...]) -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.drop_constraint(op.f("ck_submissions_source_known"), type_="check")
        batch.create_check_constraint("source_known", f"source IN ({', '.join(repr(v) for v in values)})")


def upgrade() -> None:
    _sources(AFTER)
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("branch_code", sa.String(16), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("actor", sa.String(100)),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.Column("revoked_at", UTC),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_at", UTC),
        sa.Column("opened_at", UTC),
        sa.Column("confirmed_at", UTC),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitations_token_hash")),
    )
    op.create_index("ix_invitations_branch_member", "invitations", ["branch_code", "id_number"])
    op.create_table(
        "member_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("branch_code", sa.String(16), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("based_on", sa.Integer()),
        sa.Column("changes", JSON, nullable=False),
        sa.Column("before", JSON, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("decided_by", sa.String(100)),
        sa.Column("decided_at", UTC),
        sa.Column("version", sa.Integer()),
        sa.CheckConstraint("state IN ('pending', 'accepted', 'returned')", name=op.f("ck_member_responses_state_known")),
        sa.ForeignKeyConstraint(["invitation_id"], ["invitations.id"],
                                name=op.f("fk_member_responses_invitation_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_responses")),
    )
    op.create_index(op.f("ix_member_responses_invitation_id"), "member_responses", ["invitation_id"])
    op.create_index("ix_member_responses_branch", "member_responses", ["branch_code", "state"])


def downgrade() -> None:
    op.drop_index("ix_member_responses_branch", table_name="member_responses")
    op.drop_index(op.f("ix_member_responses_invitation_id"), table_name="member_responses")
    op.drop_table("member_responses")
    op.drop_index("ix_invitations_branch_member", table_name="invitations")
    op.drop_table("invitations")
    kept = op.get_bind().scalar(sa.text("SELECT count(*) FROM submissions WHERE source IN ('member', 'fix')"))
    if kept:  # versions are never deleted: such a database cannot go back to the older check
        raise RuntimeError(f"{kept} versions came from members' confirmations or cells fixed on the result page "
                           "(source 'member' or 'fix'); the older schema cannot hold them, so it cannot be downgraded")
    _sources(BEFORE)
