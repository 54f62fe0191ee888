"""The Overview's goals (core/overview.py GoalsSource) from the goals feature: each goal's
progress and the outlook of its trend (core/goals/goals.py), the North Star first; [] when the
group has none (the page's empty state)."""

from __future__ import annotations

from datetime import date

from core.community.group_settings import GroupSettings
from core.goals import metrics
from core.goals.goals import goals_progress
from core.overview import AVERAGE, COUNT, RATE, GoalView
from core.uow import UnitOfWork

KINDS = {
    metric: RATE if metric in metrics.RATES else AVERAGE if metric in metrics.AVERAGED else COUNT
    for metric in metrics.METRICS
}
OUTLOOKS = ("reached", "on_track", "behind", "eta", "not_closer", "no_trend")


class GoalsProgress:
    async def goals(self, uow: UnitOfWork, group: GroupSettings, today: date) -> list[GoalView]:
        found = await goals_progress(uow.session, group.group_id, today)
        return [
            GoalView(
                metric=g.metric,
                target=g.target,
                current=g.current,
                kind=KINDS.get(g.metric, COUNT),
                deadline=g.due_day,
                north_star=g.north_star,
                share=g.share,
                outlook=g.outlook.status,
                eta=g.outlook.eta,
            )
            for g in found
        ]
