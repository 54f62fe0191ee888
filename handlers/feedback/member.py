"""Members send feedback: `/feedback <text>`, or `/feedback` alone for the guided flow
(group in private if several, category buttons, then the text, a photo allowed)."""

from __future__ import annotations

import html
from datetime import datetime

from aiogram import Bot
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.enums import ChatType
from aiogram.filters import BaseFilter
from aiogram.types import CallbackQuery, Message

from bot.admins import AdminChecker
from bot.i18n import Locales, Translator
from bot.outbound import Outbox, Priority
from bot.replies import reply, send
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.community.members import user_row
from core.feedback import inbox, keywords, rules, staff
from core.text import shorten
from core.uow import UnitOfWork
from handlers.feedback import keywords as keyword_handlers
from handlers.feedback import render
from handlers.feedback import staff as staff_handlers
from handlers.feedback.manage import send_reply
from storage.db import SessionFactory
from storage.queries.community import groups as group_rows

KEYWORDS_WORDS = ("keywords", "关键词")


def _body(message: Message) -> str:
    """What follows the command (newlines kept), of a text or a photo's caption."""
    text = message.text if message.text is not None else (message.caption or "")
    parts = text.split(maxsplit=1)
    return parts[1] if len(parts) > 1 and parts[0].startswith("/") else ""


def _photos(message: Message) -> tuple[str, ...]:
    return (message.photo[-1].file_id,) if message.photo else ()


def _author(message: Message) -> dict[str, object]:
    user = message.from_user
    assert user is not None
    return user_row(user.id, user.username, user.full_name, user.language_code)


async def _member_groups(uow: UnitOfWork, user_id: int) -> list[tuple[int, str]]:
    return [
        (g.id, g.title or str(g.id)) for g in await group_rows.list_for_user(uow.session, user_id)
    ]


async def open_staff_topic(
    uow: UnitOfWork,
    group: GroupSettings,
    item_id: int,
    session_factory: SessionFactory,
    locales: Locales,
    outbox: Outbox,
) -> None:
    """With a staff chat linked, the new item opens a topic there."""
    staff_chat = await staff.staff_chat_of(uow, group.group_id)
    if staff_chat is not None:
        item = await inbox.get(uow, item_id)
        t_staff = locales.get(group.language)
        staff_handlers.open_topic(outbox, session_factory, staff_chat, item, t_staff)


async def _submit(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    text: str,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
    session_factory: SessionFactory,
    locales: Locales,
    category: str | None = None,
    survey_id: int | None = None,
) -> None:
    created = await inbox.submit(
        uow,
        group,
        _author(message),
        text,
        event_at,
        source_chat_id=message.chat.id,
        source_message_id=message.message_id,
        category=category,
        attachments=_photos(message),
        survey_id=survey_id,
    )
    reply(
        outbox,
        message,
        (t("survey-followup-thanks") + "\n" if survey_id is not None else "")
        + render.received(
            t,
            created.number,
            created.category,
            group.title or str(group.group_id),
            created.points,
        ),
        markup=render.category_keyboard(t, created.item_id, created.category),
        priority=Priority.HIGH,
    )
    await open_staff_topic(uow, group, created.item_id, session_factory, locales, outbox)


