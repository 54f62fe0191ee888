"""Goals as use cases: set, delete, mark the North Star (audited, one transaction each), and
each goal's progress with the outlook of its trend (core/goals/trend.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from core.errors import DomainError
from core.goals import metrics as m
from core.goals.trend import Outlook, fit, outlook, progress
from core.uow import UnitOfWork
from storage.queries.community import audit
from storage.queries.goals import goals as rows

MAX_GOALS = len(m.METRICS)


class NoSuchGoal(DomainError):
    key = "goal-error-none"  # args: metric


@dataclass(frozen=True, slots=True)
class GoalProgress:
    metric: str
    target: float
    due_day: date | None
    north_star: bool
    start_value: float | None
    start_day: date
    current: float | None
    outlook: Outlook

    @property
    def share(self) -> float:
        return progress(self.current, self.target, self.start_value)


async def set_goal(
    uow: UnitOfWork,
    group_id: int,
    actor_id: int,
    metric: str,
    target: float,
    due: date | None,
    today: date,
    at: datetime,
) -> bool:
    """Set or replace the goal for `metric`; True if it became the North Star (the first goal
    of a group without one does)."""
    session = uow.session
    now = (await m.histories(session, group_id, today, (metric,)))[metric].current
    await rows.put(
        session,
        group_id=group_id,
        metric=metric,
        target=target,
        due_day=due,
        start_value=now,
        start_day=today,
        set_by=actor_id,
        at=at,
    )
    starred = False
    if await rows.north_star(session, group_id) is None:
        starred = await rows.set_star(session, group_id, metric)
    await audit.record(
        session,
        group_id=group_id,
        actor_id=actor_id,
        action="goal_set",
        at=at,
        details={
            "metric": metric,
            "target": target,
            "due": due.isoformat() if due else None,
            "start": now,
        },
    )
    await uow.commit()
    return starred


async def delete_goal(
    uow: UnitOfWork, group_id: int, actor_id: int, metric: str, at: datetime
) -> None:
    if not await rows.delete(uow.session, group_id, metric):
        raise NoSuchGoal(metric=metric)
    await audit.record(
        uow.session,
        group_id=group_id,
        actor_id=actor_id,
        action="goal_deleted",
        at=at,
        details={"metric": metric},
    )
    await uow.commit()


async def star_goal(
    uow: UnitOfWork, group_id: int, actor_id: int, metric: str, at: datetime
) -> None:
    """The metric's goal becomes the North Star (shown first everywhere)."""
    if not await rows.set_star(uow.session, group_id, metric):
        raise NoSuchGoal(metric=metric)
    await audit.record(
        uow.session,
        group_id=group_id,
        actor_id=actor_id,
        action="goal_north_star",
        at=at,
        details={"metric": metric},
    )
    await uow.commit()


def _progress(row: Any, history: m.History, today: date) -> GoalProgress:
    trend = fit(history.days, history.values)
    return GoalProgress(
        row.metric,
        float(row.target),
        row.due_day,
        bool(row.north_star),
        None if row.start_value is None else float(row.start_value),
        row.start_day,
        history.current,
        outlook(history.current, float(row.target), trend, today, row.due_day),
    )


async def goals_progress(session: AsyncSession, group_id: int, today: date) -> list[GoalProgress]:
    """The group's goals, the North Star first: a read of its goals and of its days."""
    found = await rows.of_group(session, group_id)
    if not found:
        return []
    wanted = tuple(dict.fromkeys(r.metric for r in found if r.metric in m.METRICS))
    history = await m.histories(session, group_id, today, wanted)
    return [_progress(r, history[r.metric], today) for r in found if r.metric in history]


async def north_star(session: AsyncSession, group_id: int, today: date) -> GoalProgress | None:
    """The North Star's progress (None: the group has none): /stats shows it first."""
    row = await rows.north_star(session, group_id)
    if row is None or row.metric not in m.METRICS:
        return None
    history = await m.histories(session, group_id, today, (row.metric,))
    return _progress(row, history[row.metric], today)
