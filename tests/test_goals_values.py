"""Each metric's current value and history, hand-computed on a crafted month of a group's days
(group_day rows written directly), on SQLite and PostgreSQL; a goal's progress and outlook
from them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from core.goals import goals as use_cases
from core.goals import metrics as m
from core.goals.trend import ON_TRACK
from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.tables import GroupDay

G = -100777
FIRST = date(2026, 3, 1)
TODAY = date(2026, 3, 31)


def _row(i: int) -> dict[str, object]:
    day = FIRST + timedelta(days=i)
    joins = {9: (4, 2), 19: (5, 1), 22: (2, 1), 24: (3, 3)}.get(i, (0, 0))  # (joins, ret_d7)
    return dict(
        group_id=G,
        day=day,
        members_delta=10 if i == 0 else 1,  # 10 the first day, one more each day: 39 on 03-30
        wau_delta=8 if i == 0 else 0,
        mau_delta=20 if i == 0 else 0,
        active=5 + i % 2,
        messages=10 * i,
        checkins=4,
        joins=joins[0],
        ret_d7=joins[1],
    )


async def test_metric_values_and_a_goal_on_track(session_factory: SessionFactory) -> None:
    async with session_factory() as s:
        await s.exec(sa.insert(GroupDay.__table__), params=[_row(i) for i in range(30)])  # type: ignore[call-overload]
        await s.commit()
        found = await m.histories(s, G, TODAY)

    assert found["members"].current == 39 and found["members"].values[-1] == 39
    assert found["members"].days[-1] == date(2026, 3, 30) and len(found["members"].days) == 28
    assert (found["wau"].current, found["mau"].current) == (8, 20)
    last7 = [5 + i % 2 for i in range(23, 30)]  # 6 5 6 5 6 5 6
    assert found["dau"].current == pytest.approx(sum(last7) / 7)
    assert found["messages"].current == pytest.approx(260.0)  # 230 … 290
    assert found["stickiness"].current == pytest.approx(sum(d / 20 for d in last7) / 7)
    rates = [4 / (10 + i) for i in range(23, 30)]  # 4 check-ins / members that day
    assert found["checkin_rate"].current == pytest.approx(sum(rates) / 7)
    # D7: the cohorts of 03-10 (2 of 4), 03-20 (1 of 5) and 03-23 (1 of 2: its day 7 is
    # yesterday); 03-25's day 7 has not come.
    assert found["d7"].current == pytest.approx(4 / 11)
    assert found["d7"].days == (date(2026, 3, 10), date(2026, 3, 20), date(2026, 3, 23))

    async with session_factory() as s:
        uow = UnitOfWork(s, key="test:goal")
        at = datetime(2026, 3, 31, 2, tzinfo=UTC)
        await use_cases.set_goal(uow, G, 1, "members", 50, date(2026, 4, 30), TODAY, at)
    async with session_factory() as s:
        (goal,) = await use_cases.goals_progress(s, G, TODAY)
    assert goal.north_star and goal.start_value == 39 and goal.current == 39
    # +1 a day: 39 on 03-30, so 70 on 04-30.
    assert goal.outlook.status == ON_TRACK and goal.outlook.projected == pytest.approx(70)
    assert goal.share == 0.0
