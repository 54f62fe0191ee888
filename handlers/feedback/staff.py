"""The staff-chat mode: `/feedback staff` in a forum supergroup (by an admin of it and of the
community group) links it; each new item then opens a topic there, a manager's message in the
topic reaches the member, and the member's answers arrive in the topic."""

from __future__ import annotations

import asyncio
import html
import logging
from datetime import datetime
from typing import Any

from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import BaseFilter
from aiogram.methods import CreateForumTopic, SendMessage
from aiogram.types import Message

from bot.admins import AdminChecker
from bot.i18n import Locales, Translator
from bot.outbound import Outbox, Priority
from bot.replies import clip, react, reply
from core.cache import BoundedCache
from core.community.groups import GroupService
from core.community.members import user_row
from core.feedback import inbox, rules, staff
from core.feedback.inbox import Item
from core.text import shorten
from core.uow import UnitOfWork
from handlers.feedback import render
from storage.db import SessionFactory
from storage.queries.community import groups as group_rows

logger = logging.getLogger(__name__)
# Forum chats known to be (or not to be) a staff chat: a forum community's every topic message
# would otherwise cost a query. A chat linked by another process is seen within the minute.
_staff_chats: BoundedCache[int, bool] = BoundedCache(10_000, 60.0)
_tasks: set[asyncio.Task[None]] = set()  # topic follow-ups in flight (kept from the GC)


class NotAForum(rules.FeedbackError):
    key = "feedback-staff-not-forum"


class WhichGroup(rules.FeedbackError):
    key = "feedback-staff-which"  # args: options


async def link_here(
    message: Message,
    uow: UnitOfWork,
    args: list[str],
    admins: AdminChecker,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    user = message.from_user
    assert user is not None
    chat = message.chat
    if not chat.is_forum:
        raise NotAForum()
    if not await admins.is_admin(chat.id, user.id):
        raise rules.NotManager()
    candidates = [
        (g.id, g.title or str(g.id))
        for g in await group_rows.list_for_user(uow.session, user.id)
        if g.id != chat.id and await admins.is_admin(g.id, user.id)
    ]
    if args and args[0].lstrip("-").isdecimal():
        wanted = int(args[0])
        candidates = [c for c in candidates if c[0] == wanted]
    if len(candidates) != 1:
        options = ", ".join(f"{shorten(title, 32)} ({gid})" for gid, title in candidates[:10])
        raise WhichGroup(options=options or "—")
    group_id, title = candidates[0]
    await staff.link(uow, group_id, chat.id, user.id, event_at)
    _staff_chats.put(chat.id, True)
    reply(outbox, message, t("feedback-staff-linked", group=title), priority=Priority.HIGH)


def open_topic(
    outbox: Outbox,
    session_factory: SessionFactory,
    staff_chat_id: int,
    item: Item,
    t: Translator,
) -> None:
    """A topic for a new item, then the item's text in it (once Telegram made the topic)."""
    name = staff.topic_name(item.number, item.name, render.category_label(t, item.category))
    future = outbox.send(
        staff_chat_id,
        CreateForumTopic(chat_id=staff_chat_id, name=name),
        priority=Priority.HIGH,
        counts_as_message=True,
    )

    async def follow_up(thread_id: int) -> None:
        try:
            await staff.record_topic(session_factory, item.id, staff_chat_id, thread_id)
        except Exception:  # noqa: BLE001  (the topic stays, unlinked; logged)
            logger.exception("could not record the topic of feedback %s", item.id)
            return
        head = t(
            "feedback-staff-topic-head",
            number=item.number,
            group=shorten(item.group_title),
            name=shorten(item.name),
            category=render.category_label(t, item.category),
        )
        outbox.send(
            staff_chat_id,
            SendMessage(
                chat_id=staff_chat_id,
                message_thread_id=thread_id,
                text=clip(head + "\n\n" + html.escape(item.text)),
            ),
            priority=Priority.HIGH,
        )

    def created(done: Any) -> None:
        if done.cancelled() or done.exception() is not None:
            return  # logged by the outbox; the item stays in /inbox
        task = asyncio.get_running_loop().create_task(follow_up(done.result().message_thread_id))
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)

    future.add_done_callback(created)


def to_topic(outbox: Outbox, topic: tuple[int, int], text: str) -> None:
    chat_id, thread_id = topic
    outbox.send(
        chat_id,
        SendMessage(chat_id=chat_id, message_thread_id=thread_id, text=clip(text)),
        priority=Priority.HIGH,
    )


class InTopic(BaseFilter):
    """A message in a forum topic that is no command."""

    async def __call__(self, message: Message) -> bool:
        text = message.text if message.text is not None else message.caption
        return (
            message.message_thread_id is not None
            and bool(message.is_topic_message)
            and not (text or "").startswith("/")
        )


async def on_topic_message(
    message: Message,
    uow: UnitOfWork,
    admins: AdminChecker,
    groups: GroupService,
    locales: Locales,
    event_at: datetime,
    outbox: Outbox,
) -> None:
    """A manager writes in an item's topic: it goes to the member (by DM, else in the group)."""
    user = message.from_user
    assert user is not None and message.message_thread_id is not None
    known = _staff_chats.get(message.chat.id)
    if known is None:
        known = await staff.is_staff_chat(uow, message.chat.id)
        _staff_chats.put(message.chat.id, known)
    if not known:
        await uow.rollback()
        raise SkipHandler()
    item_id = await staff.item_of_topic(uow, message.chat.id, message.message_thread_id)
    if item_id is None:
        await uow.rollback()
        raise SkipHandler()  # another topic: chat as usual
    item = await inbox.get(uow, item_id)
    if not await admins.is_admin(item.group_id, user.id):
        await uow.rollback()
        raise SkipHandler()  # only the group's managers speak for it
    text = message.text if message.text is not None else (message.caption or "")
    actor = user_row(user.id, user.username, user.full_name, user.language_code)
    item = await inbox.reply(uow, item_id, actor, text, event_at)
    group = await render.group_settings(uow, groups, item.group_id)
    mt = locales.get(group.language)
    render.deliver_to_member(
        outbox,
        item,
        mt("feedback-reply-dm", number=item.number, group=item.group_title)
        + "\n\n"
        + html.escape(text.strip())
        + "\n\n"
        + mt("feedback-reply-hint"),
    )
    react(outbox, message, "👍")
