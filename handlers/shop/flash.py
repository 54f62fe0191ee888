"""/flash <number> [HH:MM]: one post for a limited drop; the tap is the confirmation.

Every tap is answered with answerCallbackQuery only (a group takes 20 messages a minute); the
stock shown on the post is edited at most every EDIT_EVERY seconds."""

from __future__ import annotations

import asyncio
import logging
import time as monotonic_time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.methods import AnswerCallbackQuery, EditMessageText
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.filters import InGroup
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import clip, plain, reply
from core.calendar import zone
from core.community.group_settings import GroupSettings
from core.errors import DomainError
from core.shop import catalogue, flash, redeem
from core.shop.errors import SoldOut
from core.uow import UnitOfWork
from handlers.common import command_args
from handlers.shop import render
from handlers.shop.member import deliver_code
from handlers.shop.specs import FLASH
from storage.queries.shop import rewards as reward_rows

EDIT_EVERY = 3.0
# After a tap found the drop sold out, further taps are told so without a transaction for this
# long (a restock shows after it): a drop's crowd keeps tapping after the last item went.
SOLD_OUT_MEMORY = 2.0
logger = logging.getLogger(__name__)


async def tell(bot: Bot, query: CallbackQuery, text: str) -> None:
    """Answer the tap at once, not through the Outbox: the Outbox paces every call by the
    global 30 messages/s, and a drop's taps (thousands in a second) must all be answered
    within seconds. answerCallbackQuery is not a message."""
    try:
        await bot(AnswerCallbackQuery(callback_query_id=query.id, text=plain(text)[:200]))
    except Exception:  # noqa: BLE001  (an unanswered tap spins; nothing else to do)
        logger.info("could not answer tap %s", query.id, exc_info=True)


class FlashTap(CallbackData, prefix="sf"):
    n: int  # reward number
    c: int  # cost shown
    k: int  # the /flash update: the drop's nonce (one redemption per member)
    o: int  # opens at (Unix seconds)


class FlashPosts:
    """Edits of the posts' stock line, at most one per post every EDIT_EVERY seconds."""

    def __init__(
        self,
        outbox: Outbox,
        clock: Callable[[], float] = monotonic_time.monotonic,
        every: float = EDIT_EVERY,
    ) -> None:
        self._outbox = outbox
        self._clock = clock
        self.every = every
        self._last: dict[tuple[int, int], float] = {}
        self._pending: dict[tuple[int, int], asyncio.Task[None]] = {}
        self._sold_out: dict[tuple[int, int], float] = {}  # (group, number) -> until

    def sold_out(self, group_id: int, number: int) -> bool:
        until = self._sold_out.get((group_id, number))
        if until is None:
            return False
        if until < self._clock():
            del self._sold_out[(group_id, number)]
            return False
        return True

    def saw_sold_out(self, group_id: int, number: int) -> None:
        self._sold_out[(group_id, number)] = self._clock() + SOLD_OUT_MEMORY

    def changed(
        self,
        chat_id: int,
        message_id: int,
        text: Callable[[], Awaitable[str]],
        markup: InlineKeyboardMarkup | None,
    ) -> None:
        key = (chat_id, message_id)
        if key in self._pending:
            return  # the edit already planned will show this change too
        wait = max(0.0, self._last.get(key, -self.every) + self.every - self._clock())
        self._pending[key] = asyncio.create_task(self._edit(key, wait, text, markup))

    async def settle(self) -> None:
        """Wait for the planned edits (tests, and a clean stop)."""
        while self._pending:
            await asyncio.gather(*self._pending.values(), return_exceptions=True)

    async def _edit(
        self,
        key: tuple[int, int],
        wait: float,
        text: Callable[[], Awaitable[str]],
        markup: InlineKeyboardMarkup | None,
    ) -> None:
        try:
            await asyncio.sleep(wait)
            self._last[key] = self._clock()
        finally:
            # Before the read: a sale committed while the stock is read plans one more edit.
            self._pending.pop(key, None)
        body = await text()
        chat_id, message_id = key
        self._outbox.send(
            chat_id,
            EditMessageText(
                chat_id=chat_id, message_id=message_id, text=clip(body), reply_markup=markup
            ),
            priority=Priority.LOW,
            counts_as_message=False,
        )


def post_text(t: Translator, reward: Any, opens: datetime, tz: str) -> str:
    return t(
        "shop-flash-post",
        number=reward.number,
        name=reward.name,
        cost=reward.cost,
        stock=render.stock_text(t, reward),
        opens=f"{opens.astimezone(zone(tz)):%H:%M}",
    )


def post_keyboard(t: Translator, data: FlashTap) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=t("shop-flash-button"), callback_data=data.pack())]
        ]
    )


async def cmd_flash(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    args = command_args(message.text)
    if not args:
        raise catalogue.InvalidReward(field="flash", low=0, high=0)
    number = catalogue.parse_number(args[0])
    opens = flash.opening(args[1:], event_at, group.timezone)
    reward = await redeem.reward_for(uow, group.group_id, number)
    assert uow.update_id is not None
    data = FlashTap(n=reward.number, c=reward.cost, k=uow.update_id, o=int(opens.timestamp()))
    reply(
        outbox,
        message,
        post_text(t, reward, opens, group.timezone),
        markup=post_keyboard(t, data),
        priority=Priority.HIGH,
    )


async def on_tap(
    query: CallbackQuery,
    callback_data: FlashTap,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
    bot_username: str,
    session_factory: Any,
    flash_posts: FlashPosts,
    bot: Bot,
) -> None:
    data = callback_data
    opens = datetime.fromtimestamp(data.o, tz=UTC)
    if event_at < opens:
        local = opens.astimezone(zone(group.timezone))
        await tell(bot, query, t("shop-flash-not-open", opens=f"{local:%H:%M}"))
        return
    user = query.from_user
    if flash_posts.sold_out(group.group_id, data.n):
        await tell(bot, query, t("shop-flash-sold-out"))
        return
    try:
        done = await redeem.redeem(uow, group, user.id, data.n, data.c, data.k, event_at)
    except DomainError as exc:
        if isinstance(exc, SoldOut):
            flash_posts.saw_sold_out(group.group_id, data.n)
        await tell(bot, query, t(exc.key, **exc.args_map))
        return
    if done.already:
        await tell(bot, query, t("shop-already"))
        return
    r = done.redemption
    await tell(bot, query, t("shop-flash-ok-code" if r.code else "shop-flash-ok"))
    chat_id = group.group_id
    message_id = query.message.message_id if query.message is not None else None
    if r.code is not None:
        deliver_code(
            outbox,
            t,
            done,
            group_chat=chat_id,
            reply_to=message_id,
            name=user.full_name,
            bot_username=bot_username,
        )
    if message_id is None:
        return
    group_id, number, tz = group.group_id, data.n, group.timezone

    async def text() -> str:
        async with session_factory() as session:
            reward = await reward_rows.get(session, group_id, number)
        return post_text(t, reward, opens, tz)

    flash_posts.changed(chat_id, message_id, text, post_keyboard(t, data))  # redeem() committed


def routers() -> list[Router]:
    r = Router(name="shop_flash")
    r.message.register(cmd_flash, FLASH.filter(), InGroup())
    r.callback_query.register(on_tap, FlashTap.filter(), InGroup())
    return [r]
