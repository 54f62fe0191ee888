"""Administrators' point changes: one debit path, ledger + balance + audit in one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from core.analytics import recorder as analytics
from core.calendar import GroupCalendar, local_day, period_starts
from core.errors import InsufficientPoints, InvalidAmount, TargetNotFound
from core.events import PointsEarned
from core.text import shorten
from core.uow import UnitOfWork
from storage.queries.community import audit
from storage.queries.community import members as member_rows
from storage.queries.engagement import ledger

MAX_AMOUNT = 100_000
MAX_TELEGRAM_ID = 2**63 - 1
MAX_REASON = 200


@dataclass(frozen=True)
class Target:
    user_id: int
    name: str


def parse_amount(text: str) -> int:
    text = text.strip().lstrip("+")
    if not text.isdecimal() or len(text) > 9:
        raise InvalidAmount(max=MAX_AMOUNT)
    amount = int(text)
    if not 1 <= amount <= MAX_AMOUNT:
        raise InvalidAmount(max=MAX_AMOUNT)
    return amount


def clean_reason(words: list[str]) -> str | None:
    reason = " ".join(words).strip()
    return reason[:MAX_REASON] or None


async def resolve_target(
    uow: UnitOfWork, group_id: int, *, username: str | None = None, user_id: int | None = None
) -> Target:
    """A present member of this group, by @username or id."""
    session = uow.session
    label = shorten(f"@{username}" if username else str(user_id), 40)
    if user_id is not None and not 0 < user_id <= MAX_TELEGRAM_ID:
        raise TargetNotFound(target=label)  # beyond 64 bits: no such member, not a crash
    if username is not None:
        if len(username) > 32:  # longer than Telegram allows: nobody has it
            raise TargetNotFound(target=label)
        user = await member_rows.find_user_by_username(session, username)
        user_id = user.id if user is not None else None
    if user_id is None:
        raise TargetNotFound(target=label)
    member = await member_rows.get_member(session, group_id, user_id)
    if member is None or member.left_at is not None:
        raise TargetNotFound(target=label)
    user = await member_rows.get_user(session, user_id)
    return Target(user_id, (user.display_name if user else "") or label)


async def _change(
    uow: UnitOfWork,
    *,
    group: GroupCalendar,
    actor_id: int,
    target: Target,
    amount: int,
    reason: str | None,
    at: datetime,
    deduct: bool,
) -> int:
    session = uow.session
    group_id = group.group_id
    await uow.claim()
    if deduct:
        balance = await member_rows.debit(session, group_id, target.user_id, amount)
        if balance is None:
            member = await member_rows.get_member(session, group_id, target.user_id)
            current = member.points if member else 0
            await uow.rollback()
            raise InsufficientPoints(name=target.name, balance=current, amount=amount)
    else:
        balance = await member_rows.credit(session, group_id, target.user_id, amount)
    key = f"admin:{uow.update_id}" if uow.update_id is not None else f"admin:{uuid.uuid4()}"
    week, month = period_starts(local_day(at, group.timezone, group.day_start_hour))
    earned = await ledger.append(
        session,
        [
            {
                "group_id": group_id,
                "user_id": target.user_id,
                "amount": -amount if deduct else amount,
                "reason": "admin_deduct" if deduct else "admin_grant",
                "note": reason,
                "source": "admin",
                "actor_id": actor_id,
                "idempotency_key": key,
                "created_at": at,
                "week_start": week,
                "month_start": month,
            }
        ],
    )
    if earned:
        uow.publish(PointsEarned(tuple(earned), at))
    if not deduct:  # issued; a deduction is neither issued nor spent (docs/analytics.md)
        await analytics.record_points(uow, group, [(target.user_id, amount, 0)], at)
    await audit.record(
        session,
        group_id=group_id,
        actor_id=actor_id,
        action="deduct" if deduct else "grant",
        at=at,
        target_user_id=target.user_id,
        details={"amount": amount, "reason": reason, "balance": balance},
    )
    await uow.commit()
    return balance


async def grant(
    uow: UnitOfWork,
    group: GroupCalendar,
    actor_id: int,
    target: Target,
    amount: int,
    reason: str | None,
    at: datetime,
) -> int:
    return await _change(
        uow,
        group=group,
        actor_id=actor_id,
        target=target,
        amount=amount,
        reason=reason,
        at=at,
        deduct=False,
    )


async def deduct(
    uow: UnitOfWork,
    group: GroupCalendar,
    actor_id: int,
    target: Target,
    amount: int,
    reason: str | None,
    at: datetime,
) -> int:
    return await _change(
        uow,
        group=group,
        actor_id=actor_id,
        target=target,
        amount=amount,
        reason=reason,
        at=at,
        deduct=True,
    )


async def ensure_member(
    uow: UnitOfWork, group_id: int, user: dict[str, object], at: datetime
) -> Target:
    """A member chosen by replying to their message is certainly in the group: track them."""
    await member_rows.upsert_users(uow.session, [user])
    if await member_rows.ensure_member(uow.session, group_id, int(user["id"]), at):  # type: ignore[call-overload]
        await analytics.record_membership(uow, group_id, at, members_delta=1)
    return Target(int(user["id"]), str(user["display_name"]))  # type: ignore[call-overload]
