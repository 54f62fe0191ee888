"""/grant and /deduct: administrators give or take points (reply to a member, or @username / id)."""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.types import Message

from bot.digest import Digest
from bot.features import Area, CommandSpec, Feature, Role
from bot.filters import InGroup
from bot.i18n import Translator
from bot.outbound import Kind, Outbox, Priority
from bot.replies import react, reply
from core.community.group_settings import GroupSettings
from core.community.members import user_row
from core.engagement import points
from core.errors import TargetRequired
from core.uow import UnitOfWork
from handlers.common import actor_id, command_args, is_real_member


async def _target_and_args(
    message: Message, uow: UnitOfWork, event_at: datetime
) -> tuple[points.Target, list[str]]:
    args = command_args(message.text)
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and is_real_member(replied.from_user):
        user = replied.from_user
        row = user_row(user.id, user.username, user.full_name, user.language_code)
        return await points.ensure_member(uow, message.chat.id, row, event_at), args
    if not args:
        raise TargetRequired()
    first = args[0]
    if first.startswith("@") and len(first) > 1:
        return await points.resolve_target(uow, message.chat.id, username=first[1:]), args[1:]
    if first.isdecimal() and len(first) >= 5 and len(args) >= 2:
        return await points.resolve_target(uow, message.chat.id, user_id=int(first)), args[1:]
    raise TargetRequired()


async def _change(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
    digest: Digest,
    *,
    deduct: bool,
) -> None:
    assert message.from_user is not None
    target, rest = await _target_and_args(message, uow, event_at)
    if not rest:
        raise points.InvalidAmount(max=points.MAX_AMOUNT)
    amount = points.parse_amount(rest[0])
    reason = points.clean_reason(rest[1:])
    change = points.deduct if deduct else points.grant
    balance = await change(uow, group, actor_id(message), target, amount, reason, event_at)
    if outbox.group_is_busy(message.chat.id):
        # Many changes in a row (an event's winners): a reaction each and one folded message.
        react(outbox, message, "👍")
        digest.points(
            message.chat.id,
            group.language,
            deduct=deduct,
            member_id=target.user_id,
            name=target.name,
            amount=amount,
        )
        return
    key = "admin-deducted" if deduct else "admin-granted"
    text = t(key, amount=amount, name=target.name, balance=balance)
    if reason:
        text += "\n" + t("admin-reason", reason=reason)
    reply(outbox, message, text, kind=Kind.ACK, priority=Priority.HIGH)


async def cmd_grant(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
    digest: Digest,
) -> None:
    await _change(message, uow, group, event_at, t, outbox, digest, deduct=False)


async def cmd_deduct(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
    digest: Digest,
) -> None:
    await _change(message, uow, group, event_at, t, outbox, digest, deduct=True)


def router() -> list[Router]:
    r = Router(name="admin_points")
    # Admins only: the declarations say so; their filters check it, after the command.
    r.message.filter(InGroup())
    r.message.register(cmd_grant, GRANT.filter())
    r.message.register(cmd_deduct, DEDUCT.filter())
    return [r]


GRANT = CommandSpec("grant", role=Role.ADMIN, area=Area.POINTS)
DEDUCT = CommandSpec("deduct", role=Role.ADMIN, area=Area.POINTS)


def feature() -> Feature:
    return Feature("admin_points", router, commands=(GRANT, DEDUCT))
