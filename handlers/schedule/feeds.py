"""/feed add <url> [daily HH:MM | every N h], /feed list, /feed remove <id> (group admins).

New items of the feed are posted to the group (to the forum topic it was added from); see
core/schedule/feeds.py for what a fetch does and bot/feed_fetch.py for how it is fetched.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram import Router
from aiogram.types import Message

from bot.features import Area, CommandSpec, Feature, Role
from bot.filters import InGroup
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import reply
from core.community.group_settings import GroupSettings
from core.events import BotAdded, EventBus
from core.schedule.feeds import FeedNotFound, FeedService, parse_feed_schedule
from core.schedule.when import parse_rule
from core.text import shorten
from core.uow import UnitOfWork
from handlers.common import actor_id, command_args
from handlers.schedule.post_render import describe, local_text
from storage.queries.schedule.feeds import Feed


def feed_line(t: Translator, feed: Feed, timezone: str) -> str:
    name = shorten(feed.title or feed.url, 60)
    state = t(f"feed-failed-{feed.last_error.replace('_', '-')}") if feed.last_error else ""
    return t(
        "feed-line",
        id=feed.id,
        name=name,
        url=feed.url,
        desc=describe(t, parse_rule(feed.rule), timezone),
        next=local_text(feed.next_run_at, timezone) if feed.next_run_at else t("schedule-none"),
        failing="yes" if feed.last_error else "no",
        error=state,
    )


def _feed_id(word: str) -> int:
    word = word.lstrip("#")
    if not word.isdecimal() or len(word) > 12:
        raise FeedNotFound(id=shorten(word, 16))
    return int(word)


async def cmd_feed(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    feeds: FeedService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    args = command_args(message.text)
    action = args[0].lower() if args else ""
    if action == "add" and len(args) >= 2:
        rule = parse_feed_schedule(args[2:])
        thread_id = message.message_thread_id if message.is_topic_message else None
        feed = await feeds.add(
            uow, group.group_id, actor_id(message), args[1], rule, thread_id, event_at
        )
        text = t(
            "feed-added",
            id=feed.id,
            url=feed.url,
            desc=describe(t, rule, group.timezone),
        )
    elif action in ("remove", "delete", "rm") and len(args) == 2:
        feed = await feeds.remove(
            uow, group.group_id, actor_id(message), _feed_id(args[1]), event_at
        )
        text = t("feed-removed", id=feed.id, url=feed.url)
    elif action in ("list", "ls") and len(args) == 1:
        found = await feeds.listing(uow, group.group_id)
        if not found:
            text = t("feed-list-empty")
        else:
            lines = [t("feed-list-title", count=len(found), tz=group.timezone)]
            lines += [feed_line(t, feed, group.timezone) for feed in found]
            text = "\n".join(lines)
    else:
        text = t("feed-usage")
    reply(outbox, message, text, priority=Priority.HIGH)


def router() -> list[Router]:
    r = Router(name="feeds")
    r.message.filter(InGroup())
    r.message.register(cmd_feed, FEED.filter())
    return [r]


FEED = CommandSpec("feed", role=Role.ADMIN, area=Area.SCHEDULE)


def subscribe(bus: EventBus, deps: dict[str, Any]) -> None:
    feeds: FeedService = deps["feeds"]
    bus.subscribe(BotAdded, feeds.on_bot_added)  # feeds stopped while the bot was away resume


def feature() -> Feature:
    return Feature("feeds", router, commands=(FEED,), setup=subscribe)
