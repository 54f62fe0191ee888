"""Content feeds at run time: the scheduler's leader fires each feed at its next run
(bot/scheduler.py, a JobSource), the core fetches and records (core/schedule/feeds.py), and
what it returns is posted here: the new items in one message, or a report to the admins."""

from __future__ import annotations

import html
import logging
from datetime import datetime

from aiogram.methods import SendMessage

from bot.i18n import Locales
from bot.outbound import Kind, Outbox, Priority
from bot.replies import clip
from core.schedule.feeds import FeedRun, FeedService

logger = logging.getLogger(__name__)


def items_text(run: FeedRun, locales: Locales) -> str:
    t = locales.get(run.language)
    lines = [t("feed-post-title", title=run.title or run.url)]
    for item in run.items:
        title = html.escape(item.title or item.link, quote=False)
        if item.link:
            lines.append(f'• <a href="{html.escape(item.link)}">{title}</a>')
        else:
            lines.append(f"• {title}")
    return "\n".join(lines)


class FeedJobs:
    prefix = "feed:"

    def __init__(self, feeds: FeedService, outbox: Outbox, locales: Locales) -> None:
        self._feeds = feeds
        self._outbox = outbox
        self._locales = locales

    async def planned(self) -> list[tuple[int, datetime]]:
        return await self._feeds.planned()

    async def fingerprint(self) -> object:
        return await self._feeds.fingerprint()

    async def fire(self, item_id: int, due: datetime) -> tuple[bool, datetime | None]:
        run = await self._feeds.run(item_id, due)
        if run is None:
            return False, None
        self.deliver(run)
        return True, run.next_run_at

    def deliver(self, run: FeedRun) -> None:
        if run.items:
            self._outbox.send(
                run.group_id,
                SendMessage(
                    chat_id=run.group_id,
                    text=clip(items_text(run, self._locales)),
                    message_thread_id=run.thread_id,
                ),
                kind=Kind.ANSWER,
                priority=Priority.NORMAL,
            )
        if run.failure is not None:
            logger.info("feed %s failed: %s (%s)", run.feed_id, run.failure, run.detail)
            t = self._locales.get(run.language)
            text = t(
                "feed-failed",
                id=run.feed_id,
                url=run.url,
                reason=t(f"feed-failed-{run.failure.replace('_', '-')}"),
                detail=run.detail,
            )
            chat_id = run.report_chat_id or run.group_id
            self._outbox.send(
                chat_id,
                SendMessage(chat_id=chat_id, text=clip(text)),
                kind=Kind.ANSWER,
                priority=Priority.LOW,
            )
