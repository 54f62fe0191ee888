"""Campaign tables: private messages to a selected audience with a frozen control group
(campaign, campaign_recipient), members' opt-out of campaign messages (campaign_optout), and
each group's campaign numbers (campaign_counter). docs/campaigns.md describes the states."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.tables.base import surrogate_id, tg_id, ts


class Campaign(SQLModel, table=True):
    """One campaign (kind `campaign`) or one day's reactivation messages (kind `reactivation`).

    status: draft (previewed, not confirmed) -> scheduled (confirmed, waiting for `start_at`)
    -> sending -> done; paused (by an admin, resumable) and cancelled (nothing more is sent)
    at any point before done. The audience is frozen at the confirmation as recipient rows.
    """

    __tablename__ = "campaign"
    __table_args__ = (
        sa.UniqueConstraint("group_id", "number", name="uq_campaign_group_number"),
        sa.Index("ix_campaign_status", "status", "start_at"),
    )

    id: int | None = surrogate_id()
    group_id: int = tg_id()
    number: int | None = Field(default=None)  # given at the confirmation
    kind: str = Field(default="campaign", max_length=12)
    status: str = Field(default="draft", max_length=12)
    # The guided /campaign's next question while a draft is built: audience, message, button,
    # when; empty once it is complete (and for the one-line form).
    step: str = Field(default="", max_length=8)
    selector: str = Field(default="", max_length=500)
    text: str = Field(default="", sa_column=sa.Column(sa.Text(), nullable=False))
    source_chat_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger()))
    source_message_id: int | None = Field(default=None)
    button: str = Field(default="none", max_length=8)  # none | link | claim
    button_url: str = Field(default="", max_length=500)
    button_points: int = Field(default=0)
    holdout_percent: int = Field(default=10)
    seed: int = Field(default=0)
    audience: int = Field(default=0)
    holdout: int = Field(default=0)
    created_by: int = Field(default=0, sa_column=sa.Column(sa.BigInteger(), nullable=False))
    created_at: datetime = ts(nullable=False)
    start_at: datetime | None = ts()
    confirmed_at: datetime | None = ts()
    finished_at: datetime | None = ts()
    progress_chat_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger()))
    progress_message_id: int | None = Field(default=None)
    updated_at: datetime = ts(nullable=False)


class CampaignRecipient(SQLModel, table=True):
    """A member of a campaign's frozen audience and what became of them.

    arm: treated | holdout (drawn at random before any filtering; never messaged).
    status: holdout; pending -> sending (recorded before the request) -> sent | blocked
    (403) | failed (refused otherwise); skipped (skip_reason: opted_out, capped,
    unreachable, left: the member left the group before their turn); unknown (was `sending` when its process died: never sent again).
    """

    __tablename__ = "campaign_recipient"
    __table_args__ = (
        sa.Index("ix_campaign_recipient_todo", "campaign_id", "status", "user_id"),
        sa.Index("ix_campaign_recipient_cap", "group_id", "user_id", "sending_at"),
    )

    campaign_id: int = Field(sa_column=sa.Column(sa.BigInteger(), primary_key=True))
    user_id: int = tg_id(primary_key=True)
    group_id: int = tg_id()
    arm: str = Field(default="treated", max_length=8)
    status: str = Field(default="pending", max_length=8)
    skip_reason: str | None = Field(default=None, max_length=12)
    claimed_by: str | None = Field(default=None, max_length=40)
    sending_at: datetime | None = ts()
    sent_at: datetime | None = ts()
    message_id: int | None = Field(default=None)
    clicked_at: datetime | None = ts()
    claimed_at: datetime | None = ts()


class CampaignOptout(SQLModel, table=True):
    """A user who said /unsubscribe: no campaign messages from any group (operational
    messages still arrive). /subscribe deletes the row."""

    __tablename__ = "campaign_optout"

    user_id: int = tg_id(primary_key=True)
    at: datetime = ts(nullable=False)


class CampaignCounter(SQLModel, table=True):
    """The last campaign number of a group (its row lock makes numbering take turns)."""

    __tablename__ = "campaign_counter"
    __table_args__ = ({"info": {"group_merge": {"max": ["last"]}}},)

    group_id: int = tg_id(primary_key=True)
    last: int = Field(default=0)
