"""Growth tables: members' personal invite links, the newcomers they brought (referrals),
successful invites per member (the /top invites board), where joins came from, and the
onboarding questionnaire of join requests with the profile fields its answers become."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.tables.base import surrogate_id, tg_id, ts


class InviteLink(SQLModel, table=True):
    """A member's personal invite link to a group (createChatInviteLink, named after them).

    A join through `link` is attributed to `user_id`. Revoked links stay (a late update may
    still name one); the member's current link is their latest one not revoked.
    """

    __tablename__ = "invite_link"
    __table_args__ = (sa.Index("ix_invite_link_owner", "group_id", "user_id"),)

    link: str = Field(primary_key=True, max_length=255)
    group_id: int = tg_id()
    user_id: int = tg_id()
    name: str = Field(default="", max_length=64)
    creates_join_request: bool = Field(default=False)
    created_at: datetime = ts(nullable=False)
    revoked_at: datetime | None = ts()


class Referral(SQLModel, table=True):
    """A newcomer who joined through a member's personal link: one row per newcomer and group,
    ever (a later join, through any link, changes nothing).

    status: joined (waiting for the first check-in) -> checked_in (waiting for `due_at`, three
    days after the join) -> counted (a successful invite; points paid per `reward`), or left
    (the newcomer left before `due_at`: never counted). reward: paid | capped (the inviter's
    daily cap was reached: only the newcomer was paid) | off (no points set).
    """

    __tablename__ = "referral"
    __table_args__ = (
        sa.Index("ix_referral_inviter", "group_id", "inviter_id", "counted_at"),
        sa.Index("ix_referral_due", "status", "due_at"),
        sa.CheckConstraint("inviter_id <> invitee_id", name="not_self"),
    )

    group_id: int = tg_id(primary_key=True)
    invitee_id: int = tg_id(primary_key=True)
    inviter_id: int = tg_id()
    link: str = Field(max_length=255)
    joined_at: datetime = ts(nullable=False)
    due_at: datetime = ts(nullable=False)
    status: str = Field(default="joined", max_length=12)
    first_checkin_at: datetime | None = ts()
    left_at: datetime | None = ts()
    counted_at: datetime | None = ts()
    reward: str | None = Field(default=None, max_length=8)
    inviter_points: int = Field(default=0)
    invitee_points: int = Field(default=0)


class InviteTally(SQLModel, table=True):
    """Successful invites of a member in a group, and whether the member is present: the
    /top invites board reads the group's present members in index order."""

    __tablename__ = "invite_tally"
    __table_args__ = (
        sa.Index("ix_invite_tally_board", "group_id", "present", "invites", "user_id"),
        {"info": {"group_merge": {"sum": ["invites"]}}},
    )

    group_id: int = tg_id(primary_key=True)
    user_id: int = tg_id(primary_key=True)
    invites: int = Field(default=0)
    present: bool = Field(default=True)


class InviteValueCount(SQLModel, table=True):
    """How many present members of a group have each number of successful invites: a rank on
    /top invites is one plus the members counted above (a few rows, whatever the group's
    size). Kept with invite_tally, in the same transactions."""

    __tablename__ = "invite_value_count"
    __table_args__ = ({"info": {"group_merge": {"sum": ["members"]}}},)

    group_id: int = tg_id(primary_key=True)
    invites: int = Field(primary_key=True)
    members: int = Field(default=0)


class JoinSource(SQLModel, table=True):
    """Where one join came from (Telegram reports a join twice, with and without its link: the
    more telling report wins). source: invite (a member's personal link), request (an
    approved join request), link (another invite link), other (added, or a public group)."""

    __tablename__ = "join_source"

    group_id: int = tg_id(primary_key=True)
    user_id: int = tg_id(primary_key=True)
    day: date = Field(primary_key=True)  # the group's local day of the join
    source: str = Field(max_length=8)
    joined_at: datetime = ts(nullable=False)


