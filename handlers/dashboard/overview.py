"""The Overview page: the headline numbers with their change, the goals (the North Star
first), daily series and the weekday × hour heat map, for a period the picker chooses."""

from __future__ import annotations

from typing import Any

from bot.dashboard.routes import WebContext, WebPage, WebRoute
from core.overview import PERIODS, GoalsSource, NoGoals, OverviewProvider, period_of
from handlers.dashboard.json import day


async def overview(ctx: WebContext) -> dict[str, Any]:
    provider: OverviewProvider = ctx.service("overview")
    goals: GoalsSource = ctx.deps.get("dashboard_goals") or NoGoals()
    period = period_of(ctx.group, ctx.query("period", PERIODS[0]), ctx.at)
    uow = ctx.read_uow()
    headlines = await provider.headlines(uow, ctx.group, period)
    series = await provider.series(uow, ctx.group, period)
    heatmap = await provider.heatmap(uow, ctx.group, period)
    found = await goals.goals(uow, ctx.group, period.last_day)
    return {
        "group": {"id": str(ctx.group.group_id), "title": ctx.group.title},
        "timezone": ctx.group.timezone,
        "period": {
            "token": period.token,
            "days": period.days,
            "first": day(period.first_day),
            "last": day(period.last_day),
            "presets": list(PERIODS),
        },
        "headlines": [
            {"key": h.key, "value": h.value, "previous": h.previous, "kind": h.kind}
            for h in headlines
        ],
        "series": [
            {"key": s.key, "days": [day(d) for d in s.days], "values": s.values} for s in series
        ],
        "heatmap": heatmap.values if heatmap is not None else None,
        "goals": [
            {
                "metric": g.metric,
                "target": g.target,
                "current": g.current,
                "kind": g.kind,
                "deadline": day(g.deadline) if g.deadline else None,
                "north_star": g.north_star,
                "share": g.share,
                "outlook": g.outlook,
                "eta": day(g.eta) if g.eta else None,
            }
            for g in found
        ],
    }


def page() -> WebPage:
    return WebPage("overview", (WebRoute("GET", "overview", overview),), order=10)
