"""Charts over days: member growth and DAU/WAU/MAU (lines), joins against leaves and
check-ins (bars). The partial last day (today so far) is drawn dashed or hatched."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from core.charts import style
from core.charts.model import ActiveMembers, CheckinsPerDay, JoinsLeaves, MemberGrowth, Texts

PARTIAL_HATCH = "///"


def member_growth(chart: MemberGrowth) -> bytes:
    style.check_days(chart.days, chart.members)
    return _lines(
        chart.days,
        [chart.members],
        chart.texts,
        chart.language,
        chart.partial_last,
        colors=(style.BLUE,),
        fill=True,
    )


def active_members(chart: ActiveMembers) -> bytes:
    style.check_days(chart.days, chart.dau, chart.wau, chart.mau)
    return _lines(
        chart.days,
        [chart.dau, chart.wau, chart.mau],
        chart.texts,
        chart.language,
        chart.partial_last,
        colors=(style.BLUE, style.ORANGE, style.PURPLE),
        fill=False,
    )


def _lines(
    days: Sequence[object],
    series: Sequence[Sequence[int | None]],
    texts: Texts,
    language: str,
    partial_last: bool,
    *,
    colors: Sequence[str],
    fill: bool,
) -> bytes:
    count = len(days)
    with style.figure() as fig:
        ax = fig.add_subplot()
        handles = []
        for index, values in enumerate(series):
            color = colors[index % len(colors)]
            ys = [float("nan") if v is None else float(v) for v in values]
            solid = ys[:-1] if partial_last and count > 1 else ys
            xs = list(range(len(solid)))
            (line,) = ax.plot(xs, solid, color=color, linewidth=style.LINE_WIDTH)
            if count == 1 or (partial_last and count == 2):
                ax.plot([0], [ys[0]], "o", color=color, markersize=7)
            if fill and len(series) == 1:
                base = min((y for y in ys if y == y), default=0.0)
                ax.fill_between(xs, solid, base, color=color, alpha=0.08, linewidth=0)
            if partial_last and count > 1:
                ax.plot(
                    [count - 2, count - 1],
                    ys[-2:],
                    color=color,
                    linewidth=style.LINE_WIDTH,
                    linestyle=(0, (2, 2)),
                )
                ax.plot(
                    [count - 1],
                    [ys[-1]],
                    "o",
                    markersize=8,
                    markerfacecolor="white",
                    markeredgecolor=color,
                    markeredgewidth=2.5,
                )
            if index < len(texts.legend):
                line.set_label(texts.legend[index])
                handles.append(line)
        if partial_last and texts.partial:
            handles.append(
                Line2D(
                    [],
                    [],
                    color=style.MUTED,
                    linewidth=style.LINE_WIDTH,
                    linestyle=(0, (2, 2)),
                    marker="o",
                    markerfacecolor="white",
                    label=texts.partial,
                )
            )
        style.date_ticks(ax, days, language)  # type: ignore[arg-type]
        style.count_axis(ax.yaxis)
        ax.margins(y=0.18)
        if handles:
            ax.legend(handles=handles, loc="upper left", ncols=min(4, len(handles)))
        style.titles(fig, ax, texts)
        return style.png(fig)


def joins_leaves(chart: JoinsLeaves) -> bytes:
    style.check_days(chart.days, chart.joined, chart.left)
    count = len(chart.days)
    with style.figure() as fig:
        ax = fig.add_subplot()
        xs = list(range(count))
        up = ax.bar(xs, chart.joined, color=style.GREEN, width=0.75)
        down = ax.bar(xs, [-v for v in chart.left], color=style.RED, width=0.75)
        if chart.partial_last:
            for bars in (up, down):
                _mark_partial(bars[-1])
        ax.axhline(0, color=style.INK, linewidth=1.2)
        style.date_ticks(ax, chart.days, chart.language)
        style.count_axis(ax.yaxis)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{abs(v):,.0f}"))  # left: down
        top = max(max(chart.joined, default=0), max(chart.left, default=0), 1)
        ax.set_ylim(-top * 1.25, top * 1.25)
        handles = [
            Patch(color=color, label=label)
            for color, label in zip((style.GREEN, style.RED), chart.texts.legend, strict=False)
        ]
        handles += _partial_patch(chart.partial_last, chart.texts)
        if handles:
            ax.legend(handles=handles, loc="upper left", ncols=len(handles))
        style.titles(fig, ax, chart.texts)
        return style.png(fig)


def checkins_per_day(chart: CheckinsPerDay) -> bytes:
    style.check_days(chart.days, chart.checkins)
    count = len(chart.days)
    with style.figure() as fig:
        ax = fig.add_subplot()
        bars = ax.bar(list(range(count)), chart.checkins, color=style.BLUE, width=0.75)
        if chart.partial_last:
            _mark_partial(bars[-1])
        style.date_ticks(ax, chart.days, chart.language)
        style.count_axis(ax.yaxis)
        ax.set_ylim(0, max(max(chart.checkins, default=0), 1) * 1.2)
        handles = _partial_patch(chart.partial_last, chart.texts)
        if handles:
            ax.legend(handles=handles, loc="upper left")
        style.titles(fig, ax, chart.texts)
        return style.png(fig)


def _mark_partial(bar: object) -> None:
    bar.set_alpha(0.45)  # type: ignore[attr-defined]
    bar.set_hatch(PARTIAL_HATCH)  # type: ignore[attr-defined]
    bar.set_edgecolor("white")  # type: ignore[attr-defined]


def _partial_patch(partial: bool, texts: Texts) -> list[Patch]:
    if not (partial and texts.partial):
        return []
    return [
        Patch(
            facecolor=style.MUTED,
            alpha=0.45,
            hatch=PARTIAL_HATCH,
            edgecolor="white",
            label=texts.partial,
        )
    ]
