"""Texts and buttons of the feedback inbox (callback data stays within Telegram's 64 bytes)."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.filters.callback_data import CallbackData
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyParameters,
)

from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import clip, edit_pressed, plain
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.feedback import rules
from core.feedback.inbox import Item, ThreadLine
from core.text import shorten
from core.uow import UnitOfWork

PREVIEW = 60  # characters of an item's text in a list


class CategoryButton(CallbackData, prefix="fbc"):
    item: int = 0  # 0: the draft of the guided flow
    cat: str


class GroupButton(CallbackData, prefix="fbg"):
    group: int


class ManageButton(CallbackData, prefix="fba"):
    action: str  # l (list) | o (open) | s (status) | p (priority) | r (reply)
    item: int = 0
    value: str = ""  # status, priority, or the list's filter "status.category"


async def group_settings(uow: UnitOfWork, groups: GroupService, group_id: int) -> GroupSettings:
    """A group's settings read with the use case's session: SQLite has one connection, and a
    second session while this one holds it would wait for ever."""
    found = await groups.settings_in(uow.session, [group_id])
    if group_id not in found:
        raise rules.NoGroupKnown()
    return found[group_id]


def category_label(t: Translator, category: str) -> str:
    return t(f"feedback-cat-{category}")


def status_label(t: Translator, status: str) -> str:
    return t(f"feedback-status-{status}")


def priority_label(t: Translator, priority: int) -> str:
    return t(f"feedback-priority-{priority}")


def category_keyboard(
    t: Translator, item_id: int = 0, current: str | None = None
) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            text=("✓ " if category == current else "") + category_label(t, category),
            callback_data=CategoryButton(item=item_id, cat=category).pack(),
        )
        for category in rules.CATEGORIES
    ]
    return InlineKeyboardMarkup(inline_keyboard=[buttons[:2], buttons[2:]])


def group_keyboard(groups: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=shorten(title, 40), callback_data=GroupButton(group=group_id).pack()
                )
            ]
            for group_id, title in groups[:20]
        ]
    )


def received(t: Translator, number: int, category: str, group_title: str, points: int = 0) -> str:
    text = t(
        "feedback-received",
        number=number,
        category=category_label(t, category),
        group=shorten(group_title),
    )
    return text + "\n" + t("feedback-points-earned", points=points) if points else text


def inbox_text(t: Translator, items: list[Item], status: str, category: str, groups: int) -> str:
    filters = [status_label(t, status) if status else t("feedback-filter-open")]
    if category:
        filters.append(category_label(t, category))
    lines = [t("feedback-inbox-title", filters=" · ".join(filters), groups=groups), ""]
    if not items:
        lines.append(t("feedback-inbox-empty"))
    for item in items:
        lines.append(
            t(
                "feedback-inbox-line",
                number=item.number,
                group=shorten(item.group_title, 24),
                category=category_label(t, item.category),
                status=status_label(t, item.status),
                priority=priority_label(t, item.priority),
                name=shorten(item.name, 32),
                text=shorten(" ".join(item.text.split()), PREVIEW),
            )
            + (
                ""
                if item.survey_number is None
                else " " + t("feedback-inbox-survey", survey=item.survey_number)
            )
        )
    return "\n".join(lines)


def inbox_keyboard(
    t: Translator, items: list[Item], status: str, category: str
) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = []
    opens = [
        InlineKeyboardButton(
            text=f"#{item.number}" + ("" if len({i.group_id for i in items}) == 1 else "…"),
            callback_data=ManageButton(action="o", item=item.id).pack(),
        )
        for item in items
    ]
    rows += [opens[i : i + 5] for i in range(0, len(opens), 5)]
    rows.append(
        [
            InlineKeyboardButton(
                text=("✓ " if status == value else "")
                + (status_label(t, value) if value else t("feedback-filter-open")),
                callback_data=ManageButton(action="l", value=f"{value}.{category}").pack(),
            )
            for value in ("", rules.NEW, rules.IN_PROGRESS, rules.RESOLVED)
        ]
    )
    rows.append(
        [
            InlineKeyboardButton(
                text=("✓ " if category == value else "")
                + (category_label(t, value) if value else t("feedback-filter-all")),
                callback_data=ManageButton(action="l", value=f"{status}.{value}").pack(),
            )
            for value in ("", *rules.CATEGORIES)
        ]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def item_text(t: Translator, item: Item, lines: list[ThreadLine]) -> str:
    head = t(
        "feedback-item-title",
        number=item.number,
        group=shorten(item.group_title),
        name=shorten(item.name),
        category=category_label(t, item.category),
        status=status_label(t, item.status),
        priority=priority_label(t, item.priority),
        created=item.created_at.strftime("%Y-%m-%d %H:%M UTC"),
    )
    parts = [head]
    if item.survey_number is not None:
        parts.append(t("feedback-item-survey", survey=item.survey_number))
    parts.append("")
    for line in lines:
        who = t("feedback-thread-member") if line.role == "member" else shorten(line.name, 32)
        photo = " 📷" if line.file_id else ""
        parts.append(f"<b>{html.escape(who)}</b>{photo}: {html.escape(shorten(line.text, 600))}")
    if item.attachments:
        parts.append(t("feedback-item-attachments", count=len(item.attachments)))
    return "\n".join(parts)


def item_keyboard(t: Translator, item: Item) -> InlineKeyboardMarkup:
    def button(action: str, value: str, label: str, current: bool) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            text=("✓ " if current else "") + label,
            callback_data=ManageButton(action=action, item=item.id, value=value).pack(),
        )

    statuses = [
        button("s", s, status_label(t, s), item.status == s)
        for s in (rules.IN_PROGRESS, rules.RESOLVED, rules.WONTFIX)
    ]
    priorities = [
        button("p", str(p), priority_label(t, p), item.priority == p) for p in rules.PRIORITIES
    ]
    return InlineKeyboardMarkup(
        inline_keyboard=[
            statuses,
            priorities,
            [
                button("r", "", t("feedback-button-reply"), False),
                button("l", ".", t("feedback-button-back"), False),
            ],
        ]
    )


def edit(
    outbox: Outbox,
    query: CallbackQuery,
    text: str,
    markup: InlineKeyboardMarkup | None,
    now: datetime,
) -> None:
    """In place of the pressed message, or as a new one where it can no longer be edited."""
    edit_pressed(outbox, query, text, markup, now)


def answer(outbox: Outbox, query: CallbackQuery, text: str = "", alert: bool = False) -> None:
    chat_id = query.message.chat.id if query.message is not None else query.from_user.id
    outbox.send(
        chat_id,
        AnswerCallbackQuery(
            callback_query_id=query.id, text=plain(text)[:200] or None, show_alert=alert or None
        ),
        priority=Priority.HIGH,
        counts_as_message=False,
    )


def mention(user_id: int, name: str) -> str:
    return f'<a href="tg://user?id={user_id}">{html.escape(shorten(name))}</a>'


def deliver_to_member(outbox: Outbox, item: Item, text: str) -> None:
    """A message for the member: by DM; if Telegram refuses (they never started the bot, or
    blocked it), in the group instead, as a reply to their feedback when it was sent there."""
    future = outbox.send(
        item.user_id, SendMessage(chat_id=item.user_id, text=clip(text)), priority=Priority.HIGH
    )

    def fallback(done: Any) -> None:
        if done.cancelled():
            return
        exc = done.exception()
        if not isinstance(exc, (TelegramForbiddenError, TelegramBadRequest)):
            return
        in_group = item.source_chat_id < 0 and item.source_message_id is not None
        chat_id = item.source_chat_id if in_group else item.group_id
        outbox.send(
            chat_id,
            SendMessage(
                chat_id=chat_id,
                text=clip(mention(item.user_id, item.name) + "\n" + text),
                reply_parameters=ReplyParameters(
                    message_id=item.source_message_id, allow_sending_without_reply=True
                )
                if in_group and item.source_message_id is not None
                else None,
            ),
            priority=Priority.NORMAL,
        )

    future.add_done_callback(fallback)
