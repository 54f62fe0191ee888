"""/schedule, /posts and /unschedule: administrators plan posts for their group.

`/schedule <when> <text>`, or `/schedule <when>` in reply to a message (a copy of it is posted:
photos, documents and polls included). From inside a forum topic the post goes to that topic.
`/schedule` alone starts the guided flow (post_drafts.py); the buttons under /posts and under
posts with A/B variants are in post_buttons.py, how posts read in post_render.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram import Router
from aiogram.methods import SendMessage
from aiogram.types import Message

from bot.features import Area, CommandSpec, Feature, Role
from bot.filters import InGroup, IsGroupAdmin, NotGroupAdmin
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import clip, plain, reply
from bot.scheduler import UsefulButton
from core.community.group_settings import GroupSettings
from core.events import EventBus, GroupCalendarChanged, GroupMoved, Transaction
from core.schedule import variants as ab
from core.schedule.post_errors import PostNotFound
from core.schedule.posts import Content, PostService
from core.schedule.settings import SCHEDULE_SETTINGS
from core.schedule.when import parse_when
from core.text import shorten
from core.uow import UnitOfWork
from handlers.common import actor_id, command_args, rest_after
from handlers.schedule import post_buttons as buttons
from handlers.schedule import post_drafts as drafts
from handlers.schedule.post_drafts import quick_keyboard
from handlers.schedule.post_render import PostButton, created_text, keyboard, listing, post_line


async def cmd_schedule(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    posts: PostService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    args = command_args(message.text)
    if not args:
        reply(
            outbox, message, t("schedule-usage"), markup=quick_keyboard(t), priority=Priority.HIGH
        )
        return
    rule, used = parse_when(args, event_at, group.timezone)
    text = rest_after(message.text or "", 1 + used)
    replied = message.reply_to_message
    if not text and replied is not None and not replied.forum_topic_created:
        content = Content(source_chat_id=message.chat.id, source_message_id=replied.message_id)
    else:
        content = Content(text=text)
    thread_id = message.message_thread_id if message.is_topic_message else None
    post = await posts.create(uow, group, actor_id(message), rule, content, thread_id, event_at)
    reply(outbox, message, created_text(t, post, rule, group), priority=Priority.HIGH)


async def cmd_posts(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    posts: PostService,
    t: Translator,
    outbox: Outbox,
) -> None:
    args = command_args(message.text)
    if args:
        post = await posts.get(uow, group.group_id, _post_id(args[0]))
        lines = [post_line(t, post, group.timezone)]
        for i, (text, sent, votes) in enumerate(await ab.variant_stats(uow, post), 1):
            summary = shorten(plain(text).replace("\n", " "), 40)
            lines.append(t("schedule-variant", n=i, sent=sent, votes=votes, summary=summary))
        reply(
            outbox,
            message,
            "\n".join(lines),
            markup=keyboard(t, [post]),
            priority=Priority.HIGH,
        )
        return
    found = await posts.listing(uow, group.group_id)
    reply(
        outbox,
        message,
        listing(t, found, group),
        markup=keyboard(t, found),
        priority=Priority.HIGH,
    )


def _post_id(word: str) -> int:
    word = word.lstrip("#")
    if not word.isdecimal() or len(word) > 12:
        raise PostNotFound(id=shorten(word, 16))
    return int(word)


async def cmd_unschedule(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    posts: PostService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    args = command_args(message.text)
    if not args:
        reply(outbox, message, t("schedule-unschedule-usage"), priority=Priority.HIGH)
        return
    post = await posts.remove(uow, group, actor_id(message), _post_id(args[0]), event_at)
    reply(outbox, message, t("schedule-deleted", id=post.id), priority=Priority.HIGH)


def router() -> list[Router]:
    r = Router(name="schedule")
    r.message.filter(InGroup())
    r.callback_query.filter(InGroup())
    r.message.register(cmd_schedule, SCHEDULE.filter())
    r.message.register(cmd_posts, POSTS.filter())
    r.message.register(cmd_unschedule, UNSCHEDULE.filter())
    r.callback_query.register(buttons.on_button, PostButton.filter(), IsGroupAdmin())
    r.callback_query.register(buttons.refuse, PostButton.filter(), NotGroupAdmin())
    r.callback_query.register(buttons.on_useful, UsefulButton.filter())
    r.callback_query.register(drafts.on_draft_button, drafts.DraftButton.filter(), IsGroupAdmin())
    r.callback_query.register(buttons.refuse, drafts.DraftButton.filter(), NotGroupAdmin())
    r.callback_query.register(drafts.on_draft_action, drafts.DraftAction.filter(), IsGroupAdmin())
    r.callback_query.register(buttons.refuse, drafts.DraftAction.filter(), NotGroupAdmin())
    r.message.register(drafts.on_draft_reply, drafts.RepliesToBot(), IsGroupAdmin())
    return [r]


SCHEDULE = CommandSpec("schedule", role=Role.ADMIN, area=Area.SCHEDULE)
POSTS = CommandSpec("posts", role=Role.ADMIN, area=Area.SCHEDULE)
UNSCHEDULE = CommandSpec("unschedule", role=Role.ADMIN, area=Area.SCHEDULE)


def subscribe(bus: EventBus, deps: dict[str, Any]) -> None:
    posts: PostService = deps["posts"]
    bus.subscribe(GroupCalendarChanged, posts.on_calendar_changed)

    async def on_group_moved(tx: Transaction, event: GroupMoved) -> None:
        paused = await posts.on_group_moved(tx, event)
        if not paused:
            return
        found = await deps["groups"].settings_in(tx.session, [event.group_id])
        language = found[event.group_id].language if event.group_id in found else "en"
        text = deps["locales"].get(language)(
            "schedule-paused-by-move", ids=", ".join(f"#{i}" for i in paused)
        )
        outbox: Outbox = deps["outbox"]
        method = SendMessage(chat_id=event.group_id, text=clip(text))
        tx.after_commit(lambda: outbox.send(event.group_id, method, priority=Priority.LOW))

    bus.subscribe(GroupMoved, on_group_moved)


def feature() -> Feature:
    return Feature(
        "schedule",
        router,
        commands=(SCHEDULE, POSTS, UNSCHEDULE),
        settings=(SCHEDULE_SETTINGS,),
        setup=subscribe,
    )
