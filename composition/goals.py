"""The Overview's goals (core/overview.py GoalsSource) from the goals feature's `goal` table,
when the database has one; [] otherwise (the page shows its empty state).

The goals feature lands separately: this provider reads its table by column names rather than
importing its code, so either can land first. Columns read: group_id, metric, target, and, if
present, a deadline (`deadline` / `target_day` / `by_day` / `due`), the North Star flag
(`north_star` / `is_north_star` / `star`), and `deleted_at` / `active` to skip removed goals.
The current value of a metric is the last 7 days' number as /stats 7d gives it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from core.analytics import reports
from core.analytics.periods import Period
from core.community.group_settings import GroupSettings
from core.overview import AVERAGE, COUNT, RATE, GoalView
from core.uow import UnitOfWork

KINDS = {
    "members": COUNT,
    "dau": AVERAGE,
    "wau": COUNT,
    "mau": COUNT,
    "stickiness": RATE,
    "checkin_rate": RATE,
    "messages": COUNT,
    "d7": RATE,
}
_DEADLINE = ("deadline", "target_day", "by_day", "due", "due_day")
_STAR = ("north_star", "is_north_star", "star", "is_star")
WINDOW = 7  # days behind a goal's current value


class TableGoals:
    def __init__(self, table: str = "goal") -> None:
        self._table = table
        self._columns: set[str] | None = None  # the goal table's columns (empty: no table)

    async def _table_columns(self, uow: UnitOfWork) -> set[str]:
        if self._columns is None:

            def read(connection: Any) -> set[str]:
                inspector = sa.inspect(connection)
                if not inspector.has_table(self._table):
                    return set()
                return {c["name"] for c in inspector.get_columns(self._table)}

            connection = await uow.session.connection()
            self._columns = await connection.run_sync(read)
        return self._columns

    async def goals(self, uow: UnitOfWork, group: GroupSettings, today: date) -> list[GoalView]:
        columns = await self._table_columns(uow)
        if not {"group_id", "metric", "target"} <= columns:
            return []
        found = (
            (
                await uow.session.execute(
                    sa.text(f"SELECT * FROM {self._table} WHERE group_id = :g"),
                    {"g": group.group_id},
                )
            )
            .mappings()
            .all()
        )
        rows = [
            r for r in found if r.get("deleted_at") is None and r.get("active", True) is not False
        ]
        if not rows:
            return []
        current = await _current(uow, group.group_id, today)
        goals = [
            GoalView(
                metric=str(r["metric"]),
                target=float(r["target"]),
                current=current.get(str(r["metric"])),
                kind=KINDS.get(str(r["metric"]), COUNT),
                deadline=_first(r, _DEADLINE),
                north_star=bool(_first(r, _STAR)),
            )
            for r in rows
        ]
        return sorted(goals, key=lambda g: (not g.north_star, g.metric))


def _first(row: Any, names: tuple[str, ...]) -> Any:
    for name in names:
        if name in row and row[name] is not None:
            value = row[name]
            return date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return None


async def _current(uow: UnitOfWork, group_id: int, today: date) -> dict[str, float | None]:
    period = Period(today - timedelta(days=WINDOW - 1), today)
    c, _, _ = await reports.period_pair(uow.session, group_id, period)
    return {
        "members": c.members,
        "dau": c.dau,
        "wau": c.wau,
        "mau": c.mau,
        "stickiness": c.stickiness,
        "checkin_rate": c.checkin_rate,
        "messages": c.messages,
    }
