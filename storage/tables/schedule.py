"""Scheduled posts and what each of their occurrences did (the database is the schedule's
source of truth; the in-memory scheduler only fires what these rows say)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.tables.base import surrogate_id, ts


class ScheduledPost(SQLModel, table=True):
    """A post an administrator scheduled in a group.

    rule: canonical text of core.schedule.when.Rule ("daily 08:00", "once 2026-12-01T01:30:00Z").
    Content: `text` (HTML, escaped), or a copy of message `source_message_id` of
    `source_chat_id` (copyMessage: photos, documents, polls). next_run_at is the due time of
    the next occurrence (UTC), None once a one-off post has run; status active | paused | done.
    """

    __tablename__ = "scheduled_post"
    __table_args__ = (
        sa.Index("ix_scheduled_post_due", "status", "next_run_at"),
        sa.Index("ix_scheduled_post_group", "group_id", "status"),
        # Ids are never reused (SQLite would reuse a deleted newest one): an occurrence's key
        # post:<id>:<due> must not meet a deleted post's.
        {"sqlite_autoincrement": True},
    )

    id: int | None = surrogate_id()
    group_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    thread_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger))
    created_by: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    rule: str = Field(max_length=200)
    text: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    source_chat_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger))
    source_message_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger))
    status: str = Field(default="active", max_length=16)
    # A post a command keeps one of per group ("greeting:morning"); None for /schedule's.
    label: str | None = Field(default=None, max_length=32)
    # Where the rule's interval counts from (EVERY), and the post's creation.
    anchor_at: datetime = ts(nullable=False)
    next_run_at: datetime | None = ts()
    runs: int = Field(default=0)
    created_at: datetime = ts(nullable=False)
    updated_at: datetime = ts(nullable=False)


class PostOccurrence(SQLModel, table=True):
    """One occurrence of a post: sent (with the message id) or skipped (too late, see grace).

    Written in the same transaction as the occurrence's idempotency key (processed_key
    `post:<id>:<due ISO>`); unique per post and due time as well. outcome: sending (claimed,
    not confirmed yet) | sent | failed | skipped; `missed` counts the occurrences a skip
    stands for (a bot that was down for hours skips them as one)."""

    __tablename__ = "post_occurrence"
    __table_args__ = (sa.UniqueConstraint("post_id", "due_at", name="uq_post_occurrence_due"),)

    id: int | None = surrogate_id()
    post_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    group_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    due_at: datetime = ts(nullable=False)
    outcome: str = Field(max_length=16)
    missed: int = Field(default=1)
    variant: int = Field(default=0)  # which of the post's texts (A/B variants, `||`)
    message_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger))
    run_at: datetime = ts(nullable=False)
    sent_at: datetime | None = ts()


class GreetingTemplate(SQLModel, table=True):
    """A group's welcome (kind "welcome") as its administrators wrote it, HTML-escaped; no row
    means none. Placeholders ({name}, {mention}, {group}, {count}, {date}) are filled in when
    it is sent; anything else in braces stays as it is."""

    __tablename__ = "greeting_template"
    # A group that moves to a new chat id keeps its own template.
    __table_args__ = ({"info": {"group_merge": {"keep": "old"}}},)

    group_id: int = Field(
        sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False, nullable=False)
    )
    kind: str = Field(primary_key=True, max_length=16)
    template: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    updated_by: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    updated_at: datetime = ts(nullable=False)


class PostVote(SQLModel, table=True):
    """A member found a variant of a post useful (the 👍 button): one per member and variant."""

    __tablename__ = "post_vote"

    post_id: int = Field(
        sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False, nullable=False)
    )
    variant: int = Field(primary_key=True, default=0)
    user_id: int = Field(
        sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False, nullable=False)
    )
    group_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    voted_at: datetime = ts(nullable=False)


class MemberBirthday(SQLModel, table=True):
    """A user's birthday (month and day), set in private with /birthday; congratulated in each
    group with a morning greeting, at that greeting."""

    __tablename__ = "member_birthday"

    user_id: int = Field(
        sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False, nullable=False)
    )
    month: int
    day: int
    updated_at: datetime = ts(nullable=False)


class ScheduleDraft(SQLModel, table=True):
    """The guided /schedule: an administrator picked when on the bot's prompt (message_id);
    replying to that prompt with a message to copy creates the post; replies with text are
    its variants (`texts`, " || " between them) until ✅ on the prompt creates it."""

    __tablename__ = "schedule_draft"

    group_id: int = Field(
        sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False, nullable=False)
    )
    message_id: int = Field(
        sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False, nullable=False)
    )
    rule: str = Field(max_length=200)
    created_by: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    created_at: datetime = ts(nullable=False)
    texts: str | None = Field(default=None, sa_column=sa.Column(sa.Text))


class ContentFeed(SQLModel, table=True):
    """An RSS/Atom or JSON Feed a group follows (/feed add): fetched by the scheduler's leader
    at `next_run_at` (rule: "daily 08:00" or "every <seconds>", as scheduled posts), new items
    posted to the group.

    etag / last_modified: the validators of the last answer, sent back (a 304 costs nothing).
    error_streak: failed fetches in a row (admins are told at the first of a streak only);
    last_error: its kind (unreachable, not_a_feed, too_big, blocked).
    """

    __tablename__ = "content_feed"
    __table_args__ = (
        sa.Index("ix_content_feed_due", "next_run_at"),
        sa.Index("ix_content_feed_group", "group_id"),
        {"sqlite_autoincrement": True},  # occurrence keys feed:<id>:<due> never meet again
    )

    id: int | None = surrogate_id()
    group_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    thread_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger))
    url: str = Field(max_length=2000)
    rule: str = Field(max_length=200)
    title: str = Field(default="", max_length=255)
    etag: str | None = Field(default=None, max_length=255)
    last_modified: str | None = Field(default=None, max_length=64)
    anchor_at: datetime = ts(nullable=False)
    next_run_at: datetime | None = ts()
    fetched_at: datetime | None = ts()
    error_streak: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=32)
    runs: int = Field(default=0)
    created_by: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    created_at: datetime = ts(nullable=False)
    updated_at: datetime = ts(nullable=False)


class FeedSeenItem(SQLModel, table=True):
    """An item of a feed that was posted or passed over (a hash of its id, and one of its link:
    an item is new only if neither was seen). Written in the transaction of the fetch's
    occurrence key, so no item is posted twice."""

    __tablename__ = "feed_seen_item"

    feed_id: int = Field(
        sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False, nullable=False)
    )
    item_key: str = Field(primary_key=True, max_length=64)
    seen_at: datetime = ts(nullable=False)


class HolidayGreeting(SQLModel, table=True):
    """A group's choice for one holiday (key: the holiday's slug, e.g. "national-day"): turned
    off, or its own text (HTML-escaped) instead of the default one. No row: on, default text."""

    __tablename__ = "holiday_greeting"
    __table_args__ = ({"info": {"group_merge": {"keep": "old"}}},)

    group_id: int = Field(
        sa_column=sa.Column(sa.BigInteger, primary_key=True, autoincrement=False, nullable=False)
    )
    holiday: str = Field(primary_key=True, max_length=64)
    enabled: bool = Field(default=True)
    text: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    updated_by: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    updated_at: datetime = ts(nullable=False)
