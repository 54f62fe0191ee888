"""Shop tables: the rewards catalogue, coupon codes, redemptions, and members' badges."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.tables.base import surrogate_id, tg_id, ts


class Reward(SQLModel, table=True):
    """An item of a group's catalogue; `number` (#1, #2, … in creation order) names it there.

    stock NULL: unlimited. per_member_limit NULL: no limit. mode: auto | manual | code.
    photo_file_id: the Telegram file id of its photo (shown with the item), or NULL.
    """

    __tablename__ = "reward"
    __table_args__ = (
        sa.UniqueConstraint("group_id", "number", name="uq_reward_group_number"),
        sa.CheckConstraint("stock IS NULL OR stock >= 0", name="stock_non_negative"),
        sa.CheckConstraint("cost > 0", name="cost_positive"),
    )

    id: int | None = surrogate_id()
    group_id: int = tg_id()
    number: int
    name: str = Field(max_length=64)
    description: str | None = Field(default=None, max_length=500)
    cost: int
    stock: int | None = Field(default=None)
    per_member_limit: int | None = Field(default=None)
    min_level: int = Field(default=1)
    mode: str = Field(default="auto", max_length=8)
    enabled: bool = Field(default=True)
    low_stock_reported: bool = Field(default=False)
    photo_file_id: str | None = Field(default=None, max_length=255)
    created_at: datetime = ts(nullable=False)


class RewardPhotoPrompt(SQLModel, table=True):
    """The guided add flow's photo step: the bot asked, in its message `message_id`, for a
    photo of reward #number; an administrator's photo sent in reply to it becomes the photo."""

    __tablename__ = "reward_photo_prompt"

    group_id: int = tg_id(primary_key=True)
    message_id: int = tg_id(primary_key=True)
    number: int
    created_by: int = tg_id()
    created_at: datetime = ts(nullable=False)


class RewardCode(SQLModel, table=True):
    """A coupon code of a code-mode reward; taken by one redemption (its request key)."""

    __tablename__ = "reward_code"
    __table_args__ = (
        sa.UniqueConstraint("reward_id", "code", name="uq_reward_code_reward_code"),
        sa.Index("ix_reward_code_free", "reward_id", "taken_by"),
    )

    id: int | None = surrogate_id()
    reward_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    code: str = Field(max_length=128)
    taken_by: str | None = Field(default=None, max_length=128)
    created_at: datetime = ts(nullable=False)


class Redemption(SQLModel, table=True):
    """A member spent points on a reward. status: pending | fulfilled | rejected.

    request_key: what the member confirmed (one confirmation redeems once, however often it is
    pressed or redelivered). claim_token: the deep link that hands over a held code.
    """

    __tablename__ = "redemption"
    __table_args__ = (
        sa.Index("ix_redemption_group_status", "group_id", "status"),
        sa.Index("ix_redemption_member", "group_id", "user_id", "reward_id"),
    )

    id: int | None = surrogate_id()
    group_id: int = tg_id()
    user_id: int = tg_id()
    reward_id: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    reward_number: int
    reward_name: str = Field(max_length=64)
    cost: int
    mode: str = Field(max_length=8)
    status: str = Field(max_length=16)
    code: str | None = Field(default=None, max_length=128)
    request_key: str = Field(max_length=128, sa_column_kwargs={"unique": True})
    claim_token: str | None = Field(default=None, max_length=32, sa_column_kwargs={"unique": True})
    reason: str | None = Field(default=None, max_length=255)
    decided_by: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    created_at: datetime = ts(nullable=False)
    decided_at: datetime | None = ts()


class MemberBadge(SQLModel, table=True):
    """A badge a member earned in a group, once."""

    __tablename__ = "member_badge"

    group_id: int = tg_id(primary_key=True)
    user_id: int = tg_id(primary_key=True)
    badge: str = Field(primary_key=True, max_length=32)
    awarded_at: datetime = ts(nullable=False)
