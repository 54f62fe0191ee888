"""/schedule, /posts and /unschedule: administrators plan posts for their group.

`/schedule <when> <text>`, or `/schedule <when>` in reply to a message (a copy of it is posted:
photos, documents and polls included). From inside a forum topic the post goes to that topic.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import BaseFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.methods import AnswerCallbackQuery, CopyMessage, EditMessageText, SendMessage
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.features import Area, CommandSpec, Feature, Role
from bot.filters import InGroup, IsGroupAdmin, NotGroupAdmin
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import clip, plain, reply
from bot.scheduler import UsefulButton, local_time
from bot.worker import Worker
from core.community.group_settings import GroupSettings
from core.errors import NotAdmin
from core.events import EventBus, GroupCalendarChanged, GroupMoved, Transaction
from core.schedule import when as w
from core.schedule.best_time import ActivityMatrixSource
from core.schedule.posts import Content, Draft, PostNotFound, PostService
from core.schedule.settings import SCHEDULE_SETTINGS
from core.schedule.when import Rule, parse_rule, parse_when
from core.text import shorten
from core.uow import UnitOfWork
from handlers.common import actor_id, command_args
from handlers.schedule import best_time
from handlers.schedule.post_results import ab_lines
from storage.queries.schedule.posts import PAUSED, Post

LISTED = 20  # posts shown by /posts
WITH_BUTTONS = 8  # of which get buttons (a keyboard row each)


# The guided flow's choices (words /schedule understands); "sd:<index>".
QUICK = ("+30m", "+1h", "+3h", "09:00", "daily 09:00", "weekly mon 10:00")


class DraftButton(CallbackData, prefix="sd"):
    choice: int


class DraftAction(CallbackData, prefix="sda"):
    action: str  # confirm | cancel
    prompt: int  # the prompt's message id (the draft's key)


class PostButton(CallbackData, prefix="sp"):
    action: str  # pause | resume | delete | preview | list
    id: int = 0


# ---- rendering ----------------------------------------------------------------------------


def _hm(rule: Rule) -> str:
    return f"{rule.hour:02d}:{rule.minute:02d}"


def _duration(t: Translator, seconds: int) -> str:
    if seconds % 86400 == 0:
        return t("schedule-days", n=seconds // 86400)
    if seconds % 3600 == 0:
        return t("schedule-hours", n=seconds // 3600)
    if seconds % 60 == 0:
        return t("schedule-minutes", n=seconds // 60)
    return t("schedule-seconds", n=seconds)


def describe(t: Translator, rule: Rule, timezone: str) -> str:
    """The recurrence in words (zh and en)."""
    if rule.kind == w.ONCE:
        assert rule.at is not None
        return t("schedule-desc-once", at=local_text(rule.at, timezone))
    if rule.kind == w.DAILY:
        return t("schedule-desc-daily", time=_hm(rule))
    if rule.kind == w.WEEKLY:
        days = t("schedule-day-sep").join(t(f"schedule-day-{d}") for d in rule.weekdays)
        return t("schedule-desc-weekly", days=days, time=_hm(rule))
    if rule.kind == w.MONTHLY:
        if rule.month_day == -1:
            return t("schedule-desc-monthly-last", time=_hm(rule))
        return t("schedule-desc-monthly", day=rule.month_day, time=_hm(rule))
    if rule.kind == w.CRON:
        return t("schedule-desc-cron", expr=rule.cron_text)
    return t("schedule-desc-every", span=_duration(t, rule.seconds))


def local_text(at: datetime, timezone: str) -> str:
    return local_time(at, timezone).strftime("%Y-%m-%d %H:%M")


def _summary(t: Translator, post: Post) -> str:
    if post.source_message_id is not None:
        return t("schedule-copy-of", id=post.source_message_id)
    # The stored text is HTML-escaped already; shown as it is (shortened on its plain form).
    return shorten(plain(post.text).replace("\n", " "), 40)


def post_line(t: Translator, post: Post, timezone: str) -> str:
    rule = parse_rule(post.rule)
    next_run = (
        local_text(post.next_run_at, timezone)
        if post.next_run_at is not None
        else t("schedule-none")
    )
    return t(
        "schedule-line",
        id=post.id,
        state="⏸" if post.status == PAUSED else "▶️",
        desc=describe(t, rule, timezone),
        next=next_run,
        summary=_summary(t, post),
        topic="yes" if post.thread_id else "no",
    )


def listing(t: Translator, posts: list[Post], group: GroupSettings) -> str:
    if not posts:
        return t("schedule-list-empty")
    lines = [t("schedule-list-title", count=len(posts), tz=group.timezone)]
    lines += [post_line(t, post, group.timezone) for post in posts[:LISTED]]
    if len(posts) > LISTED:
        lines.append(t("schedule-list-more", n=len(posts) - LISTED))
    return "\n".join(lines)


def keyboard(t: Translator, posts: list[Post]) -> InlineKeyboardMarkup | None:
    rows: list[list[InlineKeyboardButton]] = []
    for post in posts[:WITH_BUTTONS]:
        toggle = "resume" if post.status == PAUSED else "pause"
        rows.append(
            [
                InlineKeyboardButton(
                    text=t(f"schedule-button-{toggle}", id=post.id),
                    callback_data=PostButton(action=toggle, id=post.id).pack(),
                ),
                InlineKeyboardButton(
                    text=t("schedule-button-preview", id=post.id),
                    callback_data=PostButton(action="preview", id=post.id).pack(),
                ),
                InlineKeyboardButton(
                    text=t("schedule-button-delete", id=post.id),
                    callback_data=PostButton(action="delete", id=post.id).pack(),
                ),
            ]
        )
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


# ---- commands -------------------------------------------------------------------------------


def rest_after(text: str, words: int) -> str:
    """The text after its first `words` words, spacing and line breaks kept."""
    end = 0
    for i, match in enumerate(re.finditer(r"\S+", text)):
        if i == words:
            break
        end = match.end()
    else:
        return ""
    return text[end:].strip()


async def cmd_schedule(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    posts: PostService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
    activity_matrix: ActivityMatrixSource,
) -> None:
    args = command_args(message.text)
    if not args:
        best = await best_time.best_times_for(uow, activity_matrix, group, event_at)
        reply(
            outbox,
            message,
            t("schedule-usage") + best_time.note(t, best),
            markup=best_time.with_best_times(_quick_keyboard(t), t, best),
            priority=Priority.HIGH,
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
    assert post.next_run_at is not None
    reply(
        outbox,
        message,
        t(
            "schedule-created",
            id=post.id,
            desc=describe(t, rule, group.timezone),
            next=local_text(post.next_run_at, group.timezone),
            tz=group.timezone,
        ),
        priority=Priority.HIGH,
    )


def _quick_keyboard(t: Translator) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            text=t(f"schedule-quick-{i}"), callback_data=DraftButton(choice=i).pack()
        )
        for i in range(len(QUICK))
    ]
    return InlineKeyboardMarkup(inline_keyboard=[buttons[i : i + 3] for i in range(0, 6, 3)])


async def on_draft_button(
    query: CallbackQuery,
    callback_data: DraftButton,
    uow: UnitOfWork,
    group: GroupSettings,
    posts: PostService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """Guided flow, step 1: when. The prompt becomes "reply to me with the content"."""
    chat_id = group.group_id
    if 0 <= callback_data.choice < len(QUICK) and query.message is not None:
        rule, _ = parse_when(QUICK[callback_data.choice].split(), event_at, group.timezone)
        prompt_id = query.message.message_id
        await posts.start_draft(uow, chat_id, query.from_user.id, prompt_id, rule, event_at)
        outbox.send(
            chat_id,
            EditMessageText(
                chat_id=chat_id,
                message_id=prompt_id,
                text=clip(t("schedule-draft", desc=describe(t, rule, group.timezone))),
            ),
            priority=Priority.HIGH,
            counts_as_message=False,
        )
    outbox.send(
        chat_id,
        AnswerCallbackQuery(callback_query_id=query.id),
        priority=Priority.HIGH,
        counts_as_message=False,
    )


class RepliesToBot(BaseFilter):
    """A reply to one of the bot's own messages (cheap: checked before the admin filter)."""

    async def __call__(self, message: Message) -> bool:
        replied = message.reply_to_message
        return (
            replied is not None
            and replied.from_user is not None
            and message.bot is not None
            and replied.from_user.id == message.bot.id
            and not (message.text or "").startswith("/")
        )


