"""A group whose members' activity follows a known process, for prediction (bench, tests).

Each member has, from a seeded random generator:
- a join day (some before the simulated span: tenure) and an **interest** that **fades** with
  a half-life of their own (a third of them lose interest within weeks, the others slowly);
- a **weekday habit**: the weekdays they come on (active with their interest there, a quarter
  of it on other days);
- a hazard of **dropping out** for good, higher in their first two weeks;
- a check-in propensity; a check-in **streak** keeps them coming (+0.15 while it runs), and a
  streak of 3 or more that **breaks** costs them a fifth of their interest.

So the drivers the features look at (recent days, trend, streaks, habit, tenure) do drive
next week's activity, and the days since the last activity alone (the baseline) cannot see
all of them. `activity(...)` returns the member-days; `write(...)` puts a group into a
database (chat_group, member, member_day rows), as the bot would have recorded them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from storage.tables import ChatGroup, Member, MemberDay


@dataclass(frozen=True)
class Activity:
    start: date  # the first simulated day
    days: int
    join_day: Any  # per member: day index of the join (negative: before the span)
    active: Any  # days x members, bool
    checkins: Any  # days x members, bool


def activity(members: int, days: int, start: date, seed: int = 25) -> Activity:
    import numpy as np

    rng = np.random.default_rng(seed)
    join = rng.integers(-120, days - 7, members)
    interest = rng.beta(2.0, 2.0, members) * 0.8 + 0.15
    half_life = np.where(
        rng.random(members) < 0.35, rng.uniform(10, 45, members), rng.uniform(150, 600, members)
    )
    habit = rng.random((members, 7)) < rng.uniform(0.25, 0.95, members)[:, None]
    hazard = rng.uniform(0.002, 0.02, members)
    checkin_p = rng.beta(2.0, 3.0, members)
    gone = np.zeros(members, dtype=bool)
    streak = np.zeros(members, dtype=np.int64)
    active = np.zeros((days, members), dtype=bool)
    checkins = np.zeros((days, members), dtype=bool)
    for t in range(days):
        weekday = (start + timedelta(days=t)).weekday()
        age = t - join
        present = age >= 0
        new = (age >= 0) & (age < 14)
        gone |= present & (rng.random(members) < np.where(new, hazard * 4, hazard))
        level = interest * 0.5 ** (np.maximum(age, 0) / half_life)
        p = np.where(habit[:, weekday], level, level * 0.25) + np.where(streak > 0, 0.15, 0.0)
        p = np.where(present & ~gone, np.clip(p, 0.0, 0.97), 0.0)
        today = rng.random(members) < p
        checked = today & (rng.random(members) < checkin_p)
        broke = ~checked & (streak >= 3)
        interest = np.where(broke, interest * 0.8, interest)
        streak = np.where(checked, streak + 1, 0)
        active[t] = today
        checkins[t] = checked
    return Activity(start, days, join, active, checkins)


async def write(
    session: AsyncSession, group_id: int, act: Activity, *, first_user: int = 1
) -> int:
    """The group, its members and their days as rows (UTC calendar); the member-days written."""
    import numpy as np

    await session.execute(
        sa.insert(ChatGroup.__table__).values(id=group_id, title=f"Bench {group_id}")
    )
    members = len(act.join_day)
    ever = act.active.any(axis=0)
    last = act.days - 1 - np.argmax(act.active[::-1], axis=0)  # the last active day's index
    member_rows = []
    for i in range(members):
        joined = act.start + timedelta(days=int(act.join_day[i]))
        at = datetime.combine(joined, time(9), tzinfo=UTC)
        last_day = act.start + timedelta(days=int(last[i])) if ever[i] else None
        member_rows.append(
            {
                "group_id": group_id,
                "user_id": first_user + i,
                "first_seen_at": at,
                "joined_at": at,
                "join_day": joined,
                "active_day": last_day,
                "last_active_at": datetime.combine(last_day, time(12), tzinfo=UTC)
                if last_day is not None
                else None,
            }
        )
    await session.execute(sa.insert(Member.__table__), member_rows)
    t_idx, m_idx = np.nonzero(act.active)
    written = 0
    batch: list[dict[str, Any]] = []
    for t, m in zip(t_idx.tolist(), m_idx.tolist(), strict=True):
        batch.append(
            {
                "group_id": group_id,
                "day": act.start + timedelta(days=t),
                "user_id": first_user + m,
                "active": 1,
                "checkins": int(act.checkins[t, m]),
            }
        )
        if len(batch) >= 20_000:
            await session.execute(sa.insert(MemberDay.__table__), batch)
            written += len(batch)
            batch = []
    if batch:
        await session.execute(sa.insert(MemberDay.__table__), batch)
        written += len(batch)
    return written
