"""Members: /shop (paged buttons), /redeem <number> → Confirm/Cancel, /myrewards, and the deep
link (/start rw<token>) that hands over a code the bot could not send by private message."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from aiogram import F, Router
from aiogram.exceptions import TelegramForbiddenError
from aiogram.filters import CommandStart
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageCaption,
    EditMessageText,
    SendMessage,
    SendPhoto,
)
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, ReplyParameters

from bot.digest import Digest
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import clip, plain, reply
from core.calendar import local_day
from core.community.group_settings import GroupSettings
from core.community.members import MemberService, user_row
from core.errors import DomainError
from core.shop import catalogue, redeem
from core.shop.errors import NotYourButton
from core.text import shorten
from core.uow import UnitOfWork
from handlers.common import command_args
from handlers.shop import render
from handlers.shop.notify import tell_admins
from handlers.shop.render import ShopCancel, ShopConfirm, ShopNav, ShopPick

CLAIM_PREFIX = "rw"
MAX_CAPTION = 1024  # Telegram's limit for a photo's caption


def answer(outbox: Outbox, query: CallbackQuery, text: str = "", *, alert: bool = False) -> None:
    chat_id = query.message.chat.id if query.message is not None else query.from_user.id
    outbox.send(
        chat_id,
        AnswerCallbackQuery(
            callback_query_id=query.id, text=plain(text)[:200] or None, show_alert=alert or None
        ),
        priority=Priority.HIGH,
        counts_as_message=False,
    )


def edit(
    outbox: Outbox, query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edit the pressed message: its caption when it is a photo (a reward's)."""
    if query.message is None:
        return
    chat_id = query.message.chat.id
    method: EditMessageText | EditMessageCaption
    if getattr(query.message, "photo", None):
        method = EditMessageCaption(
            chat_id=chat_id,
            message_id=query.message.message_id,
            caption=clip(text, MAX_CAPTION),
            reply_markup=markup,
        )
    else:
        method = EditMessageText(
            chat_id=chat_id,
            message_id=query.message.message_id,
            text=clip(text),
            reply_markup=markup,
        )
    outbox.send(chat_id, method, priority=Priority.HIGH, counts_as_message=False)


def send_photo(
    outbox: Outbox,
    chat_id: int,
    photo: str,
    caption: str,
    markup: InlineKeyboardMarkup | None,
    reply_to: int | None,
) -> None:
    """A reward's photo with its text as the caption (a reply in the group)."""
    outbox.send(
        chat_id,
        SendPhoto(
            chat_id=chat_id,
            photo=photo,
            caption=clip(caption, MAX_CAPTION),
            reply_markup=markup,
            reply_parameters=ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
            if reply_to
            else None,
        ),
        priority=Priority.HIGH,
    )


def _own(query: CallbackQuery, user_id: int) -> None:
    if query.from_user.id != user_id:
        raise NotYourButton()


async def cmd_shop(
    message: Message, uow: UnitOfWork, group: GroupSettings, t: Translator, outbox: Outbox
) -> None:
    assert message.from_user is not None
    user_id = message.from_user.id
    page = await redeem.shop_page(uow, group, user_id, 0)
    reply(
        outbox, message, render.shop_text(t, page), markup=render.shop_keyboard(t, page, user_id)
    )


async def on_nav(
    query: CallbackQuery,
    callback_data: ShopNav,
    uow: UnitOfWork,
    group: GroupSettings,
    t: Translator,
    outbox: Outbox,
) -> None:
    _own(query, callback_data.u)
    page = await redeem.shop_page(uow, group, callback_data.u, callback_data.p)
    edit(outbox, query, render.shop_text(t, page), render.shop_keyboard(t, page, callback_data.u))
    answer(outbox, query)


