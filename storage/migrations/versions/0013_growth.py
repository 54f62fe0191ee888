"""growth: personal invite links, referrals, join sources, onboarding questionnaires

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-06

New tables only: invite_link (a member's personal link; joins through it are theirs),
referral (one row per newcomer and group, ever: joined -> checked_in -> counted, or left),
invite_tally (successful invites per member, the /top invites board) with
invite_value_count (members per number of invites: ranks), join_source and
join_source_day (where joins came from, and running totals per local day), and for
onboarding through join requests: onboarding_question, join_request, onboarding_answer,
member_field (answers as profile fields) and onboarding_prompt (the guided add's prompts).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0013"
down_revision: str | None = "0010"
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
        "invite_link",
        sa.Column("link", _text(255), nullable=False),
        _tg("group_id"),
        _tg("user_id"),
        sa.Column("name", _text(64), nullable=False),
        sa.Column("creates_join_request", sa.Boolean(), nullable=False),
        sa.Column("created_at", _TS(), nullable=False),
        sa.Column("revoked_at", _TS(), nullable=True),
        sa.PrimaryKeyConstraint("link", name=op.f("pk_invite_link")),
    )
    op.create_index("ix_invite_link_owner", "invite_link", ["group_id", "user_id"])
    op.create_table(
        "referral",
        _tg("group_id"),
        _tg("invitee_id"),
        _tg("inviter_id"),
        sa.Column("link", _text(255), nullable=False),
        sa.Column("joined_at", _TS(), nullable=False),
        sa.Column("due_at", _TS(), nullable=False),
        sa.Column("status", _text(12), nullable=False),
        sa.Column("first_checkin_at", _TS(), nullable=True),
        sa.Column("left_at", _TS(), nullable=True),
        sa.Column("counted_at", _TS(), nullable=True),
        sa.Column("reward", _text(8), nullable=True),
        sa.Column("inviter_points", sa.Integer(), nullable=False),
        sa.Column("invitee_points", sa.Integer(), nullable=False),
        sa.CheckConstraint("inviter_id <> invitee_id", name=op.f("ck_referral_not_self")),
        sa.PrimaryKeyConstraint("group_id", "invitee_id", name=op.f("pk_referral")),
    )
    op.create_index("ix_referral_due", "referral", ["status", "due_at"])
    op.create_index("ix_referral_inviter", "referral", ["group_id", "inviter_id", "counted_at"])
    op.create_table(
        "invite_tally",
        _tg("group_id"),
        _tg("user_id"),
        sa.Column("invites", sa.Integer(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "user_id", name=op.f("pk_invite_tally")),
    )
    op.create_index(
        "ix_invite_tally_board", "invite_tally", ["group_id", "present", "invites", "user_id"]
    )
    op.create_table(
        "invite_value_count",
        _tg("group_id"),
        sa.Column("invites", sa.Integer(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "invites", name=op.f("pk_invite_value_count")),
    )
    op.create_table(
        "join_source",
        _tg("group_id"),
        _tg("user_id"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("source", _text(8), nullable=False),
        sa.Column("joined_at", _TS(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "user_id", "day", name=op.f("pk_join_source")),
    )
    op.create_table(
        "join_source_day",
        _tg("group_id"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("source", _text(8), nullable=False),
        sa.Column("joins", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "day", "source", name=op.f("pk_join_source_day")),
    )
    op.create_table(
        "onboarding_question",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        _tg("group_id"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("field", _text(32), nullable=False),
        sa.Column("kind", _text(8), nullable=False),
        sa.Column("prompt", _text(400), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("created_at", _TS(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_onboarding_question")),
    )
    op.create_index(
        "ix_onboarding_question_group", "onboarding_question", ["group_id", "position"]
    )
    op.create_table(
        "join_request",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        _tg("group_id"),
        _tg("user_id"),
        _tg("user_chat_id"),
        sa.Column("name", _text(255), nullable=False),
        sa.Column("invite_link", _text(255), nullable=True),
        sa.Column("requested_at", _TS(), nullable=False),
        sa.Column("deadline_at", _TS(), nullable=False),
        sa.Column("status", _text(12), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("questions", sa.Text(), nullable=False),
        sa.Column("timed_out", sa.Boolean(), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", _TS(), nullable=True),
        sa.Column("updated_at", _TS(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_join_request")),
    )
    op.create_index("ix_join_request_due", "join_request", ["status", "deadline_at"])
    op.create_index("ix_join_request_group", "join_request", ["group_id", "status"])
    op.create_index("ix_join_request_user", "join_request", ["user_id", "status"])
    op.create_table(
        "onboarding_answer",
        sa.Column("request_id", sa.BigInteger(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("field", _text(32), nullable=False),
        sa.Column("value", _text(400), nullable=False),
        sa.Column("answered_at", _TS(), nullable=False),
        sa.PrimaryKeyConstraint("request_id", "step", name=op.f("pk_onboarding_answer")),
    )
    op.create_table(
        "member_field",
        _tg("group_id"),
        _tg("user_id"),
        sa.Column("field", _text(32), nullable=False),
        sa.Column("value", _text(400), nullable=False),
        sa.Column("updated_at", _TS(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "user_id", "field", name=op.f("pk_member_field")),
    )
    op.create_index("ix_member_field_value", "member_field", ["group_id", "field", "value"])
    op.create_table(
        "onboarding_prompt",
        _tg("group_id"),
        _tg("message_id"),
        sa.Column("kind", _text(8), nullable=False),
        _tg("created_by"),
        sa.Column("created_at", _TS(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "message_id", name=op.f("pk_onboarding_prompt")),
    )


def downgrade() -> None:
    op.drop_table("onboarding_prompt")
    op.drop_index("ix_member_field_value", table_name="member_field")
    op.drop_table("member_field")
    op.drop_table("onboarding_answer")
    op.drop_index("ix_join_request_user", table_name="join_request")
    op.drop_index("ix_join_request_group", table_name="join_request")
    op.drop_index("ix_join_request_due", table_name="join_request")
    op.drop_table("join_request")
    op.drop_index("ix_onboarding_question_group", table_name="onboarding_question")
    op.drop_table("onboarding_question")
    op.drop_table("join_source_day")
    op.drop_table("join_source")
    op.drop_table("invite_value_count")
    op.drop_index("ix_invite_tally_board", table_name="invite_tally")
    op.drop_table("invite_tally")
    op.drop_index("ix_referral_inviter", table_name="referral")
    op.drop_index("ix_referral_due", table_name="referral")
    op.drop_table("referral")
    op.drop_index("ix_invite_link_owner", table_name="invite_link")
    op.drop_table("invite_link")