async def on_draft_reply(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    posts: PostService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """Guided flow, step 2: a reply to the prompt. A text is a variant of the post (more
    replies, more variants: A/B, each occurrence posts the next), confirmed with ✅ on the
    prompt; any other message (photo, file, poll) is posted as a copy, scheduled at once. Any
    other reply to the bot goes on to the other handlers."""
    assert message.reply_to_message is not None
    prompt_id = message.reply_to_message.message_id
    draft = await posts.draft(uow, group.group_id, prompt_id, event_at)
    if draft is None:
        # Let go of the connection first: the next handler (activity) needs it on SQLite.
        await uow.rollback()
        raise SkipHandler()
    if message.text is not None:
        updated = await posts.add_variant(uow, group.group_id, prompt_id, message.text, event_at)
        assert updated is not None
        outbox.send(
            group.group_id,
            EditMessageText(
                chat_id=group.group_id,
                message_id=prompt_id,
                text=clip(_draft_text(t, updated, group.timezone)),
                reply_markup=_draft_keyboard(t, prompt_id),
            ),
            priority=Priority.HIGH,
            counts_as_message=False,
        )
        reply(
            outbox,
            message,
            t("schedule-variant-added", n=len(updated.texts)),
            priority=Priority.HIGH,
        )
        return
    if draft.texts:
        await uow.rollback()
        reply(outbox, message, t("schedule-variant-text-only"), priority=Priority.HIGH)
        return
    taken = await posts.take_draft(uow, group.group_id, prompt_id, event_at)
    assert taken is not None
    content = Content(source_chat_id=message.chat.id, source_message_id=message.message_id)
    thread_id = message.message_thread_id if message.is_topic_message else None
    post = await posts.create(
        uow, group, actor_id(message), taken.rule, content, thread_id, event_at
    )
    reply(outbox, message, _created_text(t, post, taken.rule, group), priority=Priority.HIGH)


def _created_text(t: Translator, post: Post, rule: Rule, group: GroupSettings) -> str:
    assert post.next_run_at is not None
    return t(
        "schedule-created",
        id=post.id,
        desc=describe(t, rule, group.timezone),
        next=local_text(post.next_run_at, group.timezone),
        tz=group.timezone,
    )


def _draft_text(t: Translator, draft: Draft, timezone: str) -> str:
    lines = [t("schedule-draft-variants", desc=describe(t, draft.rule, timezone))]
    for i, text in enumerate(draft.texts, 1):
        lines.append(
            t("schedule-draft-variant", n=i, summary=shorten(text.replace("\n", " "), 60))
        )
    lines.append(t("schedule-draft-more"))
    return "\n".join(lines)


def _draft_keyboard(t: Translator, prompt_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("schedule-draft-confirm"),
                    callback_data=DraftAction(action="confirm", prompt=prompt_id).pack(),
                ),
                InlineKeyboardButton(
                    text=t("schedule-draft-cancel"),
                    callback_data=DraftAction(action="cancel", prompt=prompt_id).pack(),
                ),
            ]
        ]
    )


