"""Administrators: the catalogue (/reward_add, /reward_edit, /reward_disable, /reward_enable,
/rewards, /codes) and fulfilment (/redemptions with Approve/Reject buttons, /reject)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from aiogram import Bot, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramForbiddenError
from aiogram.filters import BaseFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.methods import SendMessage
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.admins import AdminChecker
from bot.filters import InGroup, IsGroupAdmin, NotGroupAdmin
from bot.i18n import Locales, Translator
from bot.outbound import Outbox, Priority
from bot.replies import clip, reply
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.errors import NotAdmin
from core.shop import catalogue, redeem
from core.shop.errors import InvalidReward
from core.text import shorten
from core.uow import UnitOfWork
from handlers.common import actor_id, command_args
from handlers.shop import render
from handlers.shop.member import answer, edit
from handlers.shop.render import Decide
from handlers.shop.specs import (
    CODES,
    REDEMPTIONS,
    REJECT,
    REWARD_ADD,
    REWARD_DISABLE,
    REWARD_EDIT,
    REWARD_ENABLE,
    REWARDS,
)
from storage.tables import Redemption, Reward

MAX_LISTED_DUPLICATES = 10
LIMIT_CHOICES = (0, 1, 3)  # 0: no limit
LEVEL_CHOICES = (1, 2, 3)


class RewardSet(CallbackData, prefix="sr"):
    """A button of the reward panel: n the reward number, f the field (m mode, l limit,
    v level, e enabled, x done; p the photo step, s skip it, r remove the photo), v the value
    (an index into catalogue.MODES for the mode)."""

    n: int
    f: str
    v: int = 0


def _mark(on: bool, label: str) -> str:
    return ("✓ " if on else "") + label


def panel_keyboard(t: Translator, reward: Reward) -> InlineKeyboardMarkup:
    n = reward.number

    def button(label: str, field: str, value: int = 0) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            text=label, callback_data=RewardSet(n=n, f=field, v=value).pack()
        )

    modes = [
        button(_mark(reward.mode == mode, t(f"shop-panel-mode-{mode}")), "m", i)
        for i, mode in enumerate(catalogue.MODES)
    ]
    limits = [
        button(_mark((reward.per_member_limit or 0) == v, t("shop-panel-limit", limit=v)), "l", v)
        for v in LIMIT_CHOICES
    ]
    levels = [
        button(_mark(reward.min_level == v, t("shop-panel-level", level=v)), "v", v)
        for v in LEVEL_CHOICES
    ]
    toggle = button(
        t("shop-panel-disable") if reward.enabled else t("shop-panel-enable"),
        "e",
        0 if reward.enabled else 1,
    )
    photo = button(t("shop-panel-photo"), "p")
    return InlineKeyboardMarkup(
        inline_keyboard=[
            modes,
            limits,
            levels,
            [photo, toggle, button(t("shop-panel-done"), "x")],
        ]
    )


def photo_keyboard(t: Translator, reward: Reward) -> InlineKeyboardMarkup:
    """The photo step: skip it (back to the panel), or remove the photo the reward has."""
    row = [
        InlineKeyboardButton(
            text=t("shop-photo-skip"), callback_data=RewardSet(n=reward.number, f="s").pack()
        )
    ]
    if reward.photo_file_id:
        row.append(
            InlineKeyboardButton(
                text=t("shop-photo-remove"),
                callback_data=RewardSet(n=reward.number, f="r").pack(),
            )
        )
    return InlineKeyboardMarkup(inline_keyboard=[row])


def largest_photo(message: Message | None) -> str | None:
    """The file id of the message's photo (its largest size), if it has one."""
    if message is None or not message.photo:
        return None
    return message.photo[-1].file_id


class PhotoReplyToBot(BaseFilter):
    """A photo sent in reply to one of the bot's messages (maybe its photo prompt)."""

    async def __call__(self, message: Message, bot: Bot) -> bool:
        replied = message.reply_to_message
        return (
            bool(message.photo)
            and replied is not None
            and replied.from_user is not None
            and replied.from_user.id == bot.id
            and not (message.caption or "").startswith("/")
        )


def panel_text(t: Translator, reward: Reward) -> str:
    return "\n".join(
        [
            t(
                "shop-admin-item",
                number=reward.number,
                name=reward.name,
                cost=reward.cost,
                stock=render.stock_text(t, reward),
                mode=reward.mode,
                codes="",
                off="" if reward.enabled else " " + t("shop-admin-off"),
            ),
            t("shop-panel-how", number=reward.number),
        ]
    )


