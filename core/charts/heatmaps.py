"""Heat maps: activity by weekday and hour, and cohort retention (shares in the cells; a
cell whose day or week has not come yet is left empty, not drawn as 0 %)."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter

from core.charts import style
from core.charts.model import ActivityHeatmap, NothingToDraw, RetentionHeatmap

# Light to deep blue: empty cells stay nearly white, so the busy hours stand out.
HEAT = LinearSegmentedColormap.from_list("heat", ["#f8fafc", "#bfdbfe", "#3b82f6", "#1e3a8a"])
EMPTY = "#f3f4f6"


def activity_heatmap(chart: ActivityHeatmap) -> bytes:
    counts = np.array(chart.counts, dtype=float)
    if counts.shape != (7, 24):
        raise ValueError(f"expected 7 x 24 counts, got {counts.shape}")
    if len(chart.weekdays) != 7:
        raise ValueError("seven weekday labels expected")
    if counts.sum() <= 0:
        raise NothingToDraw("no activity")
    with style.figure(height_in=5.0) as fig:
        ax = fig.add_subplot()
        image = ax.imshow(counts, cmap=HEAT, aspect="auto", vmin=0, interpolation="nearest")
        ax.set_yticks(range(7), chart.weekdays)
        ax.set_xticks(range(0, 24, 3), [f"{h}:00" for h in range(0, 24, 3)])
        ax.tick_params(length=0)
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        row, column = np.unravel_index(int(np.argmax(counts)), counts.shape)
        ax.add_patch(
            Rectangle(
                (column - 0.5, row - 0.5), 1, 1, fill=False, edgecolor=style.ORANGE, linewidth=3
            )
        )
        bar = fig.colorbar(image, ax=ax, pad=0.02, fraction=0.05)
        bar.outline.set_visible(False)
        bar.ax.yaxis.set_major_formatter(FuncFormatter(style.thousands))
        bar.ax.tick_params(labelsize=11, colors=style.MUTED)
        style.titles(fig, ax, chart.texts)
        return style.png(fig)


def retention_heatmap(chart: RetentionHeatmap) -> bytes:
    rows, columns = len(chart.cohorts), len(chart.offsets)
    if rows == 0 or columns == 0:
        raise NothingToDraw("no cohorts")
    if len(chart.sizes) != rows or len(chart.shares) != rows:
        raise ValueError("one size and one row of shares per cohort")
    if any(len(r) != columns for r in chart.shares):
        raise ValueError("one share per offset in every row")
    values = np.array(
        [[np.nan if v is None else float(v) for v in r] for r in chart.shares], dtype=float
    )
    if np.isnan(values).all():
        raise NothingToDraw("no offset has come yet")
    if np.nanmin(values) < 0 or np.nanmax(values) > 1:
        raise ValueError("shares are fractions from 0 to 1")
    height = min(9.0, max(3.6, 1.6 + 0.45 * rows))
    with style.figure(height_in=height) as fig:
        ax = fig.add_subplot()
        cmap = HEAT.with_extremes(bad=EMPTY)
        ax.imshow(
            np.ma.masked_invalid(values),
            cmap=cmap,
            aspect="auto",
            vmin=0,
            vmax=max(0.5, float(np.nanmax(values))),
            interpolation="nearest",
        )
        labels = [f"{c} ({n:,})" for c, n in zip(chart.cohorts, chart.sizes, strict=True)]
        ax.set_yticks(range(rows), labels)
        ax.set_xticks(range(columns), chart.offsets)
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        deep = max(0.5, float(np.nanmax(values))) * 0.55
        for r in range(rows):
            for c in range(columns):
                share = values[r, c]
                if np.isnan(share):
                    continue
                ax.text(
                    c,
                    r,
                    f"{share * 100:.0f}%",
                    ha="center",
                    va="center",
                    fontsize=12 if rows <= 12 else 10,
                    color="white" if share >= deep else style.INK,
                )
        style.titles(fig, ax, chart.texts)
        return style.png(fig)