async def on_draft_action(
    query: CallbackQuery,
    callback_data: DraftAction,
    uow: UnitOfWork,
    group: GroupSettings,
    posts: PostService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """Guided flow, step 3: ✅ creates the post with its variants; ✖ drops the draft."""
    chat_id = group.group_id
    prompt_id = callback_data.prompt
    notice = ""
    if callback_data.action == "confirm":
        thread_id = None
        if query.message is not None and getattr(query.message, "is_topic_message", False):
            thread_id = query.message.message_thread_id  # type: ignore[union-attr]
        post = await posts.confirm_draft(
            uow, group, query.from_user.id, prompt_id, thread_id, event_at
        )
        if post is None:
            text = t("schedule-draft-gone")
        else:
            text = _created_text(t, post, parse_rule(post.rule), group)
            notice = t("schedule-draft-done", id=post.id)
    else:
        await posts.cancel_draft(uow, chat_id, prompt_id)
        text = t("schedule-draft-cancelled")
    outbox.send(
        chat_id,
        EditMessageText(chat_id=chat_id, message_id=prompt_id, text=clip(text)),
        priority=Priority.HIGH,
        counts_as_message=False,
    )
    outbox.send(
        chat_id,
        AnswerCallbackQuery(callback_query_id=query.id, text=plain(notice)[:200] or None),
        priority=Priority.HIGH,
        counts_as_message=False,
    )


async def cmd_posts(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    posts: PostService,
    t: Translator,
    outbox: Outbox,
    worker: Worker,
) -> None:
    args = command_args(message.text)
    if args:
        post = await posts.get(uow, group.group_id, _post_id(args[0]))
        lines = [post_line(t, post, group.timezone)]
        lines += await ab_lines(uow, t, post, worker)  # A/B variants: rates and verdict
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


# ---- buttons --------------------------------------------------------------------------------


async def on_button(
    query: CallbackQuery,
    callback_data: PostButton,
    uow: UnitOfWork,
    group: GroupSettings,
    posts: PostService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    chat_id = group.group_id
    action, post_id = callback_data.action, callback_data.id
    actor = query.from_user.id
    notice = ""
    try:
        if action == "pause":
            await posts.pause(uow, group, actor, post_id, event_at)
            notice = t("schedule-paused", id=post_id)
        elif action == "resume":
            await posts.resume(uow, group, actor, post_id, event_at)
            notice = t("schedule-resumed", id=post_id)
        elif action == "delete":
            await posts.remove(uow, group, actor, post_id, event_at)
            notice = t("schedule-deleted", id=post_id)
        elif action == "preview":
            post = await posts.get(uow, chat_id, post_id)
            _preview(outbox, t, post, query)
            notice = t("schedule-preview-sent", id=post_id)
    except PostNotFound:
        notice = t("schedule-error-not-found", id=post_id)
    if action != "preview" and query.message is not None:
        found = await posts.listing(uow, chat_id)
        outbox.send(
            chat_id,
            EditMessageText(
                chat_id=chat_id,
                message_id=query.message.message_id,
                text=clip(listing(t, found, group)),
                reply_markup=keyboard(t, found),
            ),
            priority=Priority.HIGH,
            counts_as_message=False,
        )
    outbox.send(
        chat_id,
        AnswerCallbackQuery(callback_query_id=query.id, text=plain(notice)[:200] or None),
        priority=Priority.HIGH,
        counts_as_message=False,
    )


def _preview(outbox: Outbox, t: Translator, post: Post, query: CallbackQuery) -> None:
    """The post as it will look, in the group (with a header), sent now."""
    chat_id = post.group_id
    header = t("schedule-preview", id=post.id)
    if post.source_message_id is not None and post.source_chat_id is not None:
        outbox.send(chat_id, SendMessage(chat_id=chat_id, text=header), priority=Priority.HIGH)
        outbox.send(
            chat_id,
            CopyMessage(
                chat_id=chat_id,
                from_chat_id=post.source_chat_id,
                message_id=post.source_message_id,
                message_thread_id=post.thread_id,
            ),
            priority=Priority.HIGH,
        )
        return
    outbox.send(
        chat_id,
        SendMessage(
            chat_id=chat_id,
            text=clip(f"{header}\n\n{post.text}"),
            message_thread_id=post.thread_id,
        ),
        priority=Priority.HIGH,
    )


async def on_useful(
    query: CallbackQuery,
    callback_data: UsefulButton,
    uow: UnitOfWork,
    group: GroupSettings,
    posts: PostService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """Any member: one vote per variant."""
    try:
        counted = await posts.vote(
            uow,
            group.group_id,
            callback_data.post,
            callback_data.variant,
            query.from_user.id,
            event_at,
        )
        notice = t("schedule-useful-counted" if counted else "schedule-useful-already")
    except PostNotFound:
        notice = t("schedule-error-not-found", id=callback_data.post)
    outbox.send(
        group.group_id,
        AnswerCallbackQuery(callback_query_id=query.id, text=plain(notice)[:200]),
        priority=Priority.NORMAL,
        counts_as_message=False,
    )


async def refuse(query: CallbackQuery) -> None:
    raise NotAdmin()


def router() -> list[Router]:
    r = Router(name="schedule")
    r.message.filter(InGroup())
    r.callback_query.filter(InGroup())
    r.message.register(cmd_schedule, SCHEDULE.filter(), IsGroupAdmin())
    r.message.register(cmd_posts, POSTS.filter(), IsGroupAdmin())
    r.message.register(cmd_unschedule, UNSCHEDULE.filter(), IsGroupAdmin())
    r.callback_query.register(on_button, PostButton.filter(), IsGroupAdmin())
    r.callback_query.register(refuse, PostButton.filter(), NotGroupAdmin())
    r.callback_query.register(on_useful, UsefulButton.filter())
    r.callback_query.register(on_draft_button, DraftButton.filter(), IsGroupAdmin())
    r.callback_query.register(refuse, DraftButton.filter(), NotGroupAdmin())
    r.callback_query.register(on_draft_action, DraftAction.filter(), IsGroupAdmin())
    r.callback_query.register(refuse, DraftAction.filter(), NotGroupAdmin())
    r.message.register(on_draft_reply, RepliesToBot(), IsGroupAdmin())
    return [r, best_time.router()]


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
