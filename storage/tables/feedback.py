"""Feedback tables: items members send (numbered per group) with their threads, drafts of the
guided flows, and surveys with their answers."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.tables.base import surrogate_id, tg_id, ts


class FeedbackCounter(SQLModel, table=True):
    """The last number given per group and kind ("item", "survey"): #1, #2, ..."""

    __tablename__ = "feedback_counter"
    __table_args__ = ({"info": {"group_merge": {"max": ["last"]}}},)

    group_id: int = tg_id(primary_key=True)
    kind: str = Field(primary_key=True, max_length=16)
    last: int = Field(default=0)


class FeedbackItem(SQLModel, table=True):
    """One piece of feedback: new -> in_progress -> resolved | wontfix."""

    __tablename__ = "feedback_item"
    __table_args__ = (
        sa.UniqueConstraint("group_id", "number", name="uq_feedback_item_group_number"),
        sa.Index("ix_feedback_item_group_status", "group_id", "status", "number"),
        sa.Index("ix_feedback_item_user_created", "user_id", "group_id", "created_at"),
    )

    id: int | None = surrogate_id()
    group_id: int = tg_id()
    number: int = Field()
    user_id: int = tg_id()
    category: str = Field(max_length=16)
    status: str = Field(default="new", max_length=16)
    priority: int = Field(default=1)  # 0 low, 1 normal, 2 high, 3 urgent
    text: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    attachments: str = Field(default="", max_length=2000)  # Telegram file ids, comma-separated
    # Where the member sent it (a group message gets the reply if the member cannot be DMed).
    source_chat_id: int = tg_id()
    source_message_id: int | None = Field(default=None)
    survey_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger))
    created_at: datetime = ts(nullable=False)
    updated_at: datetime = ts(nullable=False)
    resolved_at: datetime | None = ts()


class FeedbackMessage(SQLModel, table=True):
    """The thread of an item: the member's text first, then managers' replies and answers."""

    __tablename__ = "feedback_message"
    __table_args__ = (sa.Index("ix_feedback_message_item", "item_id", "id"),)

    id: int | None = surrogate_id()
    item_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    author_id: int = tg_id()
    role: str = Field(max_length=16)  # member | manager
    text: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    file_id: str | None = Field(default=None, max_length=255)
    created_at: datetime = ts(nullable=False)


class FeedbackDraft(SQLModel, table=True):
    """What a person is in the middle of, in one chat: a guided /feedback (category picked,
    text awaited), a manager's reply to an item (text awaited), or a survey detractor's
    answer to "why?" (text awaited, in private)."""

    __tablename__ = "feedback_draft"

    user_id: int = tg_id(primary_key=True)
    chat_id: int = tg_id(primary_key=True)
    purpose: str = Field(max_length=16)  # feedback | reply | survey
    group_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger))
    item_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger))
    survey_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger))
    category: str | None = Field(default=None, max_length=16)
    text: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    created_at: datetime = ts(nullable=False)


class FeedbackKeywords(SQLModel, table=True):
    """A group's own keyword list of a category (replacing the default list); no row: the
    defaults of core/feedback/rules.py."""

    __tablename__ = "feedback_keywords"
    __table_args__ = ({"info": {"group_merge": {"keep": "old"}}},)

    group_id: int = tg_id(primary_key=True)
    category: str = Field(primary_key=True, max_length=16)
    words: str = Field(sa_column=sa.Column(sa.Text, nullable=False))  # one per line
    updated_by: int = tg_id()
    updated_at: datetime = ts(nullable=False)


class FeedbackStaffChat(SQLModel, table=True):
    """The forum supergroup where a group's managers work its feedback, a topic per item."""

    __tablename__ = "feedback_staff_chat"

    group_id: int = tg_id(primary_key=True)
    staff_chat_id: int = tg_id()
    linked_by: int = tg_id()
    linked_at: datetime = ts(nullable=False)


class FeedbackTopic(SQLModel, table=True):
    """The staff chat's forum topic of an item: what managers write there goes to the member."""

    __tablename__ = "feedback_topic"
    __table_args__ = (
        sa.UniqueConstraint("chat_id", "thread_id", name="uq_feedback_topic_chat_thread"),
    )

    item_id: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True))
    chat_id: int = tg_id()
    thread_id: int = Field()


_OPEN_TIMED = sa.text("closed_at IS NULL AND closes_at IS NOT NULL")


class Survey(SQLModel, table=True):
    """An NPS (0-10) or CSAT (1-5) question posted to a group."""

    __tablename__ = "survey"
    __table_args__ = (
        sa.UniqueConstraint("group_id", "number", name="uq_survey_group_number"),
        # The closing sweep reads open surveys with a closing time only.
        sa.Index(
            "ix_survey_closes_at",
            "closes_at",
            postgresql_where=_OPEN_TIMED,
            sqlite_where=_OPEN_TIMED,
        ),
    )

    id: int | None = surrogate_id()
    group_id: int = tg_id()
    number: int = Field()
    kind: str = Field(max_length=8)  # nps | csat
    question: str = Field(max_length=500)
    message_id: int | None = Field(default=None)
    created_by: int = tg_id()
    created_at: datetime = ts(nullable=False)
    closed_at: datetime | None = ts()
    # When it closes by itself (the leader's scheduler closes it then); None: when asked.
    closes_at: datetime | None = ts()


class SurveyAnswer(SQLModel, table=True):
    """A member's answer; pressing another button changes it."""

    __tablename__ = "survey_answer"

    survey_id: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True))
    user_id: int = tg_id(primary_key=True)
    score: int = Field()
    answered_at: datetime = ts(nullable=False)
    # When the member was asked "why?" in private (a detractor, once per survey).
    followup_at: datetime | None = ts()


class Poll(SQLModel, table=True):
    """A native Telegram poll posted with /poll (numbered per group)."""

    __tablename__ = "poll"
    __table_args__ = (
        sa.UniqueConstraint("group_id", "number", name="uq_poll_group_number"),
        sa.UniqueConstraint("tg_poll_id", name="uq_poll_tg_poll_id"),
    )

    id: int | None = surrogate_id()
    group_id: int = tg_id()
    number: int = Field()
    question: str = Field(max_length=300)
    options: str = Field(sa_column=sa.Column(sa.Text, nullable=False))  # one per line
    anonymous: bool = Field(default=False)
    tg_poll_id: str | None = Field(default=None, max_length=64)  # once Telegram sent it
    message_id: int | None = Field(default=None)
    created_by: int = tg_id()
    created_at: datetime = ts(nullable=False)
    closed_at: datetime | None = ts()


class PollVote(SQLModel, table=True):
    """A member's current choice in a poll (a retracted vote removes the row)."""

    __tablename__ = "poll_vote"

    poll_id: int = Field(sa_column=sa.Column(sa.BigInteger, primary_key=True))
    user_id: int = tg_id(primary_key=True)
    option_ids: str = Field(max_length=64)  # comma-separated option indexes
    answered_at: datetime = ts(nullable=False)
