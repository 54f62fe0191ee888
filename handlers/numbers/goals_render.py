"""Texts and buttons of /goal and of the North Star line (/stats, the weekly report)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from core.goals.goals import GoalProgress
from core.goals.metrics import RATES
from core.goals.trend import BEHIND, ETA, NO_TREND, NOT_CLOSER, ON_TRACK, REACHED
from handlers.analytics.render import percent

BAR = 10


class GoalButton(CallbackData, prefix="gl"):
    g: int  # the group
    a: str  # star | del | view
    m: str = ""  # the metric


def value(metric: str, amount: float | None) -> str:
    if amount is None:
        return "—"
    if metric in RATES:
        return percent(amount)
    return f"{amount:,.1f}" if amount < 100 and amount != round(amount) else f"{round(amount):,}"


def per_day(metric: str, amount: float) -> str:
    if metric in RATES:
        return f"{amount * 100:+.2f}"  # percentage points
    return f"{amount:+,.1f}" if abs(amount) < 100 else f"{round(amount):+,}"


def bar(share: float) -> str:
    full = round(share * BAR)
    return "▓" * full + "░" * (BAR - full) + f" {share * 100:.0f}%"


def metric_name(t: Translator, metric: str) -> str:
    return t(f"goal-metric-{metric}")


def outlook_text(t: Translator, g: GoalProgress) -> str:
    o = g.outlook
    unit = t("goal-unit-pp") if g.metric in RATES else ""
    if o.status == REACHED:
        return t("goal-outlook-reached")
    if o.status == NO_TREND:
        return t("goal-outlook-no-trend")
    assert o.per_day is not None
    pace = per_day(g.metric, o.per_day) + unit
    if o.status == ON_TRACK:
        return t(
            "goal-outlook-on-track",
            projected=value(g.metric, o.projected),
            pace=pace,
            days=o.points,
        )
    if o.status == BEHIND:
        return t(
            "goal-outlook-behind",
            projected=value(g.metric, o.projected),
            pace=pace,
            needed=per_day(g.metric, o.needed_per_day or 0.0) + unit,
            days=o.points,
        )
    if o.status == ETA:
        assert o.eta is not None
        return t("goal-outlook-eta", date=o.eta.isoformat(), pace=pace, days=o.points)
    assert o.status == NOT_CLOSER
    return t("goal-outlook-not-closer", pace=pace, days=o.points)


def goal_lines(t: Translator, g: GoalProgress) -> list[str]:
    head = t(
        "goal-line-star" if g.north_star else "goal-line",
        metric=metric_name(t, g.metric),
        current=value(g.metric, g.current),
        target=value(g.metric, g.target),
        due=g.due_day.isoformat() if g.due_day else "",
        has_due="yes" if g.due_day else "no",
    )
    return [head, f"<code>{bar(g.share)}</code>", outlook_text(t, g)]


def star_line(t: Translator, g: GoalProgress) -> str:
    """One line for the top of /stats."""
    return t(
        "goal-star-short",
        metric=metric_name(t, g.metric),
        current=value(g.metric, g.current),
        target=value(g.metric, g.target),
        bar=bar(g.share),
    )


def goals_text(t: Translator, title: str, goals: list[GoalProgress]) -> str:
    if not goals:
        return t("goal-none", group=title)
    lines = [t("goal-title", group=title)]
    for g in goals:
        lines += ["", *goal_lines(t, g)]
    lines += ["", t("goal-footnote")]
    return "\n".join(lines)


def goals_keyboard(
    t: Translator, group_id: int, goals: list[GoalProgress]
) -> InlineKeyboardMarkup | None:
    rows = []
    for g in goals:
        row = []
        if not g.north_star:
            row.append(
                InlineKeyboardButton(
                    text=t("goal-button-star", metric=metric_name(t, g.metric)),
                    callback_data=GoalButton(g=group_id, a="star", m=g.metric).pack(),
                )
            )
        row.append(
            InlineKeyboardButton(
                text=t("goal-button-delete", metric=metric_name(t, g.metric)),
                callback_data=GoalButton(g=group_id, a="del", m=g.metric).pack(),
            )
        )
        rows.append(row)
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None
