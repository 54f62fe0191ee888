"""The Overview's goals read from a goals table by its column names (composition/goals.py),
on SQLite and PostgreSQL: the North Star first, removed goals left out, current values from
the analytics' day totals; no table: no goals."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from composition.goals import TableGoals
from core.community.group_settings import GroupSettings
from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.tables import GroupDay
from tests import factories as f

TABLE = "goal_dashboard_test"  # not the goals feature's own table name
TODAY = date(2026, 12, 6)


async def test_goals_from_a_table_the_north_star_first(session_factory: SessionFactory) -> None:
    async with session_factory() as s:
        await s.exec(  # type: ignore[call-overload]
            sa.text(
                f"CREATE TABLE {TABLE} (id INTEGER PRIMARY KEY, group_id BIGINT, metric VARCHAR(20),"
                " target FLOAT, deadline DATE, north_star BOOLEAN, deleted_at TIMESTAMP)"
            )
        )
        rows = [
            (1, "members", 500.0, None, False, None),
            (2, "dau", 40.0, TODAY + timedelta(days=30), True, None),
            (3, "mau", 1.0, None, False, TODAY),  # removed
            (4, "d7", 0.3, None, False, None),
        ]
        for id_, metric, target, deadline, star, deleted in rows:
            await s.exec(  # type: ignore[call-overload]
                sa.text(f"INSERT INTO {TABLE} VALUES (:id, :g, :m, :t, :d, :s, :x)").bindparams(
                    id=id_, g=f.GROUP_ID, m=metric, t=target, d=deadline, s=star, x=deleted
                )
            )
        await s.exec(  # type: ignore[call-overload]
            sa.insert(GroupDay.__table__).values(
                group_id=f.GROUP_ID, day=TODAY, members_delta=320, active=35
            )
        )
        await s.commit()
    goals = TableGoals(TABLE)
    uow = UnitOfWork(None, None, None, factory=session_factory)
    try:
        found = await goals.goals(uow, _group(), TODAY)
    finally:
        await uow.close()
    assert [(g.metric, g.north_star) for g in found] == [
        ("dau", True),
        ("d7", False),
        ("members", False),
    ]
    dau, d7, members = found
    assert dau.deadline == TODAY + timedelta(days=30) and dau.kind == "average"
    assert dau.current == 35.0 and dau.target == 40.0  # the 7 days' average, one day lived
    assert members.current == 320 and d7.current is None  # not measured: said, not guessed


async def test_no_table_no_goals(session_factory: SessionFactory) -> None:
    uow = UnitOfWork(None, None, None, factory=session_factory)
    try:
        assert await TableGoals(TABLE).goals(uow, _group(), TODAY) == []
    finally:
        await uow.close()


def _group() -> GroupSettings:
    return GroupSettings(f.GROUP_ID, "G", {"timezone": "UTC", "day_start": 0, "language": "en"})
