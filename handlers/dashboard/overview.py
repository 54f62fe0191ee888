"""The Overview page: headline numbers with their change, daily series, a heat map."""

from __future__ import annotations

from typing import Any

from bot.dashboard.routes import WebContext, WebPage, WebRoute
from core.overview import OverviewProvider, period_of
from handlers.dashboard.json import day


async def overview(ctx: WebContext) -> dict[str, Any]:
    provider: OverviewProvider = ctx.service("overview")
    period = period_of(ctx.group, ctx.int_query("days", 7, 1, 366), ctx.at)
    uow = ctx.read_uow()
    headlines = await provider.headlines(uow, ctx.group, period)
    series = await provider.series(uow, ctx.group, period)
    heatmap = await provider.heatmap(uow, ctx.group, period)
    return {
        "group": {"id": str(ctx.group.group_id), "title": ctx.group.title},
        "timezone": ctx.group.timezone,
        "period": {
            "days": period.days,
            "first": day(period.first_day),
            "last": day(period.last_day),
        },
        "headlines": [{"key": h.key, "value": h.value, "previous": h.previous} for h in headlines],
        "series": [
            {"key": s.key, "days": [day(d) for d in s.days], "values": s.values} for s in series
        ],
        "heatmap": heatmap.values if heatmap is not None else None,
    }


def page() -> WebPage:
    return WebPage("overview", (WebRoute("GET", "overview", overview),), order=10)