class JoinSourceDay(SQLModel, table=True):
    """Joins per group, local day and source: running totals for reports (/stats)."""

    __tablename__ = "join_source_day"
    __table_args__ = ({"info": {"group_merge": {"sum": ["joins"]}}},)

    group_id: int = tg_id(primary_key=True)
    day: date = Field(primary_key=True)
    source: str = Field(primary_key=True, max_length=8)
    joins: int = Field(default=0)


class OnboardingQuestion(SQLModel, table=True):
    """A question admins ask of people requesting to join. kind: choice (options: a JSON list,
    shown as buttons) or text (answered by a reply). `field` names the profile field."""

    __tablename__ = "onboarding_question"
    __table_args__ = (sa.Index("ix_onboarding_question_group", "group_id", "position"),)

    id: int | None = surrogate_id()
    group_id: int = tg_id()
    position: int
    field: str = Field(max_length=32)
    kind: str = Field(max_length=8)
    prompt: str = Field(max_length=400)
    options: str = Field(default="[]", sa_type=sa.Text)
    created_at: datetime = ts(nullable=False)


class JoinRequest(SQLModel, table=True):
    """A chat_join_request and its questionnaire in private (through `user_chat_id`).

    status: asking (questions under way until `deadline_at`) -> answered (the last answer is
    in; the bot approves or hands it over) -> review (left to the admins: finished, or not in
    time, or the bot could not write to them) -> approved | declined. `questions`: the
    questions as they were when the request came (JSON), so an edit meanwhile changes nothing.
    """

    __tablename__ = "join_request"
    __table_args__ = (
        sa.Index("ix_join_request_user", "user_id", "status"),
        sa.Index("ix_join_request_group", "group_id", "status"),
        sa.Index("ix_join_request_due", "status", "deadline_at"),
    )

    id: int | None = surrogate_id()
    group_id: int = tg_id()
    user_id: int = tg_id()
    user_chat_id: int = tg_id()
    name: str = Field(default="", max_length=255)
    invite_link: str | None = Field(default=None, max_length=255)
    requested_at: datetime = ts(nullable=False)
    deadline_at: datetime = ts(nullable=False)
    status: str = Field(default="asking", max_length=12)
    step: int = Field(default=0)
    questions: str = Field(default="[]", sa_type=sa.Text)
    timed_out: bool = Field(default=False)
    decided_by: int | None = Field(default=None, sa_type=sa.BigInteger)
    decided_at: datetime | None = ts()
    updated_at: datetime = ts(nullable=False)


class OnboardingAnswer(SQLModel, table=True):
    """One answer of a join request's questionnaire (step: the question's place in it)."""

    __tablename__ = "onboarding_answer"

    request_id: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True))
    step: int = Field(primary_key=True)
    field: str = Field(max_length=32)
    value: str = Field(max_length=400)
    answered_at: datetime = ts(nullable=False)


class MemberField(SQLModel, table=True):
    """A member's profile field in a group (from their onboarding answers): `/whois`, exports
    and the selector term `field:city=上海` read these."""

    __tablename__ = "member_field"
    __table_args__ = (sa.Index("ix_member_field_value", "group_id", "field", "value"),)

    group_id: int = tg_id(primary_key=True)
    user_id: int = tg_id(primary_key=True)
    field: str = Field(primary_key=True, max_length=32)
    value: str = Field(max_length=400)
    updated_at: datetime = ts(nullable=False)


class OnboardingPrompt(SQLModel, table=True):
    """The /onboarding guided add: the bot asked, in its message `message_id`, for a question of
    `kind`; an administrator's reply to it is the question."""

    __tablename__ = "onboarding_prompt"

    group_id: int = tg_id(primary_key=True)
    message_id: int = tg_id(primary_key=True)
    kind: str = Field(max_length=8)
    created_by: int = tg_id()
    created_at: datetime = ts(nullable=False)