async def _confirmation(
    uow: UnitOfWork, group: GroupSettings, user_id: int, number: int, t: Translator
) -> tuple[str, InlineKeyboardMarkup, str | None]:
    """The confirmation's text, its buttons and the reward's photo (a file id), if it has one."""
    reward = await redeem.reward_for(uow, group.group_id, number)
    who = await redeem.standing(uow, group, user_id)
    redeem.check_available(reward, who)
    assert uow.update_id is not None
    return (
        render.confirm_text(t, reward, who.balance),
        render.confirm_keyboard(t, reward, user_id, uow.update_id),
        reward.photo_file_id,
    )


async def cmd_redeem(
    message: Message, uow: UnitOfWork, group: GroupSettings, t: Translator, outbox: Outbox
) -> None:
    assert message.from_user is not None
    args = command_args(message.text)
    if not args:
        reply(outbox, message, t("shop-error-number"))
        return
    number = catalogue.parse_number(args[0])
    text, markup, photo = await _confirmation(uow, group, message.from_user.id, number, t)
    if photo is not None:
        send_photo(outbox, message.chat.id, photo, text, markup, message.message_id)
        return
    reply(outbox, message, text, markup=markup, priority=Priority.HIGH)


async def on_pick(
    query: CallbackQuery,
    callback_data: ShopPick,
    uow: UnitOfWork,
    group: GroupSettings,
    t: Translator,
    outbox: Outbox,
) -> None:
    _own(query, callback_data.u)
    text, markup, photo = await _confirmation(uow, group, callback_data.u, callback_data.n, t)
    if photo is not None and query.message is not None:
        # The item with its photo, as a new message (a listing is text: it stays as it is).
        chat_id = query.message.chat.id
        send_photo(outbox, chat_id, photo, text, markup, query.message.message_id)
    else:
        edit(outbox, query, text, markup)
    answer(outbox, query)


async def on_cancel(
    query: CallbackQuery, callback_data: ShopCancel, t: Translator, outbox: Outbox
) -> None:
    _own(query, callback_data.u)
    edit(outbox, query, t("shop-cancelled"))
    answer(outbox, query, t("shop-cancelled"))


def claim_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={CLAIM_PREFIX}{token}"


def deliver_code(
    outbox: Outbox,
    t: Translator,
    done: redeem.Redeemed,
    *,
    group_chat: int,
    reply_to: int | None,
    name: str,
    bot_username: str,
) -> None:
    """The code by private message; a member who never started the bot (403) gets a deep link
    in the group instead, which hands the code over when opened."""
    r = done.redemption
    text = t("shop-code-dm", number=r.reward_number, reward=r.reward_name, code=r.code or "")
    future = outbox.send(
        r.user_id, SendMessage(chat_id=r.user_id, text=clip(text)), priority=Priority.HIGH
    )
    link = claim_link(bot_username, r.claim_token or "")
    fallback = t("shop-code-link", name=name, link=link)

    def on_sent(f: asyncio.Future[Any]) -> None:
        if f.cancelled() or not isinstance(f.exception(), TelegramForbiddenError):
            return
        outbox.send(
            group_chat,
            SendMessage(
                chat_id=group_chat,
                text=clip(fallback),
                reply_parameters=ReplyParameters(
                    message_id=reply_to, allow_sending_without_reply=True
                )
                if reply_to
                else None,
            ),
            priority=Priority.HIGH,
        )

    future.add_done_callback(on_sent)


