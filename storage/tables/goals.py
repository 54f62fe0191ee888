"""Goals (北极星指标 / OKR): a target per group and metric, one of them the North Star."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.tables.base import tg_id, ts


class GroupGoal(SQLModel, table=True):
    """A group's target for one metric (core/goals/metrics.py names them), by a day or open.

    start_value: the metric's value when the goal was set (the progress bar starts there);
    None when there was no value yet (the bar then starts at 0).
    """

    __tablename__ = "group_goal"
    __table_args__ = ({"info": {"group_merge": {"keep": "old"}}},)

    group_id: int = tg_id(primary_key=True)
    metric: str = Field(primary_key=True, max_length=16)
    target: float
    due_day: date | None = None
    north_star: bool = Field(default=False)
    start_value: float | None = None
    start_day: date
    set_by: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    updated_at: datetime = ts(nullable=False)
