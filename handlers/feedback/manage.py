"""Managers work the feedback in private: `/inbox [status] [category]` lists open items with
buttons to open one, set its status and priority, and reply (the reply reaches the member).

Only administrators of an item's group (Telegram's word, cached briefly) see or change it;
every button checks again, since a list may outlive someone's admin rights."""

from __future__ import annotations

import html
from datetime import datetime

from aiogram.types import CallbackQuery, Message

from bot.admins import AdminChecker
from bot.i18n import Locales, Translator
from bot.outbound import Outbox, Priority
from bot.replies import reply
from core.community.groups import GroupService
from core.community.members import user_row
from core.feedback import inbox, rules, staff
from core.feedback.inbox import Item
from core.text import shorten
from core.uow import UnitOfWork
from handlers.common import command_args
from handlers.feedback import render
from handlers.feedback import staff as staff_handlers

LIST_SIZE = 10
STATUS_WORDS = {
    "new": rules.NEW,
    "新": rules.NEW,
    "progress": rules.IN_PROGRESS,
    "in_progress": rules.IN_PROGRESS,
    "处理中": rules.IN_PROGRESS,
    "resolved": rules.RESOLVED,
    "已解决": rules.RESOLVED,
    "wontfix": rules.WONTFIX,
    "不处理": rules.WONTFIX,
}
CATEGORY_WORDS = {
    **{c: c for c in rules.CATEGORIES},
    "功能": "feature",
    "功能建议": "feature",
    "服务": "service",
    "服务体验": "service",
    "技术问题": "bug",
    "问题": "bug",
    "其他": "other",
}


async def managed_groups(uow: UnitOfWork, admins: AdminChecker, user_id: int) -> list[int]:
    return [
        group_id
        for group_id, _ in await inbox.groups_with_feedback(uow)
        if await admins.is_admin(group_id, user_id)
    ]


async def _listing(
    uow: UnitOfWork, admins: AdminChecker, user_id: int, t: Translator, status: str, category: str
) -> tuple[str, render.InlineKeyboardMarkup]:
    group_ids = await managed_groups(uow, admins, user_id)
    if not group_ids:
        raise rules.NotManager()
    items = await inbox.open_items(
        uow, group_ids, status=status or None, category=category or None, limit=LIST_SIZE
    )
    return (
        render.inbox_text(t, items, status, category, len(group_ids)),
        render.inbox_keyboard(t, items, status, category),
    )


async def cmd_inbox(
    message: Message, uow: UnitOfWork, admins: AdminChecker, t: Translator, outbox: Outbox
) -> None:
    assert message.from_user is not None
    status = category = ""
    for word in command_args(message.text):
        word = word.lower()
        if word in STATUS_WORDS:
            status = STATUS_WORDS[word]
        elif word in CATEGORY_WORDS:
            category = CATEGORY_WORDS[word]
    text, markup = await _listing(uow, admins, message.from_user.id, t, status, category)
    reply(outbox, message, text, markup=markup, priority=Priority.HIGH)


def _member_translator(locales: Locales, language: str) -> Translator:
    return locales.get(language)


async def _view(uow: UnitOfWork, t: Translator, item: Item) -> tuple[str, object]:
    return render.item_text(t, item, await inbox.thread(uow, item.id)), render.item_keyboard(
        t, item
    )


