"""/stats' charts: the period's album (member growth, DAU/WAU/MAU, joins against leaves,
check-ins per day, the weekday x hour heat map, the join cohorts' retention, the funnel), sent
after the numbers with the command, and again by the 📈 button for the period shown."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import Translator
from bot.outbound import Outbox
from bot.worker import Worker
from core.analytics.album import album
from core.analytics.periods import parse_period
from core.analytics.reports import Summary
from core.calendar import local_day
from core.community.group_settings import GroupSettings
from core.text import shorten
from handlers.analytics.render import NAME, period_label
from handlers.numbers.charts import album_charts, send_charts
from storage.db import SessionFactory


async def send_album(
    outbox: Outbox,
    worker: Worker,
    t: Translator,
    report_sessions: SessionFactory,
    group: GroupSettings,
    words: list[str],
    event_at: datetime,
    chat_id: int,
    *,
    reply_to: int | None = None,
    summary: Summary | None = None,
) -> int:
    """Draw the period's charts in the worker and send them as one album (how many were
    sent). `summary`: /stats' own, whose days are not read again."""
    today = local_day(event_at, group.timezone, group.day_start_hour)
    period = parse_period(words, today)
    async with report_sessions() as session:
        found = await album(
            session, group.group_id, period, today, summary.series if summary else None
        )
    title = shorten(group.title or str(group.group_id), NAME)
    caption = t("stats-charts-caption", group=title, period=period_label(t, period))
    charts = album_charts(t, found, timezone=group.timezone)
    return await send_charts(
        outbox, worker, t, chat_id, charts, caption=caption, reply_to=reply_to
    )
