"""Charts for the managers' reports: their texts in the reader's language, drawn in the worker
process, sent as one album.

The numbers come from the caller (the analytics query API); nothing here reads the database.
A report builds the charts it wants with the `*_chart` functions (every title, axis, legend
and weekday from the locale files, keys `chart-*`) and hands them to `send_charts`, which
shows "sending a photo…" while the worker draws them, leaves out the charts with nothing to
draw and sends the rest as one album (`bot.replies.send_photos`): "not enough data yet" when
none is left, an apology (the numbers stand) when drawing failed.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from datetime import date

from aiogram.methods import SendChatAction

from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import send, send_photos
from bot.worker import Worker
from core.analytics.album import Album
from core.analytics.cohorts import Retention
from core.analytics.reports import Funnel as AnalyticsFunnel
from core.charts.dates import day_label
from core.charts.model import (
    ActiveMembers,
    ActivityHeatmap,
    Chart,
    CheckinsPerDay,
    Funnel,
    JoinsLeaves,
    MemberGrowth,
    RetentionHeatmap,
    Texts,
)
from core.charts.render import render_all

logger = logging.getLogger(__name__)

RENDER_TIMEOUT = 60.0  # seconds for one album, the worker's start included
FUNNEL_STEPS = (
    "chart-funnel-joined",
    "chart-funnel-first-checkin",
    "chart-funnel-streak3",
    "chart-funnel-streak7",
    "chart-funnel-redeemed",
)
WEEKDAYS = tuple(f"chart-weekday-{day}" for day in range(7))


def _say(t: Translator, key: str, **args: object) -> str:
    """A locale text for an image (not HTML: entities decoded)."""
    return html.unescape(t(key, **args))


def period_subtitle(t: Translator, days: Sequence[date], *, last_days: int | None = None) -> str:
    if last_days is not None:
        return _say(t, "chart-period-days", days=last_days)
    return _say(
        t,
        "chart-period-range",
        **{"from": day_label(days[0], t.language), "to": day_label(days[-1], t.language)},
    )


def growth_chart(
    t: Translator,
    days: Sequence[date],
    members: Sequence[int | None],
    *,
    subtitle: str = "",
    partial_last: bool = False,
) -> MemberGrowth:
    texts = Texts(
        _say(t, "chart-growth-title"),
        subtitle,
        y_label=_say(t, "chart-growth-y"),
        partial=_say(t, "chart-partial"),
    )
    return MemberGrowth(tuple(days), tuple(members), texts, t.language, partial_last)


def active_chart(
    t: Translator,
    days: Sequence[date],
    dau: Sequence[int | None],
    wau: Sequence[int | None],
    mau: Sequence[int | None],
    *,
    subtitle: str = "",
    partial_last: bool = False,
) -> ActiveMembers:
    texts = Texts(
        _say(t, "chart-active-title"),
        subtitle,
        legend=(
            _say(t, "chart-legend-dau"),
            _say(t, "chart-legend-wau"),
            _say(t, "chart-legend-mau"),
        ),
        partial=_say(t, "chart-partial"),
    )
    return ActiveMembers(
        tuple(days), tuple(dau), tuple(wau), tuple(mau), texts, t.language, partial_last
    )


def joins_chart(
    t: Translator,
    days: Sequence[date],
    joined: Sequence[int],
    left: Sequence[int],
    *,
    subtitle: str = "",
    partial_last: bool = False,
) -> JoinsLeaves:
    texts = Texts(
        _say(t, "chart-joins-title"),
        subtitle,
        legend=(_say(t, "chart-legend-joined"), _say(t, "chart-legend-left")),
        partial=_say(t, "chart-partial"),
    )
    return JoinsLeaves(tuple(days), tuple(joined), tuple(left), texts, t.language, partial_last)


def checkins_chart(
    t: Translator,
    days: Sequence[date],
    checkins: Sequence[int],
    *,
    subtitle: str = "",
    partial_last: bool = False,
) -> CheckinsPerDay:
    texts = Texts(_say(t, "chart-checkins-title"), subtitle, partial=_say(t, "chart-partial"))
    return CheckinsPerDay(tuple(days), tuple(checkins), texts, t.language, partial_last)


def activity_chart(
    t: Translator, counts: Sequence[Sequence[int]], *, timezone: str, days: int
) -> ActivityHeatmap:
    """Weekday (Monday first) x local hour."""
    texts = Texts(
        _say(t, "chart-activity-title"),
        _say(t, "chart-activity-subtitle", days=days),
        x_label=_say(t, "chart-activity-x", tz=timezone),
    )
    weekdays = tuple(_say(t, key) for key in WEEKDAYS)
    return ActivityHeatmap(tuple(tuple(row) for row in counts), weekdays, texts)


def retention_chart(
    t: Translator,
    cohorts: Sequence[str],
    sizes: Sequence[int],
    offsets: Sequence[str],
    shares: Sequence[Sequence[float | None]],
    *,
    weeks: bool = False,
) -> RetentionHeatmap:
    texts = Texts(
        _say(t, "chart-retention-weeks-title" if weeks else "chart-retention-days-title"),
        _say(t, "chart-retention-weeks-subtitle" if weeks else "chart-retention-subtitle"),
    )
    return RetentionHeatmap(
        tuple(cohorts),
        tuple(sizes),
        tuple(offsets),
        tuple(tuple(row) for row in shares),
        texts,
    )


def funnel_chart(t: Translator, counts: Sequence[int], *, subtitle: str = "") -> Funnel:
    """joined → first check-in → 3-day streak → 7-day streak → first redemption."""
    if len(counts) != len(FUNNEL_STEPS):
        raise ValueError(f"{len(FUNNEL_STEPS)} counts expected")
    texts = Texts(_say(t, "chart-funnel-title"), subtitle, note=_say(t, "chart-funnel-note"))
    return Funnel(tuple(_say(t, key) for key in FUNNEL_STEPS), tuple(counts), texts)


async def send_charts(
    outbox: Outbox,
    worker: Worker,
    t: Translator,
    chat_id: int,
    charts: Sequence[Chart],
    *,
    caption: str = "",
    reply_to: int | None = None,
    priority: Priority = Priority.HIGH,
) -> int:
    """Draw the charts in the worker and send them as one album; how many were sent."""
    outbox.send(
        chat_id,
        SendChatAction(chat_id=chat_id, action="upload_photo"),
        priority=priority,
        counts_as_message=False,
    )
    try:
        drawn = await worker.run(render_all, list(charts), timeout=RENDER_TIMEOUT)
    except Exception:  # noqa: BLE001  (the report's numbers went out already)
        logger.exception("charts for chat %s could not be drawn", chat_id)
        send(outbox, chat_id, t("charts-failed"), priority=priority)
        return 0
    photos = [png for png in drawn if png is not None]
    if not photos:
        send(outbox, chat_id, t("charts-not-enough-data"), priority=priority)
        return 0
    send_photos(outbox, chat_id, photos, caption=caption, reply_to=reply_to, priority=priority)
    return len(photos)


def cohort_label(t: Translator, day: date) -> str:
    return day_label(day, t.language)


def cohorts_chart(t: Translator, retention: Retention) -> RetentionHeatmap:
    """The latest cohorts of a period (rows) by D1/D7/D14/D30 or W1…W8 (columns)."""
    shown = retention.shown
    offset_key = "chart-offset-week" if retention.weeks else "chart-offset-day"
    return retention_chart(
        t,
        [cohort_label(t, c.start) for c in shown],
        [c.size for c in shown],
        [_say(t, offset_key, n=n) for n in retention.offsets],
        [[c.rate(n) for n in retention.offsets] for c in shown],
        weeks=retention.weeks,
    )


def album_charts(t: Translator, album: Album, *, timezone: str) -> list[Chart]:
    """/stats' album for a period: member growth, DAU/WAU/MAU, joins against leaves, check-ins
    per day, the weekday x hour heat map, the join cohorts' retention and the funnel."""
    days = [d.day for d in album.days]
    partial = album.partial_last
    subtitle = period_subtitle(t, days)
    return [
        growth_chart(
            t, days, [d.members for d in album.days], subtitle=subtitle, partial_last=partial
        ),
        active_chart(
            t,
            days,
            [d.dau for d in album.days],
            [d.wau for d in album.days],
            [d.mau for d in album.days],
            subtitle=subtitle,
            partial_last=partial,
        ),
        joins_chart(
            t,
            days,
            [d.joined for d in album.days],
            [d.left for d in album.days],
            subtitle=subtitle,
            partial_last=partial,
        ),
        checkins_chart(
            t, days, [d.checkins for d in album.days], subtitle=subtitle, partial_last=partial
        ),
        activity_chart(t, album.hours, timezone=timezone, days=album.period.days),
        cohorts_chart(t, album.retention),
        funnel_chart(t, _funnel_counts(album.funnel), subtitle=subtitle),
    ]


def _funnel_counts(f: AnalyticsFunnel) -> list[int]:
    return [count for _, count in f.steps()]