async def on_confirm(
    query: CallbackQuery,
    callback_data: ShopConfirm,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
    bot_username: str,
    session_factory: Any,
    digest: Digest,
) -> None:
    _own(query, callback_data.u)
    data = callback_data
    try:
        done = await redeem.redeem(uow, group, data.u, data.n, data.c, data.k, event_at)
    except DomainError as exc:
        text = t(exc.key, **exc.args_map)
        edit(outbox, query, text)
        answer(outbox, query, text)
        return
    if done.already:
        answer(outbox, query, t("shop-already"))
        return
    r = done.redemption
    name = query.from_user.full_name
    lines = [
        t(
            "shop-redeemed",
            name=name,
            number=r.reward_number,
            reward=r.reward_name,
            cost=r.cost,
            balance=done.balance,
        ),
        t(f"shop-redeemed-{r.mode}", id=r.id),
    ]
    edit(outbox, query, "\n".join(lines))
    answer(outbox, query, t("shop-answer-ok"))
    chat_id = group.group_id
    message_id = query.message.message_id if query.message is not None else None
    if r.code is not None:
        deliver_code(
            outbox,
            t,
            done,
            group_chat=chat_id,
            reply_to=message_id,
            name=name,
            bot_username=bot_username,
        )
    notices = []
    if done.low_stock is not None:
        notices.append(
            t("shop-low-stock", left=done.low_stock, number=r.reward_number, name=r.reward_name)
        )
    if done.codes_left is not None:
        notices.append(
            t("shop-low-codes", left=done.codes_left, number=r.reward_number, name=r.reward_name)
        )
    if notices:
        text = "\n".join(notices)
        tell_admins(outbox, session_factory, chat_id, text, group_fallback=text)
    if r.status == "pending":
        pending = render.pending_text(t, [(r, name)])
        markup = render.pending_keyboard(t, [r])
        tell_admins(outbox, session_factory, chat_id, pending, markup=markup)
    if outbox.group_is_busy(chat_id):  # a line each in the check-in digest
        day = local_day(event_at, group.timezone, group.day_start_hour)
        for b in done.new_badges:
            line = t("digest-badge", name=shorten(name, 40), badge=render.badge_name(t, b))
            digest.notice(chat_id, day, group.language, line)
        return
    badges = [
        t("badge-awarded", name=name, badge=render.badge_name(t, b)) for b in done.new_badges
    ]
    if badges:
        outbox.send(chat_id, SendMessage(chat_id=chat_id, text=clip("\n".join(badges))))


async def cmd_myrewards(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings | None,
    t: Translator,
    outbox: Outbox,
) -> None:
    assert message.from_user is not None
    private = group is None
    items = await redeem.history(uow, message.from_user.id, None if private else group.group_id)
    if not items:
        reply(outbox, message, t("shop-history-empty"))
        return
    lines = [t("shop-history-title")]
    for r in items:
        code = t("shop-history-code", code=r.code) if private and r.code else ""
        lines.append(
            t(
                "shop-history-item",
                number=r.reward_number,
                reward=r.reward_name,
                cost=r.cost,
                status=render.status_text(t, r.status),
                date=f"{r.created_at:%Y-%m-%d}",
                code=code,
            )
        )
    reply(outbox, message, "\n".join(lines))


async def cmd_start_claim(
    message: Message,
    uow: UnitOfWork,
    members: MemberService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    user = message.from_user
    assert user is not None
    token = (command_args(message.text) or [""])[0][len(CLAIM_PREFIX) :]
    r = await redeem.claim_code(uow, shorten(token, 40), user.id)
    await members.record_started(
        uow, user_row(user.id, user.username, user.full_name, user.language_code), event_at
    )
    text = t("shop-code-dm", number=r.reward_number, reward=r.reward_name, code=r.code or "")
    reply(outbox, message, text)


def routers() -> list[Router]:
    from bot.filters import InGroup, InPrivate
    from handlers.shop.specs import MYREWARDS, REDEEM, SHOP

    r = Router(name="shop")
    r.message.register(
        cmd_start_claim,
        CommandStart(deep_link=True, magic=F.args.startswith(CLAIM_PREFIX)),
        InPrivate(),
    )
    r.message.register(cmd_shop, SHOP.filter(), InGroup())
    r.message.register(cmd_redeem, REDEEM.filter(), InGroup())
    r.message.register(cmd_myrewards, MYREWARDS.filter())
    r.callback_query.filter(InGroup())
    r.callback_query.register(on_nav, ShopNav.filter())
    r.callback_query.register(on_pick, ShopPick.filter())
    r.callback_query.register(on_confirm, ShopConfirm.filter())
    r.callback_query.register(on_cancel, ShopCancel.filter())
    return [r]
