"""The entry points the worker process runs: a chart (or several, one call for an album) to
PNG bytes. matplotlib is imported here only when a chart is drawn, so importing this module
(to hand `render_all` to the worker) costs the bot process nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from core.charts.model import (
    ActiveMembers,
    ActivityHeatmap,
    Chart,
    CheckinsPerDay,
    Funnel,
    JoinsLeaves,
    MemberGrowth,
    NothingToDraw,
    RetentionHeatmap,
)


def _renderers() -> dict[type, Callable[[Any], bytes]]:
    from core.charts import funnel, heatmaps, series

    return {
        MemberGrowth: series.member_growth,
        ActiveMembers: series.active_members,
        JoinsLeaves: series.joins_leaves,
        CheckinsPerDay: series.checkins_per_day,
        ActivityHeatmap: heatmaps.activity_heatmap,
        RetentionHeatmap: heatmaps.retention_heatmap,
        Funnel: funnel.funnel,
    }


def render(chart: Chart) -> bytes:
    """One chart as PNG bytes (1080 px wide). NothingToDraw for empty data."""
    renderer = _renderers().get(type(chart))
    if renderer is None:
        raise TypeError(f"no renderer for {type(chart).__name__}")
    return renderer(chart)


def render_all(charts: Sequence[Chart]) -> list[bytes | None]:
    """Several charts in one call (an album): one trip to the worker. None for a chart with
    nothing to draw (the caller leaves it out, and says so if nothing is left)."""
    drawn: list[bytes | None] = []
    for chart in charts:
        try:
            drawn.append(render(chart))
        except NothingToDraw:
            drawn.append(None)
    return drawn
