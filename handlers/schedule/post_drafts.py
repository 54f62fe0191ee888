"""The guided /schedule: `/schedule` alone shows times as buttons; the admin taps one, then
replies to the bot's prompt with the post (texts are A/B variants confirmed with ✅, anything
else is copied at once). Drafts wait in the database (core/schedule/drafts.py)."""

from __future__ import annotations

from datetime import datetime

from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import BaseFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.methods import AnswerCallbackQuery, EditMessageText
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import clip, plain, reply
from core.community.group_settings import GroupSettings
from core.schedule.drafts import Draft, PostDrafts
from core.schedule.posts import Content, PostService
from core.schedule.when import parse_rule, parse_when
from core.text import shorten
from core.uow import UnitOfWork
from handlers.common import actor_id
from handlers.schedule.post_render import created_text, describe

# The guided flow's choices (words /schedule understands); "sd:<index>".
QUICK = ("+30m", "+1h", "+3h", "09:00", "daily 09:00", "weekly mon 10:00")


class DraftButton(CallbackData, prefix="sd"):
    choice: int


class DraftAction(CallbackData, prefix="sda"):
    action: str  # confirm | cancel
    prompt: int  # the prompt's message id (the draft's key)


def quick_keyboard(t: Translator) -> InlineKeyboardMarkup:
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
    post_drafts: PostDrafts,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """Guided flow, step 1: when. The prompt becomes "reply to me with the content"."""
    words = QUICK[callback_data.choice].split() if 0 <= callback_data.choice < len(QUICK) else None
    await begin_draft(query, words, uow, group, post_drafts, event_at, t, outbox)


async def begin_draft(
    query: CallbackQuery,
    words: list[str] | None,
    uow: UnitOfWork,
    group: GroupSettings,
    post_drafts: PostDrafts,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """A time picked (a quick choice or a ⭐ best time; None: nothing valid): the draft starts
    and its prompt becomes "reply to me with the content"; the press is answered."""
    chat_id = group.group_id
    if words is not None and query.message is not None:
        rule, _ = parse_when(words, event_at, group.timezone)
        prompt_id = query.message.message_id
        await post_drafts.start(uow, chat_id, query.from_user.id, prompt_id, rule, event_at)
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
    post_drafts: PostDrafts,
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
    draft = await post_drafts.get(uow, group.group_id, prompt_id, event_at)
    if draft is None:
        # Let go of the connection first: the next handler (activity) needs it on SQLite.
        await uow.rollback()
        raise SkipHandler()
    if message.text is not None:
        updated = await post_drafts.add_variant(
            uow, group.group_id, prompt_id, message.text, event_at
        )
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
    taken = await post_drafts.take(uow, group.group_id, prompt_id, event_at)
    assert taken is not None
    content = Content(source_chat_id=message.chat.id, source_message_id=message.message_id)
    thread_id = message.message_thread_id if message.is_topic_message else None
    post = await posts.create(
        uow, group, actor_id(message), taken.rule, content, thread_id, event_at
    )
    reply(outbox, message, created_text(t, post, taken.rule, group), priority=Priority.HIGH)


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
    post_drafts: PostDrafts,
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
        post = await post_drafts.confirm(
            uow, group, query.from_user.id, prompt_id, thread_id, event_at
        )
        if post is None:
            text = t("schedule-draft-gone")
        else:
            text = created_text(t, post, parse_rule(post.rule), group)
            notice = t("schedule-draft-done", id=post.id)
    else:
        await post_drafts.cancel(uow, chat_id, prompt_id)
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
