"""Analytics tables: what each member did on each local day, and each group's running day totals.

Both are kept incrementally by the use cases that cause the activity (core/analytics/), in their
transactions; reports read them, never the raw tables. docs/analytics.md describes every column.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.tables.base import tg_id

# The counters of a member's day (member_day) that a group's day (group_day) adds up too.
MEMBER_DAY_COUNTS = (
    "messages",
    "checkins",
    "presses",
    "reactions",
    "answers",
    "feedback",
    "redemptions",
    "points_earned",
    "points_spent",
)
RETENTION_DAYS = (1, 7, 14, 30)  # D-n of a join-day cohort
RETENTION_WEEKS = tuple(range(1, 9))  # W1..W8 of a join-week cohort
FUNNEL_STEPS = ("checkin", "streak3", "streak7", "redeem")
HOURS = tuple(range(24))


def hour_column(hour: int) -> str:
    return f"h{hour:02d}"


# Every counter of group_day (all added up: the group's day is the sum of what happened).
GROUP_DAY_COUNTS = (
    "members_delta",
    "joins",
    "leaves",
    "active",
    "posters",
    "messages",
    "checkins",
    "presses",
    "reactions",
    "answers",
    "feedback",
    "redemptions",
    "points_issued",
    "points_spent",
    "wau_delta",
    "mau_delta",
    *(f"ret_d{n}" for n in RETENTION_DAYS),
    *(f"ret_w{n}" for n in RETENTION_WEEKS),
    *(f"fun_{step}" for step in FUNNEL_STEPS),
    *(hour_column(h) for h in HOURS),
)


def _count() -> object:
    return Field(default=0, sa_column_kwargs={"server_default": "0"})


class MemberDay(SQLModel, table=True):
    """One member's local day in a group: what they did (counts) and the points that moved.

    active: 1 if the member did anything themselves that day (a message, a check-in, a button
    press, a reaction, an answer, feedback, a redemption); points an administrator granted or a
    refund make a row with active 0. Keyed by day first, so a period of a group is one range of
    the primary key (SQLite: WITHOUT ROWID, the rows are the key's B-tree); one member's days
    come from ix_member_day_member.
    """

    __tablename__ = "member_day"
    __table_args__ = (
        sa.Index("ix_member_day_member", "group_id", "user_id", "day"),
        {
            "sqlite_with_rowid": False,
            "info": {
                "group_merge": {
                    "sum": [c for c in MEMBER_DAY_COUNTS if c != "checkins"],
                    "max": ["active", "checkins"],
                }
            },
        },
    )

    group_id: int = tg_id(primary_key=True)
    day: date = Field(primary_key=True)
    user_id: int = tg_id(primary_key=True)
    active: int = _count()
    messages: int = _count()
    checkins: int = _count()
    presses: int = _count()
    reactions: int = _count()
    answers: int = _count()
    feedback: int = _count()
    redemptions: int = _count()
    points_earned: int = _count()
    points_spent: int = _count()


class GroupDay(SQLModel, table=True):
    """A group's local day, kept as running totals (every column is added to, never recomputed).

    members_delta: members present at the end of the day minus the day before (members at the
    end of day D = the sum up to D). active: members active that day (DAU); posters: of them,
    members who sent a message. wau_delta / mau_delta: a difference array whose sum up to D is
    the members active in the 7 / 30 days ending D. ret_d<n> (on a join day's row): that day's
    joiners active n days later; ret_w<n> (on a Monday's row): joiners of that week active in
    week n after it. fun_<step> (on a join day's row): that day's joiners who reached the step.
    hHH: activity events in that wall-clock hour. Rows ahead of today hold only the deltas that
    fall there.
    """

    __tablename__ = "group_day"
    __table_args__ = ({"info": {"group_merge": {"sum": list(GROUP_DAY_COUNTS)}}},)

    group_id: int = tg_id(primary_key=True)
    day: date = Field(primary_key=True)
    members_delta: int = _count()
    joins: int = _count()
    leaves: int = _count()
    active: int = _count()
    posters: int = _count()
    messages: int = _count()
    checkins: int = _count()
    presses: int = _count()
    reactions: int = _count()
    answers: int = _count()
    feedback: int = _count()
    redemptions: int = _count()
    points_issued: int = Field(
        default=0, sa_type=sa.BigInteger, sa_column_kwargs={"server_default": "0"}
    )
    points_spent: int = Field(
        default=0, sa_type=sa.BigInteger, sa_column_kwargs={"server_default": "0"}
    )
    wau_delta: int = _count()
    mau_delta: int = _count()
    ret_d1: int = _count()
    ret_d7: int = _count()
    ret_d14: int = _count()
    ret_d30: int = _count()
    ret_w1: int = _count()
    ret_w2: int = _count()
    ret_w3: int = _count()
    ret_w4: int = _count()
    ret_w5: int = _count()
    ret_w6: int = _count()
    ret_w7: int = _count()
    ret_w8: int = _count()
    fun_checkin: int = _count()
    fun_streak3: int = _count()
    fun_streak7: int = _count()
    fun_redeem: int = _count()
    h00: int = _count()
    h01: int = _count()
    h02: int = _count()
    h03: int = _count()
    h04: int = _count()
    h05: int = _count()
    h06: int = _count()
    h07: int = _count()
    h08: int = _count()
    h09: int = _count()
    h10: int = _count()
    h11: int = _count()
    h12: int = _count()
    h13: int = _count()
    h14: int = _count()
    h15: int = _count()
    h16: int = _count()
    h17: int = _count()
    h18: int = _count()
    h19: int = _count()
    h20: int = _count()
    h21: int = _count()
    h22: int = _count()
    h23: int = _count()