async def cmd_reward_add(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    # Sent as a photo's caption, or in reply to a photo: that photo is the reward's.
    new = catalogue.parse_add(command_args(message.text or message.caption))
    photo = largest_photo(message) or largest_photo(message.reply_to_message)
    reward = await catalogue.add(uow, group.group_id, actor_id(message), new, event_at, photo)
    text = t(
        "shop-added",
        number=reward.number,
        name=reward.name,
        cost=reward.cost,
        stock=render.stock_text(t, reward),
        mode=reward.mode,
        limit=(" " + t("shop-item-limit", limit=reward.per_member_limit))
        if reward.per_member_limit
        else "",
        level=(" " + t("shop-item-level", level=reward.min_level)) if reward.min_level > 1 else "",
    )
    if reward.mode == "code":
        text += "\n" + t("shop-added-codes", number=reward.number)
    if reward.photo_file_id:
        text += "\n" + t("shop-photo-kept")
    else:  # the guided flow's photo step
        text += "\n" + t("shop-photo-offer")
    text += "\n\n" + t("shop-panel-how", number=reward.number)
    reply(outbox, message, text, markup=panel_keyboard(t, reward), priority=Priority.HIGH)


def _number(args: list[str]) -> int:
    if not args:
        raise InvalidReward(field="field", low=0, high=0)
    return catalogue.parse_number(args[0])


async def cmd_reward_edit(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    args = command_args(message.text)
    number = _number(args)
    if len(args) == 1:  # the panel of buttons
        reward = await catalogue.get(uow, group.group_id, number)
        text, markup = panel_text(t, reward), panel_keyboard(t, reward)
        reply(outbox, message, text, markup=markup, priority=Priority.HIGH)
        return
    if len(args) < 3:
        raise InvalidReward(field="field", low=0, high=0)
    values = catalogue.parse_edit(args[1], " ".join(args[2:]))
    reward = await catalogue.edit(uow, group.group_id, actor_id(message), number, values, event_at)
    reply(
        outbox,
        message,
        t("shop-edited", number=reward.number, name=reward.name),
        priority=Priority.HIGH,
    )


async def _toggle(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
    enabled: bool,
) -> None:
    number = _number(command_args(message.text))
    reward = await catalogue.set_enabled(
        uow, group.group_id, actor_id(message), number, enabled, event_at
    )
    key = "shop-enabled" if enabled else "shop-disabled"
    reply(outbox, message, t(key, number=reward.number, name=reward.name), priority=Priority.HIGH)


async def cmd_reward_disable(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    await _toggle(message, uow, group, event_at, t, outbox, False)


async def cmd_reward_enable(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    await _toggle(message, uow, group, event_at, t, outbox, True)


async def cmd_rewards(
    message: Message, uow: UnitOfWork, group: GroupSettings, t: Translator, outbox: Outbox
) -> None:
    items = await catalogue.catalogue(uow, group.group_id, enabled_only=False)
    if not items:
        reply(outbox, message, t("shop-empty"), priority=Priority.HIGH)
        return
    lines = []
    for r in items:
        assert r.id is not None
        codes = ""
        if r.mode == "code":
            codes = " " + t("shop-admin-codes", free=await catalogue.free_codes(uow, r.id))
        lines.append(
            t(
                "shop-admin-item",
                number=r.number,
                name=r.name,
                cost=r.cost,
                stock=render.stock_text(t, r),
                mode=r.mode,
                codes=codes,
                off="" if r.enabled else " " + t("shop-admin-off"),
            )
        )
    reply(outbox, message, "\n".join(lines), priority=Priority.HIGH)


async def cmd_codes(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    first, *rest = (message.text or "").split("\n")
    number = _number(first.split()[1:])
    inline = first.split()[2:]  # codes on the command line too
    codes = catalogue.parse_codes([*inline, *rest])
    done = await catalogue.add_codes(
        uow, group.group_id, actor_id(message), number, codes, event_at
    )
    text = t(
        "shop-codes-added",
        added=done.added,
        number=done.reward.number,
        name=done.reward.name,
        free=done.free,
    )
    if done.duplicates:
        shown = ", ".join(shorten(c, 32) for c in done.duplicates[:MAX_LISTED_DUPLICATES])
        if len(done.duplicates) > MAX_LISTED_DUPLICATES:
            shown += ", …"
        text += "\n" + t("shop-codes-duplicates", count=len(done.duplicates), codes=shown)
    reply(outbox, message, text, priority=Priority.HIGH)


async def _admin_groups(
    uow: UnitOfWork, admins: AdminChecker, user_id: int, chat_id: int, private: bool
) -> list[int]:
    """The groups whose pending redemptions this administrator may decide, from this chat."""
    if not private:
        if not await admins.is_admin(chat_id, user_id):
            raise NotAdmin()
        return [chat_id]
    candidates = await redeem.groups_with_pending(uow, user_id)
    return [g for g in candidates if await admins.is_admin(g, user_id)]


async def _pending_view(
    uow: UnitOfWork, admins: AdminChecker, user_id: int, chat_id: int, private: bool, t: Translator
):  # type: ignore[no-untyped-def]
    groups = await _admin_groups(uow, admins, user_id, chat_id, private)
    items = await redeem.pending_for(uow, groups)
    named = await redeem.with_names(uow, items)
    return render.pending_text(t, named), render.pending_keyboard(t, items)


async def cmd_redemptions(
    message: Message, uow: UnitOfWork, admins: AdminChecker, t: Translator, outbox: Outbox
) -> None:
    assert message.from_user is not None
    private = message.chat.type == ChatType.PRIVATE
    text, markup = await _pending_view(
        uow, admins, message.from_user.id, message.chat.id, private, t
    )
    reply(outbox, message, text, markup=markup, priority=Priority.HIGH)


def _notify_member(
    outbox: Outbox,
    locales: Locales,
    groups: GroupService,
    r: Redemption,
    name: str,
    lang: str,
    approved: bool,
) -> None:
    """By private message; a member the bot cannot write to is told in the group."""
    group = groups.cached(r.group_id)
    t = locales.get(group.language if group is not None else lang)
    key = "shop-member-approved" if approved else "shop-member-rejected"
    text = t(
        key,
        number=r.reward_number,
        reward=r.reward_name,
        id=r.id,
        cost=r.cost,
        reason=r.reason or t("shop-no-reason"),
    )
    future = outbox.send(r.user_id, SendMessage(chat_id=r.user_id, text=clip(text)))
    in_group = t("shop-member-mention", name=name) + " " + text
    group_id = r.group_id

    def on_sent(f: asyncio.Future[Any]) -> None:
        if f.cancelled() or not isinstance(f.exception(), TelegramForbiddenError):
            return
        outbox.send(group_id, SendMessage(chat_id=group_id, text=clip(in_group)))

    future.add_done_callback(on_sent)


async def _decide(
    uow: UnitOfWork,
    admins: AdminChecker,
    user_id: int,
    redemption_id: int,
    approve: bool,
    reason: str | None,
    event_at: datetime,
):  # type: ignore[no-untyped-def]
    current = await redeem.get(uow, redemption_id)
    if not await admins.is_admin(current.group_id, user_id):
        raise NotAdmin()
    return await redeem.decide(uow, redemption_id, user_id, approve, reason, event_at)


async def on_decide(
    query: CallbackQuery,
    callback_data: Decide,
    uow: UnitOfWork,
    admins: AdminChecker,
    locales: Locales,
    groups: GroupService,
    lang: str,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    approve = callback_data.a == 1
    r = await _decide(uow, admins, query.from_user.id, callback_data.r, approve, None, event_at)
    key = "shop-decided-approved" if approve else "shop-decided-rejected"
    done = t(key, id=r.id, cost=r.cost)
    [(r, name)] = await redeem.with_names(uow, [r])
    _notify_member(outbox, locales, groups, r, name, lang, approve)
    if query.message is not None:
        private = query.message.chat.type == ChatType.PRIVATE
        text, markup = await _pending_view(
            uow, admins, query.from_user.id, query.message.chat.id, private, t
        )
        edit(outbox, query, done + "\n\n" + text, markup)
    answer(outbox, query, done)


async def cmd_reject(
    message: Message,
    uow: UnitOfWork,
    admins: AdminChecker,
    locales: Locales,
    groups: GroupService,
    lang: str,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    assert message.from_user is not None
    args = command_args(message.text)
    if not args or not args[0].lstrip("#").isdecimal() or len(args[0]) > 12:
        raise InvalidReward(field="field", low=0, high=0)
    reason = " ".join(args[1:]).strip()[:200] or None
    r = await _decide(
        uow, admins, message.from_user.id, int(args[0].lstrip("#")), False, reason, event_at
    )
    [(r, name)] = await redeem.with_names(uow, [r])
    _notify_member(outbox, locales, groups, r, name, lang, False)
    reply(
        outbox, message, t("shop-decided-rejected", id=r.id, cost=r.cost), priority=Priority.HIGH
    )


async def on_panel(
    query: CallbackQuery,
    callback_data: RewardSet,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    data = callback_data
    values: dict[str, object] | None = None
    if data.f == "m" and 0 <= data.v < len(catalogue.MODES):
        values = {"mode": catalogue.MODES[data.v]}
    elif data.f == "l" and data.v in LIMIT_CHOICES:
        values = {"per_member_limit": data.v or None}
    elif data.f == "v" and data.v in LEVEL_CHOICES:
        values = {"min_level": data.v}
    elif data.f == "e" and data.v in (0, 1):
        values = {"enabled": bool(data.v)}
    elif data.f in ("p", "s", "r"):
        await _photo_step(query, data, uow, group, event_at, t, outbox)
        return
    elif data.f != "x":
        raise InvalidReward(field="field", low=0, high=0)  # a forged button
    if values is None:
        reward = await catalogue.get(uow, group.group_id, data.n)
        edit(outbox, query, panel_text(t, reward).split("\n")[0])
        answer(outbox, query, t("shop-panel-saved"))
        return
    reward = await catalogue.edit(
        uow, group.group_id, query.from_user.id, data.n, values, event_at
    )
    edit(outbox, query, panel_text(t, reward), panel_keyboard(t, reward))
    answer(outbox, query, t("shop-panel-saved"))


async def _photo_step(
    query: CallbackQuery,
    data: RewardSet,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """p: this message asks for the photo (a reply to it brings it); s: skip, back to the
    panel; r: remove the photo."""
    if query.message is None:
        answer(outbox, query)
        return
    prompt = query.message.message_id
    if data.f == "p":
        reward = await catalogue.ask_photo(
            uow, group.group_id, query.from_user.id, data.n, prompt, event_at
        )
        text = t("shop-photo-ask", number=reward.number, name=reward.name)
        edit(outbox, query, text, photo_keyboard(t, reward))
        answer(outbox, query)
        return
    if data.f == "s":
        reward = await catalogue.skip_photo(uow, group.group_id, data.n, prompt)
    else:
        reward = await catalogue.set_photo(
            uow, group.group_id, query.from_user.id, data.n, None, event_at
        )
    edit(outbox, query, panel_text(t, reward), panel_keyboard(t, reward))
    answer(outbox, query, t("shop-panel-saved"))


async def on_photo_reply(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """The photo step: a photo in reply to the bot's prompt becomes the reward's photo."""
    assert message.reply_to_message is not None
    photo = largest_photo(message)
    assert photo is not None
    reward = await catalogue.photo_reply(
        uow,
        group.group_id,
        actor_id(message),
        message.reply_to_message.message_id,
        photo,
        event_at,
    )
    if reward is None:
        raise SkipHandler()  # not a photo prompt: a scheduled post's draft, say
    text = t("shop-photo-set", number=reward.number, name=reward.name)
    reply(
        outbox,
        message,
        text + "\n\n" + panel_text(t, reward),
        markup=panel_keyboard(t, reward),
        priority=Priority.HIGH,
    )


async def refuse(query: CallbackQuery) -> None:
    raise NotAdmin()


def routers() -> list[Router]:
    group = Router(name="shop_admin")
    # Commands check their declared role themselves (after the command); buttons and the photo
    # reply check the person after their own filter: IsGroupAdmin may ask Telegram
    # (getChatMember), which every other group message reaching this router must not cost.
    group.message.filter(InGroup())
    group.callback_query.filter(InGroup())
    group.callback_query.register(on_panel, RewardSet.filter(), IsGroupAdmin())
    group.callback_query.register(refuse, RewardSet.filter(), NotGroupAdmin())
    group.message.register(cmd_reward_add, REWARD_ADD.filter())
    group.message.register(cmd_reward_edit, REWARD_EDIT.filter())
    group.message.register(cmd_reward_disable, REWARD_DISABLE.filter())
    group.message.register(cmd_reward_enable, REWARD_ENABLE.filter())
    group.message.register(cmd_rewards, REWARDS.filter())
    group.message.register(cmd_codes, CODES.filter())
    group.message.register(on_photo_reply, PhotoReplyToBot(), IsGroupAdmin())
    anywhere = Router(name="shop_fulfilment")
    anywhere.message.register(cmd_redemptions, REDEMPTIONS.filter())
    anywhere.message.register(cmd_reject, REJECT.filter())
    anywhere.callback_query.register(on_decide, Decide.filter())
    return [group, anywhere]
