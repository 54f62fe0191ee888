"""The funnel: one horizontal bar per step, top to bottom, with the members who reached it and
the conversion from the step above."""

from __future__ import annotations

from core.charts import style
from core.charts.model import Funnel, NothingToDraw

SHADES = ("#1d4ed8", "#2563eb", "#3b82f6", "#60a5fa", "#93c5fd", "#bfdbfe")


def funnel(chart: Funnel) -> bytes:
    steps = len(chart.steps)
    if steps == 0 or len(chart.counts) != steps:
        raise ValueError("one count per step")
    if chart.counts[0] <= 0:
        raise NothingToDraw("nobody entered the funnel")
    if any(c < 0 for c in chart.counts):
        raise ValueError("counts are not negative")
    height = min(8.0, max(3.6, 1.8 + 0.75 * steps))
    with style.figure(height_in=height) as fig:
        ax = fig.add_subplot()
        ys = list(range(steps))[::-1]  # first step on top
        colors = [SHADES[min(i, len(SHADES) - 1)] for i in range(steps)]
        ax.barh(ys, chart.counts, color=colors, height=0.7)
        ax.set_yticks(ys, chart.steps)
        ax.tick_params(axis="y", length=0, labelsize=13, labelcolor=style.INK)
        ax.grid(False)
        ax.xaxis.set_visible(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        top = chart.counts[0]
        ax.set_xlim(0, max(chart.counts) * 1.45)
        for index, (y, count) in enumerate(zip(ys, chart.counts, strict=True)):
            label = f"{count:,}"
            if index > 0:
                before = chart.counts[index - 1]
                share = count / before if before else 0.0
                label += f"  ({share * 100:.0f}%)"
            ax.text(
                count + top * 0.02,
                y,
                label,
                va="center",
                ha="left",
                fontsize=13,
                color=style.INK,
            )
        style.titles(fig, ax, chart.texts)
        return style.png(fig)
