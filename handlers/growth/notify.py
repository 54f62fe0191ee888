"""Telling people: both members when an invite counts (in private if they started the bot, else
one line in the group, or in the day's digest when the group is busy), and the group's
administrators when a join request waits for them."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram.methods import GetChatAdministrators, SendMessage
from aiogram.types import InlineKeyboardMarkup

from bot.digest import Digest
from bot.i18n import Locales
from bot.outbound import Kind, Outbox, Priority
from bot.replies import clip
from core.community.groups import GroupService
from core.growth import rules
from core.growth.invites import Payment
from core.growth.onboarding import Request
from core.shop import redeem
from handlers.growth import render

logger = logging.getLogger(__name__)
_tasks: set[asyncio.Task[None]] = set()


def _dm(outbox: Outbox, user_id: int, text: str) -> None:
    outbox.send(
        user_id,
        SendMessage(chat_id=user_id, text=clip(text)),
        kind=Kind.ACK,
        priority=Priority.LOW,
    )


def payment_notices(outbox: Outbox, digest: Digest, locales: Locales, payment: Payment) -> None:
    t = locales.get(payment.language)
    inviter, newcomer = payment.inviter, payment.newcomer
    if payment.reward == rules.PAID:
        to_inviter = t(
            "invite-paid-inviter",
            newcomer=newcomer.name,
            points=payment.inviter_points,
            invites=payment.invites,
        )
    elif payment.reward == rules.CAPPED:
        to_inviter = t(
            "invite-paid-capped", newcomer=newcomer.name, cap=payment.cap, invites=payment.invites
        )
    else:
        to_inviter = t("invite-counted", newcomer=newcomer.name, invites=payment.invites)
    to_newcomer = (
        t("invite-paid-newcomer", inviter=inviter.name, points=payment.newcomer_points)
        if payment.newcomer_points > 0
        else None
    )
    in_group = []
    if inviter.reachable:
        _dm(outbox, inviter.user_id, to_inviter)
    else:
        in_group.append(inviter)
    if to_newcomer is not None:
        if newcomer.reachable:
            _dm(outbox, newcomer.user_id, to_newcomer)
        else:
            in_group.append(newcomer)
    if not in_group:
        return
    line = t(
        "invite-paid-group",
        inviter=inviter.name,
        newcomer=newcomer.name,
        inviter_points=payment.inviter_points,
        newcomer_points=payment.newcomer_points,
    )
    if outbox.group_is_busy(payment.group_id):
        digest.notice(
            payment.group_id,
            payment.day,
            payment.language,
            t("digest-invite", inviter=inviter.name, newcomer=newcomer.name),
        )
        return
    outbox.send(
        payment.group_id,
        SendMessage(chat_id=payment.group_id, text=clip(line)),
        kind=Kind.ACK,
        priority=Priority.LOW,
    )


def tell_admins(
    outbox: Outbox,
    session_factory: Any,
    locales: Locales,
    groups: GroupService,
    request: Request,
) -> None:
    """The request and its answers, with Approve / Decline, to each administrator who started
    the bot; when none can be reached, a short notice with the buttons in the group."""
    task = asyncio.create_task(_tell_admins(outbox, session_factory, locales, groups, request))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


async def _tell_admins(
    outbox: Outbox,
    session_factory: Any,
    locales: Locales,
    groups: GroupService,
    request: Request,
) -> None:
    group_id = request.group_id
    try:
        group = await groups.settings_for(group_id)
        t = locales.get(group.language)
        markup = render.decide_keyboard(t, request.id)
        admins = await _reachable_admins(outbox, session_factory, group_id)
        text = render.review_text(t, request, group.title)
        for admin in admins:
            _send(outbox, admin, text, markup)
        if not admins:
            _send(outbox, group_id, render.review_group_text(t, request), markup)
    except Exception:  # noqa: BLE001  (Telegram still lists the request for the admins)
        logger.warning(
            "could not tell the admins of %s about request %s", group_id, request.id, exc_info=True
        )


async def _reachable_admins(outbox: Outbox, session_factory: Any, group_id: int) -> list[int]:
    try:
        members = await outbox.send(
            group_id, GetChatAdministrators(chat_id=group_id), counts_as_message=False
        )
    except Exception:  # noqa: BLE001
        logger.info("could not list the administrators of %s", group_id, exc_info=True)
        return []
    ids = [m.user.id for m in members if not m.user.is_bot] if isinstance(members, list) else []
    return await redeem.reachable_admins(session_factory, ids)


def _send(outbox: Outbox, chat_id: int, text: str, markup: InlineKeyboardMarkup | None) -> None:
    outbox.send(
        chat_id,
        SendMessage(chat_id=chat_id, text=clip(text), reply_markup=markup),
        priority=Priority.NORMAL,
    )