async def on_manage(
    query: CallbackQuery,
    callback_data: render.ManageButton,
    uow: UnitOfWork,
    admins: AdminChecker,
    groups: GroupService,
    locales: Locales,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    user_id = query.from_user.id
    action = callback_data.action
    if action == "l":
        status, _, category = callback_data.value.partition(".")
        status = status if status in rules.STATUSES else ""
        category = category if category in rules.CATEGORIES else ""
        try:
            text, markup = await _listing(uow, admins, user_id, t, status, category)
        except rules.NotManager:
            render.answer(outbox, query, t("feedback-error-not-manager"), alert=True)
            return
        render.edit(outbox, query, text, markup, event_at)
        render.answer(outbox, query)
        return
    try:
        item = await inbox.get(uow, callback_data.item)
    except rules.UnknownItem:
        render.answer(outbox, query, t("feedback-error-unknown-item"), alert=True)
        return
    if not await admins.is_admin(item.group_id, user_id):
        render.answer(outbox, query, t("feedback-error-not-manager"), alert=True)
        return
    notice = ""
    if action == "s" and callback_data.value in rules.STATUSES:
        item, closed = await inbox.set_status(uow, item.id, user_id, callback_data.value, event_at)
        notice = t("feedback-status-set", status=render.status_label(t, item.status))
        if closed:
            await tell_member_closed(uow, groups, locales, outbox, item)
    elif action == "p" and callback_data.value.isdecimal():
        item = await inbox.set_priority(uow, item.id, user_id, int(callback_data.value), event_at)
        notice = t("feedback-priority-set", priority=render.priority_label(t, item.priority))
    elif action == "r":
        chat_id = query.message.chat.id if query.message is not None else user_id
        item = await inbox.start_reply(uow, item.id, user_id, chat_id, event_at)
        render.answer(outbox, query, t("feedback-reply-now", number=item.number))
        outbox.send(
            chat_id,
            render.SendMessage(
                chat_id=chat_id,
                text=t("feedback-reply-now", number=item.number, name=item.name),
            ),
            priority=Priority.HIGH,
        )
        return
    text, markup = await _view(uow, t, item)
    render.edit(outbox, query, text, markup, event_at)  # type: ignore[arg-type]
    render.answer(outbox, query, notice)


async def send_reply(
    message: Message,
    uow: UnitOfWork,
    item_id: int,
    text: str,
    admins: AdminChecker,
    locales: Locales,
    groups: GroupService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """The manager's message after "Reply": into the thread, and to the member."""
    user = message.from_user
    assert user is not None
    item = await inbox.get(uow, item_id)
    if not await admins.is_admin(item.group_id, user.id):
        await inbox.cancel_draft(uow, user.id, message.chat.id)
        raise rules.NotManager()
    actor = user_row(user.id, user.username, user.full_name, user.language_code)
    item = await relay_reply(
        uow, groups, locales, outbox, item_id, actor, text, event_at, draft_chat_id=message.chat.id
    )
    reply(
        outbox,
        message,
        t("feedback-reply-sent", number=item.number, name=item.name),
        priority=Priority.HIGH,
    )


async def relay_reply(
    uow: UnitOfWork,
    groups: GroupService,
    locales: Locales,
    outbox: Outbox,
    item_id: int,
    actor: dict[str, object],
    text: str,
    at: datetime,
    *,
    draft_chat_id: int | None = None,
) -> Item:
    """A manager's answer (from /inbox or the dashboard; the caller verified the manager):
    into the thread, to the member (by DM, else in the group), and to the staff chat's topic."""
    item = await inbox.reply(uow, item_id, actor, text, at, draft_chat_id=draft_chat_id)
    group = await render.group_settings(uow, groups, item.group_id)
    mt = _member_translator(locales, group.language)
    render.deliver_to_member(
        outbox,
        item,
        mt("feedback-reply-dm", number=item.number, group=item.group_title)
        + "\n\n"
        + html.escape(text.strip())
        + "\n\n"
        + mt("feedback-reply-hint"),
    )
    topic = await staff.topic_of(uow, item.id)
    if topic is not None:  # the staff chat sees replies sent from /inbox too
        name = html.escape(shorten(str(actor.get("display_name") or actor["id"])))
        staff_handlers.to_topic(outbox, topic, f"✉️ <b>{name}</b>: {html.escape(text)}")
    return item


async def tell_member_closed(
    uow: UnitOfWork, groups: GroupService, locales: Locales, outbox: Outbox, item: Item
) -> None:
    """The member's item was resolved (or will not be): they are told, in their group's language."""
    group = await render.group_settings(uow, groups, item.group_id)
    mt = _member_translator(locales, group.language)
    render.deliver_to_member(
        outbox,
        item,
        mt(f"feedback-closed-dm-{item.status}", number=item.number, group=item.group_title),
    )
