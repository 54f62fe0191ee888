"""The guided /campaign: audience → message → button → when → preview → Confirm. Each question
is a message with buttons for the usual answers; a reply to it (by the admin who began) gives
any other answer: a selector, the text or a message to copy, a link, a time."""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.filters import BaseFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.admins import AdminChecker
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import reply
from core.campaigns import rules
from core.campaigns.service import CampaignService, Preview, open_draft
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.errors import DomainError
from core.uow import UnitOfWork
from handlers.campaigns import render
from handlers.common import actor_id
from handlers.feedback.render import answer, edit

AUDIENCES = ("all", "new", "returned", "at_risk", "dormant", "churned")
CLAIMS = (10, 50)


class GuideButton(CallbackData, prefix="cgg"):
    campaign: int
    step: str  # the question answered
    value: str


def _button(text: str, campaign_id: int, step: str, value: str) -> InlineKeyboardButton:
    data = GuideButton(campaign=campaign_id, step=step, value=value).pack()
    return InlineKeyboardButton(text=text, callback_data=data)


def question(t: Translator, campaign_id: int, step: str) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons of a question."""
    cancel = [_button(t("campaign-button-cancel"), campaign_id, step, "cancel")]
    if step == "audience":
        rows = [
            [_button(name, campaign_id, step, name) for name in AUDIENCES[:3]],
            [_button(name, campaign_id, step, name) for name in AUDIENCES[3:]],
        ]
    elif step == "button":
        rows = [
            [_button(t("campaign-guide-no-button"), campaign_id, step, "none")],
            [
                _button(t("campaign-button-claim", points=p), campaign_id, step, f"claim{p}")
                for p in CLAIMS
            ],
        ]
    elif step == "when":
        rows = [
            [
                _button(t("campaign-guide-now"), campaign_id, step, "now"),
                _button(t("campaign-guide-in-hour"), campaign_id, step, "1h"),
                _button(t("campaign-guide-tomorrow"), campaign_id, step, "9am"),
            ]
        ]
    else:
        rows = []
    return t(f"campaign-guide-{step}"), InlineKeyboardMarkup(inline_keyboard=[*rows, cancel])


def _tomorrow_nine(now: datetime, timezone: str) -> datetime:
    here = now.astimezone(ZoneInfo(timezone)) + timedelta(days=1)
    return here.replace(hour=9, minute=0, second=0, microsecond=0).astimezone(now.tzinfo)


def _button_values(value: str) -> dict[str, object]:
    if value.startswith("claim") and value[5:].isdecimal():
        return {"button": "claim", "button_points": int(value[5:]), "button_url": ""}
    return {"button": "none", "button_points": 0, "button_url": ""}


def _when_values(value: str, now: datetime, timezone: str) -> dict[str, object]:
    if value == "1h":
        return {"start_at": now + timedelta(hours=1)}
    if value == "9am":
        return {"start_at": _tomorrow_nine(now, timezone)}
    return {"start_at": None}


async def begin(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    campaigns: CampaignService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    campaign_id = await campaigns.begin(uow, group, actor_id(message), event_at)
    text, markup = question(t, campaign_id, "audience")
    reply(outbox, message, text, markup=markup, priority=Priority.HIGH)


def preview_text(t: Translator, campaign: Any, preview: Preview, timezone: str) -> str:
    button = render.button_line(t, campaign.button, campaign.button_url, campaign.button_points)
    return render.preview_text(t, preview, campaign.text, button, timezone, campaign.start_at)


async def on_button(
    query: CallbackQuery,
    callback_data: GuideButton,
    uow: UnitOfWork,
    groups: GroupService,
    admins: AdminChecker,
    campaigns: CampaignService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    chat = query.message.chat.id if query.message is not None else 0
    if not await admins.is_admin(chat, query.from_user.id):
        answer(outbox, query, t("error-not-admin"), alert=True)
        return
    group = (await groups.settings_in(uow.session, [chat])).get(chat)
    if group is None:
        answer(outbox, query, t("error-stale-button"), alert=True)
        return
    step, value = callback_data.step, callback_data.value
    try:
        if value == "cancel":
            await campaigns.control(uow, group, callback_data.campaign, "cancel", event_at)
            edit(outbox, query, t("campaign-draft-cancelled"), None, event_at)
            answer(outbox, query)
            return
        values: dict[str, object] = {}
        if step == "audience":
            values = {"selector": value}
        elif step == "button":
            values = _button_values(value)
        elif step == "when":
            values = _when_values(value, event_at, group.timezone)
        campaign, preview = await campaigns.answer(
            uow, group, callback_data.campaign, step, event_at, **values
        )
    except DomainError as refused:
        answer(outbox, query, t(refused.key, **refused.args_map), alert=True)
        return
    edit(outbox, query, *_next(t, campaign, preview, group.timezone), event_at)
    answer(outbox, query)


def _next(
    t: Translator, campaign: Any, preview: Preview | None, timezone: str
) -> tuple[str, InlineKeyboardMarkup]:
    if preview is not None:
        text = preview_text(t, campaign, preview, timezone)
        return text, render.preview_keyboard(t, campaign.id)
    return question(t, campaign.id, campaign.step)


class RepliesToGuide(BaseFilter):
    """A reply to one of the bot's messages by someone with a guided draft in this group."""

    async def __call__(
        self,
        message: Message,
        bot: Bot,
        uow: UnitOfWork,
        event_at: datetime,
    ) -> bool | dict[str, object]:
        replied = message.reply_to_message
        if (
            replied is None
            or replied.from_user is None
            or replied.from_user.id != bot.id
            or message.from_user is None
            or (message.text or "").startswith("/")
        ):
            return False
        draft = await open_draft(uow.session, message.chat.id, message.from_user.id, event_at)
        await uow.rollback()  # let go of the connection (SQLite: the tracking writes next)
        return {"draft": draft} if draft is not None else False


async def on_reply(
    message: Message,
    draft: Any,
    uow: UnitOfWork,
    group: GroupSettings,
    campaigns: CampaignService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    step = draft.step
    text = (message.text or "").strip()
    values: dict[str, object] = {}
    if step == "audience":
        values = {"selector": text}
    elif step == "message":
        if message.text is not None:
            values = {"text": html.escape(text)}
        else:  # a photo, a video, a voice note…: sent as a copy
            values = {
                "text": "",
                "source_chat_id": message.chat.id,
                "source_message_id": message.message_id,
            }
    elif step == "button":
        options, used = rules.read_options([f"link={text}"])
        values = {"button": "link", "button_url": options.url, "button_points": 0}
    elif step == "when":
        values = {"start_at": rules.start_at(text, event_at, group.timezone)}
    campaign, preview = await campaigns.answer(uow, group, draft.id, step, event_at, **values)
    text_out, markup = _next(t, campaign, preview, group.timezone)
    reply(outbox, message, text_out, markup=markup, priority=Priority.HIGH)
