"""Buttons under scheduled posts: /posts' pause, resume, preview and delete (admins), and the
"👍 useful" vote under a post with A/B variants (any member)."""

from __future__ import annotations

from datetime import datetime

from aiogram.methods import AnswerCallbackQuery, CopyMessage, SendMessage
from aiogram.types import CallbackQuery

from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import clip, edit_pressed, plain
from bot.scheduler import UsefulButton
from core.community.group_settings import GroupSettings
from core.errors import NotAdmin
from core.schedule import variants as ab
from core.schedule.post_errors import PostNotFound
from core.schedule.posts import PostService
from core.uow import UnitOfWork
from handlers.schedule.post_render import PostButton, keyboard, listing
from storage.queries.schedule.posts import Post


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
        edit_pressed(outbox, query, listing(t, found, group), keyboard(t, found), event_at)
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
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """Any member: one vote per variant."""
    try:
        counted = await ab.vote(
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