async def cmd_feedback(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings | None,
    groups: GroupService,
    admins: AdminChecker,
    session_factory: SessionFactory,
    locales: Locales,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    assert message.from_user is not None
    text = _body(message)
    if len(text.strip()) > rules.MAX_TEXT:  # refused before anything else, nothing stored
        raise rules.FeedbackTooLong(limit=rules.MAX_TEXT, length=len(text.strip()))
    user_id = message.from_user.id
    words = text.split()
    if group is not None and words and words[0].lower() == "staff":
        await staff_handlers.link_here(message, uow, words[1:], admins, event_at, t, outbox)
        return
    if group is None and words and words[0].lower() in KEYWORDS_WORDS:
        raise keywords.KeywordsInGroup()
    if group is not None and words and words[0].lower() in KEYWORDS_WORDS:
        rest = text.split(maxsplit=1)[1] if len(words) > 1 else ""
        await keyword_handlers.handle(
            message, uow, group.group_id, rest, admins, event_at, t, outbox
        )
        return
    if group is None:  # in private: which group is it about?
        known = await _member_groups(uow, user_id)
        if not known:
            raise rules.NoGroupKnown()
        if len(known) > 1:
            await inbox.start_guided(
                uow, user_id, message.chat.id, None, event_at, text.strip() or None
            )
            reply(
                outbox,
                message,
                t("feedback-pick-group"),
                markup=render.group_keyboard(known),
                priority=Priority.HIGH,
            )
            return
        group = await render.group_settings(uow, groups, known[0][0])
    if text.strip():
        await _submit(message, uow, group, text, event_at, t, outbox, session_factory, locales)
        return
    await inbox.start_guided(uow, user_id, message.chat.id, group.group_id, event_at)
    reply(
        outbox,
        message,
        t("feedback-pick-category"),
        markup=render.category_keyboard(t),
        priority=Priority.HIGH,
    )


async def on_group_pick(
    query: CallbackQuery,
    callback_data: render.GroupButton,
    uow: UnitOfWork,
    groups: GroupService,
    session_factory: SessionFactory,
    locales: Locales,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    user_id = query.from_user.id
    chat_id = query.message.chat.id if query.message is not None else user_id
    known = dict(await _member_groups(uow, user_id))
    draft = await inbox.fresh_draft(uow, user_id, chat_id, event_at)
    if draft is None or callback_data.group not in known:
        render.answer(outbox, query, t("feedback-stale"), alert=True)
        return
    if draft.text:
        group = await render.group_settings(uow, groups, callback_data.group)
        created = await inbox.submit(
            uow,
            group,
            user_row(
                user_id,
                query.from_user.username,
                query.from_user.full_name,
                query.from_user.language_code,
            ),
            draft.text,
            event_at,
            source_chat_id=chat_id,
            source_message_id=None,
        )
        render.edit(
            outbox,
            query,
            render.received(
                t, created.number, created.category, known[callback_data.group], created.points
            ),
            render.category_keyboard(t, created.item_id, created.category),
            event_at,
        )
        render.answer(outbox, query)
        await open_staff_topic(uow, group, created.item_id, session_factory, locales, outbox)
        return
    await inbox.update_draft(uow, user_id, chat_id, event_at, group_id=callback_data.group)
    render.edit(outbox, query, t("feedback-pick-category"), render.category_keyboard(t), event_at)
    render.answer(outbox, query)


async def on_category(
    query: CallbackQuery,
    callback_data: render.CategoryButton,
    uow: UnitOfWork,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    user_id = query.from_user.id
    category = callback_data.cat
    if category not in rules.CATEGORIES:
        render.answer(outbox, query, t("feedback-stale"), alert=True)
        return
    if callback_data.item:  # change the category of a stored item (its author only)
        try:
            item, earned = await inbox.recategorize(uow, callback_data.item, user_id, category)
        except rules.UnknownItem:
            render.answer(outbox, query, t("feedback-not-yours"), alert=True)
            return
        render.edit(
            outbox,
            query,
            render.received(t, item.number, item.category, item.group_title, earned),
            render.category_keyboard(t, item.id, item.category),
            event_at,
        )
        render.answer(outbox, query, t("feedback-category-changed"))
        return
    chat_id = query.message.chat.id if query.message is not None else user_id
    draft = await inbox.update_draft(uow, user_id, chat_id, event_at, category=category)
    if draft is None or draft.group_id is None:
        render.answer(outbox, query, t("feedback-stale"), alert=True)
        return
    in_group = query.message is not None and query.message.chat.type != ChatType.PRIVATE
    key = "feedback-send-text-group" if in_group else "feedback-send-text"
    render.edit(outbox, query, t(key, category=render.category_label(t, category)), None, event_at)
    render.answer(outbox, query)


class RepliesToBot(BaseFilter):
    """A group message replying to one of the bot's (the guided flow's prompt)."""

    async def __call__(self, message: Message, bot: Bot) -> bool:
        replied = message.reply_to_message
        return (
            replied is not None
            and replied.from_user is not None
            and replied.from_user.id == bot.id
            and not (message.text or "").startswith("/")
        )


class NotCommand(BaseFilter):
    async def __call__(self, message: Message) -> bool:
        text = message.text if message.text is not None else message.caption
        return not (text or "").startswith("/")


async def on_group_reply(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    session_factory: SessionFactory,
    locales: Locales,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """The text of the guided flow, in a group: a reply to the bot's prompt."""
    assert message.from_user is not None
    draft = await inbox.fresh_draft(uow, message.from_user.id, message.chat.id, event_at)
    if draft is None or draft.purpose != "feedback":
        # A reply to the bot for something else: chat as usual (our read ends first, so the
        # chat handler's batched write never waits for it).
        await uow.rollback()
        raise SkipHandler()
    text = message.text if message.text is not None else (message.caption or "")
    await _submit(
        message, uow, group, text, event_at, t, outbox, session_factory, locales, draft.category
    )


async def on_private_message(
    message: Message,
    uow: UnitOfWork,
    groups: GroupService,
    session_factory: SessionFactory,
    admins: AdminChecker,
    locales: Locales,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """A private message that is no command: the text of a guided flow, a manager's reply, or
    a member's answer to a manager."""
    assert message.from_user is not None
    user_id = message.from_user.id
    text = message.text if message.text is not None else (message.caption or "")
    draft = await inbox.fresh_draft(uow, user_id, message.chat.id, event_at)
    if draft is not None and draft.purpose == "reply" and draft.item_id is not None:
        await send_reply(
            message, uow, draft.item_id, text, admins, locales, groups, event_at, t, outbox
        )
        return
    if draft is not None and draft.purpose == "survey" and draft.group_id is not None:
        group = await render.group_settings(uow, groups, draft.group_id)
        await _submit(
            message,
            uow,
            group,
            text,
            event_at,
            t,
            outbox,
            session_factory,
            locales,
            survey_id=draft.survey_id,
        )
        return
    if draft is not None and draft.purpose == "feedback" and draft.group_id is not None:
        group = await render.group_settings(uow, groups, draft.group_id)
        await _submit(
            message,
            uow,
            group,
            text,
            event_at,
            t,
            outbox,
            session_factory,
            locales,
            draft.category,
        )
        return
    item, manager = await inbox.member_answer(
        uow, user_id, text, event_at, _photos(message)[0] if message.photo else None
    )
    reply(outbox, message, t("feedback-answer-added", number=item.number), priority=Priority.HIGH)
    topic = await staff.topic_of(uow, item.id)
    if topic is not None:
        staff_handlers.to_topic(
            outbox, topic, f"💬 <b>{html.escape(shorten(item.name))}</b>: {html.escape(text)}"
        )
    if manager is not None:
        manager_t = locales.get((await render.group_settings(uow, groups, item.group_id)).language)
        send(
            outbox,
            manager,
            manager_t("feedback-member-answered", number=item.number, name=item.name)
            + "\n"
            + html.escape(text),
            priority=Priority.HIGH,
            markup=render.InlineKeyboardMarkup(
                inline_keyboard=[
                    [
                        render.InlineKeyboardButton(
                            text=manager_t("feedback-button-open"),
                            callback_data=render.ManageButton(action="o", item=item.id).pack(),
                        )
                    ]
                ]
            ),
        )
