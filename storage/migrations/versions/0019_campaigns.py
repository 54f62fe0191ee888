"""campaigns: private messages to a selected audience with a control group, and opt-outs

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06

New tables only: campaign (one per campaign or day of reactivation messages, numbered per
group), campaign_recipient (the frozen audience: arm, delivery status, clicks and claims),
campaign_optout (users who said /unsubscribe) and campaign_counter (numbers per group).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = storage.types.BigIdentity
_TS = storage.types.UTCDateTime


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _tg(name: str) -> sa.Column:
    return sa.Column(name, sa.BigInteger(), autoincrement=False, nullable=False)


def upgrade() -> None:
    op.create_table(
        "campaign",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        _tg("group_id"),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("kind", _text(12), nullable=False),
        sa.Column("status", _text(12), nullable=False),
        sa.Column("step", _text(8), nullable=False),
        sa.Column("selector", _text(500), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("source_message_id", sa.Integer(), nullable=True),
        sa.Column("button", _text(8), nullable=False),
        sa.Column("button_url", _text(500), nullable=False),
        sa.Column("button_points", sa.Integer(), nullable=False),
        sa.Column("holdout_percent", sa.Integer(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("audience", sa.Integer(), nullable=False),
        sa.Column("holdout", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", _TS(), nullable=False),
        sa.Column("start_at", _TS(), nullable=True),
        sa.Column("confirmed_at", _TS(), nullable=True),
        sa.Column("finished_at", _TS(), nullable=True),
        sa.Column("progress_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("progress_message_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", _TS(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign")),
        sa.UniqueConstraint("group_id", "number", name="uq_campaign_group_number"),
    )
    op.create_index("ix_campaign_status", "campaign", ["status", "start_at"])
    op.create_table(
        "campaign_recipient",
        sa.Column("campaign_id", sa.BigInteger(), nullable=False),
        _tg("user_id"),
        _tg("group_id"),
        sa.Column("arm", _text(8), nullable=False),
        sa.Column("status", _text(8), nullable=False),
        sa.Column("skip_reason", _text(12), nullable=True),
        sa.Column("claimed_by", _text(40), nullable=True),
        sa.Column("sending_at", _TS(), nullable=True),
        sa.Column("sent_at", _TS(), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("clicked_at", _TS(), nullable=True),
        sa.Column("claimed_at", _TS(), nullable=True),
        sa.PrimaryKeyConstraint("campaign_id", "user_id", name=op.f("pk_campaign_recipient")),
    )
    op.create_index(
        "ix_campaign_recipient_todo", "campaign_recipient", ["campaign_id", "status", "user_id"]
    )
    op.create_index(
        "ix_campaign_recipient_cap", "campaign_recipient", ["group_id", "user_id", "sending_at"]
    )
    op.create_table(
        "campaign_optout",
        _tg("user_id"),
        sa.Column("at", _TS(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_campaign_optout")),
    )
    op.create_table(
        "campaign_counter",
        _tg("group_id"),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", name=op.f("pk_campaign_counter")),
    )


def downgrade() -> None:
    op.drop_table("campaign_counter")
    op.drop_table("campaign_optout")
    op.drop_index("ix_campaign_recipient_cap", table_name="campaign_recipient")
    op.drop_index("ix_campaign_recipient_todo", table_name="campaign_recipient")
    op.drop_table("campaign_recipient")
    op.drop_index("ix_campaign_status", table_name="campaign")
    op.drop_table("campaign")
