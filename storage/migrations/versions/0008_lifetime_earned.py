"""levels from a running total: member.lifetime_earned; reward photos

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

member.lifetime_earned: every point a member ever earned in the group (the ledger's
LIFETIME_REASONS: check-ins, streak bonuses, activity, administrators' grants, birthday
bonuses; spending, deductions and refunds never lower it), kept by the ledger append from now
on and backfilled here from the ledger. Added with ALTER TABLE ADD COLUMN, so SQLite does not
rebuild member (the board triggers of 0004 stay).

reward.photo_file_id (a Telegram file id) and reward_photo_prompt (the guided add flow's
"send a photo or skip" step).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As storage.queries.engagement.ledger.LIFETIME_REASONS was when this migration was written.
LIFETIME_REASONS = ("checkin", "streak_bonus", "activity", "admin_grant", "birthday_bonus")


def upgrade() -> None:
    op.add_column(
        "member",
        sa.Column("lifetime_earned", sa.BigInteger(), server_default="0", nullable=False),
    )
    _backfill(op.get_bind())
    op.add_column(
        "reward",
        sa.Column("photo_file_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    )
    op.create_table(
        "reward_photo_prompt",
        sa.Column("group_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("message_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "message_id", name=op.f("pk_reward_photo_prompt")),
    )


def _backfill(bind: sa.Connection) -> None:
    """One UPDATE: each member's sum of positive lifetime rows (ix_ledger_group_user)."""
    meta = sa.MetaData()
    member = sa.Table(
        "member",
        meta,
        sa.Column("group_id", sa.BigInteger()),
        sa.Column("user_id", sa.BigInteger()),
        sa.Column("lifetime_earned", sa.BigInteger()),
    )
    ledger = sa.Table(
        "ledger_entry",
        meta,
        sa.Column("group_id", sa.BigInteger()),
        sa.Column("user_id", sa.BigInteger()),
        sa.Column("amount", sa.Integer()),
        sa.Column("reason", sa.String()),
    )
    earned = (
        sa.select(sa.func.coalesce(sa.func.sum(ledger.c.amount), 0))
        .where(
            ledger.c.group_id == member.c.group_id,
            ledger.c.user_id == member.c.user_id,
            ledger.c.reason.in_(LIFETIME_REASONS),
            ledger.c.amount > 0,
        )
        .scalar_subquery()
    )
    has_rows = (
        sa.select(1)
        .where(
            ledger.c.group_id == member.c.group_id,
            ledger.c.user_id == member.c.user_id,
            ledger.c.reason.in_(LIFETIME_REASONS),
        )
        .exists()
    )
    bind.execute(sa.update(member).where(has_rows).values(lifetime_earned=earned))


def downgrade() -> None:
    op.drop_table("reward_photo_prompt")
    # Dropped in place on SQLite too (recreate="never"): a copy of member would lose the board
    # triggers of 0004; reward keeps its CHECK constraints the same way.
    with op.batch_alter_table("reward", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("photo_file_id")
    with op.batch_alter_table("member", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("lifetime_earned")
