"""The look shared by every chart: readable on a phone, light, with the Chinese-capable font.

Images are 1080 px wide (a phone screen's width in pixels): 7.2 in at 150 dpi, type of 12-18
pt (25-37 px), lines 3 pt thick. Figures are made with matplotlib's object-oriented API
(`Figure` and the Agg canvas): no pyplot, no global figure state; the style applies inside
`rc_context` while one chart is drawn.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from core.charts.dates import day_label
from core.charts.fonts import chart_font
from core.charts.model import Texts

DPI = 150
WIDTH_IN = 7.2  # 1080 px
HEIGHT_IN = 4.8  # 720 px; heat maps are taller

INK = "#1f2937"
MUTED = "#6b7280"
GRID = "#e5e7eb"
BLUE = "#2563eb"
GREEN = "#16a34a"
RED = "#dc2626"
ORANGE = "#ea580c"
PURPLE = "#7c3aed"
SERIES = (BLUE, ORANGE, PURPLE, GREEN)

LINE_WIDTH = 3.0


def _style() -> dict[str, Any]:
    return {
        "font.family": [chart_font().family, "DejaVu Sans"],
        "font.size": 13,
        "axes.titlesize": 13,
        "axes.labelsize": 13,
        "axes.edgecolor": GRID,
        "axes.labelcolor": INK,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.axisbelow": True,
        "grid.color": GRID,
        "grid.linewidth": 1.0,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "xtick.labelsize": 12,
        "ytick.labelsize": 12,
        "legend.fontsize": 12,
        "legend.frameon": False,
        "figure.facecolor": "white",
        "axes.facecolor": "white",
        "axes.unicode_minus": False,  # the CJK fonts' hyphen-minus is fine; U+2212 may lack
        "svg.fonttype": "none",
    }


@contextmanager
def figure(height_in: float = HEIGHT_IN) -> Iterator[Figure]:
    """A figure 1080 px wide with the charts' style in force while it is drawn."""
    with matplotlib.rc_context(_style()):
        fig = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        yield fig


def titles(fig: Figure, ax: Any, texts: Texts) -> None:
    fig.suptitle(texts.title, x=0.02, ha="left", fontsize=18, fontweight="bold", color=INK)
    if texts.subtitle:
        ax.set_title(texts.subtitle, loc="left", color=MUTED, fontsize=12.5, pad=10)
    if texts.y_label:
        ax.set_ylabel(texts.y_label)
    if texts.x_label:
        ax.set_xlabel(texts.x_label)
    if texts.note:
        fig.supxlabel(texts.note, x=0.02, ha="left", fontsize=11, color=MUTED)


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def thousands(value: float, _position: object = None) -> str:
    return f"{value:,.0f}"


def count_axis(axis: Any) -> None:
    """Whole numbers with thousands separators."""
    axis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    axis.set_major_formatter(FuncFormatter(thousands))


TICK_STEPS = (1, 2, 3, 7, 14, 28, 56, 91)


def date_ticks(ax: Any, days: Sequence[date], language: str) -> None:
    """At most seven date labels, the last day always labelled; the year on the first label
    and where it changes."""
    count = len(days)
    step = next((s for s in TICK_STEPS if count / s <= 7), max(1, count // 6))
    positions = list(range(count - 1, -1, -step))[::-1]
    labels = []
    previous_year = None
    for index in positions:
        day = days[index]
        labels.append(day_label(day, language, with_year=previous_year not in (None, day.year)))
        previous_year = day.year
    ax.set_xticks(positions, labels)
    ax.set_xlim(-0.6, count - 0.4)
    ax.grid(axis="x", visible=False)


def check_days(days: Sequence[date], *series: Sequence[object]) -> None:
    from core.charts.model import NothingToDraw

    if not days:
        raise NothingToDraw("no days")
    for values in series:
        if len(values) != len(days):
            raise ValueError(f"{len(values)} values for {len(days)} days")
    if all(all(v is None for v in values) for values in series):
        raise NothingToDraw("every value is missing")
