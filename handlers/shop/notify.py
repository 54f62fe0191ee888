"""Telling a group's administrators (those who started the bot, by private message): each new
pending redemption with Approve / Reject, and low stock. Without any, the group is told."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram.methods import GetChatAdministrators, SendMessage
from aiogram.types import InlineKeyboardMarkup

from bot.outbound import Outbox, Priority
from bot.replies import clip
from core.shop import redeem

logger = logging.getLogger(__name__)
_tasks: set[asyncio.Task[None]] = set()


async def _send(
    outbox: Outbox,
    session_factory: Any,
    group_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None,
    group_fallback: str | None,
) -> None:
    try:
        members = await outbox.send(
            group_id, GetChatAdministrators(chat_id=group_id), counts_as_message=False
        )
        ids = (
            [m.user.id for m in members if not m.user.is_bot] if isinstance(members, list) else []
        )
        admins = await redeem.reachable_admins(session_factory, ids)
    except Exception:  # noqa: BLE001  (a notice must not break anything)
        logger.info("could not list the administrators of %s", group_id, exc_info=True)
        admins = []
    for admin in admins:
        outbox.send(
            admin,
            SendMessage(chat_id=admin, text=clip(text), reply_markup=markup),
            priority=Priority.NORMAL,
        )
    if not admins and group_fallback is not None and not outbox.group_is_busy(group_id):
        outbox.send(group_id, SendMessage(chat_id=group_id, text=clip(group_fallback)))


def tell_admins(
    outbox: Outbox,
    session_factory: Any,
    group_id: int,
    text: str,
    *,
    markup: InlineKeyboardMarkup | None = None,
    group_fallback: str | None = None,
) -> None:
    task = asyncio.create_task(
        _send(outbox, session_factory, group_id, text, markup, group_fallback)
    )
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
