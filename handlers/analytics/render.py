"""Texts and buttons of /stats (callback data stays within Telegram's 64 bytes)."""

from __future__ import annotations

import html
from datetime import date

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from core.analytics.periods import PRESETS, Period
from core.analytics.reports import Summary
from core.text import shorten

NAME = 32  # characters of a member's or a group's name


class StatsView(CallbackData, prefix="an"):
    g: int  # the group
    p: str  # the period's token (7d, 30d, 90d, or from..to)


class StatsCharts(CallbackData, prefix="anc"):
    g: int  # the group
    p: str  # the period's token: the album of the period shown


class StatsGroups(CallbackData, prefix="ang"):
    p: str  # back to the chooser (in private), keeping the period


def number(value: float | int) -> str:
    return f"{round(value):,}"


def average(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{round(value):,}"


def percent(value: float | None) -> str:
    if value is None:
        return "—"
    shown = value * 100
    return f"{shown:.1f}%" if 0 < shown < 10 else f"{shown:.0f}%"


def change(t: Translator, now: float, before: float) -> str:
    """A count against the previous period: ↑12% / ↓5% / → / new."""
    if now == before:
        return t("stats-change-same") if now else ""
    if not before:
        return t("stats-change-new")
    ratio = (now - before) / abs(before) * 100
    shown = f"{abs(ratio):.0f}%"
    if shown == "0%":
        return t("stats-change-same")
    return t("stats-change-up" if ratio > 0 else "stats-change-down", value=shown)


def rate_change(t: Translator, now: float | None, before: float | None) -> str:
    """A rate against the previous period, in percentage points."""
    if now is None or before is None:
        return ""
    points = (now - before) * 100
    shown = f"{abs(points):.1f}"
    if shown == "0.0":
        return t("stats-change-same")
    value = t("stats-pp", value=shown)
    return t("stats-change-up" if points > 0 else "stats-change-down", value=value)


def signed(value: int) -> str:
    return f"+{value:,}" if value > 0 else f"{value:,}" if value < 0 else "±0"


def _day(value: date) -> str:
    return value.isoformat()


def period_label(t: Translator, period: Period) -> str:
    if period.preset is not None:
        return t(
            "stats-period-last",
            days=period.days,
            start=_day(period.start),
            end=_day(period.end),
        )
    return t(
        "stats-period-range", days=period.days, start=_day(period.start), end=_day(period.end)
    )


def stats_text(t: Translator, title: str, s: Summary, notes: list[str]) -> str:
    c, p = s.current, s.previous
    before = p.period
    lines = [
        t("stats-title", group=shorten(title, NAME), period=period_label(t, c.period)),
        t("stats-compared", days=before.days, start=_day(before.start), end=_day(before.end)),
        "",
        t(
            "stats-members",
            members=number(c.members),
            net=signed(c.net),
            joined=number(c.joined),
            joined_change=change(t, c.joined, p.joined),
            left=number(c.left),
            left_change=change(t, c.left, p.left),
        ),
        t(
            "stats-active",
            dau=average(c.dau),
            dau_change=change(t, c.dau, p.dau),
            wau=number(c.wau),
            wau_change=change(t, c.wau, p.wau),
            mau=number(c.mau),
            mau_change=change(t, c.mau, p.mau),
        ),
        t(
            "stats-stickiness",
            value=percent(c.stickiness),
            change=rate_change(t, c.stickiness, p.stickiness),
        ),
        t(
            "stats-checkins",
            checkins=number(c.checkins),
            change=change(t, c.checkins, p.checkins),
            rate=percent(c.checkin_rate),
            rate_change=rate_change(t, c.checkin_rate, p.checkin_rate),
        ),
        t(
            "stats-messages",
            messages=number(c.messages),
            change=change(t, c.messages, p.messages),
            posters=number(c.posters),
            posters_count=c.posters,
            posters_change=change(t, c.posters, p.posters),
        ),
        t(
            "stats-points",
            issued=number(c.points_issued),
            issued_change=change(t, c.points_issued, p.points_issued),
            spent=number(c.points_spent),
            spent_change=change(t, c.points_spent, p.points_spent),
        ),
        t(
            "stats-redemptions",
            count=number(c.redemptions),
            change=change(t, c.redemptions, p.redemptions),
        ),
        t(
            "stats-feedback",
            new=number(c.feedback),
            change=change(t, c.feedback, p.feedback),
            open=number(s.open_feedback),
        ),
    ]
    if s.top:
        lines += ["", t("stats-top-title")]
        for rank, who in enumerate(s.top, 1):
            lines.append(
                t(
                    "stats-top-line",
                    rank=rank,
                    name=shorten(who.name, NAME),
                    points=number(who.points),
                    messages=number(who.messages),
                    days=who.active_days,
                )
            )
    if notes:
        lines += ["", *notes]
    return "\n".join(line.replace("  ", " ").rstrip() for line in lines)


def no_data_text(t: Translator, title: str, period: Period, notes: list[str]) -> str:
    lines = [t("stats-no-data", group=shorten(title, NAME), period=period_label(t, period))]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)


def period_keyboard(
    t: Translator, group_id: int, current: Period, back: bool, *, charts: bool = False
) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            text=("✓ " if current.preset == token else "") + t(f"stats-button-{token}"),
            callback_data=StatsView(g=group_id, p=token).pack(),
        )
        for token in PRESETS
    ]
    rows = [buttons]
    if charts:  # the album of the period shown (handlers/analytics/stats_album.py)
        data = StatsCharts(g=group_id, p=current.token).pack()
        rows.append([InlineKeyboardButton(text=t("stats-button-charts"), callback_data=data)])
    if back:
        rows.append(
            [
                InlineKeyboardButton(
                    text=t("stats-button-groups"),
                    callback_data=StatsGroups(p=current.token).pack(),
                )
            ]
        )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def chooser_keyboard(groups: list[tuple[int, str]], token: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=shorten(title, NAME), callback_data=StatsView(g=group_id, p=token).pack()
                )
            ]
            for group_id, title in groups
        ]
    )


def escape(text: str) -> str:
    return html.escape(text, quote=False)
