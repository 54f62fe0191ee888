"""Members spend points on rewards: one transaction, safe as a bank transfer.

Redeeming takes, in one transaction: the member's row (locked on PostgreSQL, so one member's
redemptions queue), the confirmation's key (pressed before: nothing more happens), the level
and per-member limit, one item of stock (`UPDATE … WHERE stock > 0`: never oversold), one
unused code, the debit (`UPDATE … WHERE points >= cost` and a CHECK: never negative), its
ledger row and the redemption row. Any refusal rolls everything back.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from core.analytics import recorder as analytics
from core.community.group_settings import GroupSettings
from core.engagement.points import MAX_REASON
from core.shop import badges
from core.shop.errors import (
    AlreadyDecided,
    ClaimUnknown,
    LevelTooLow,
    LimitReached,
    NotEnoughPoints,
    OutOfCodes,
    PriceChanged,
    RedemptionUnknown,
    RewardDisabled,
    RewardUnknown,
    SoldOut,
)
from core.shop.levels import LevelCurve, Progress, level_curve
from core.uow import UnitOfWork
from storage.queries.community import audit
from storage.queries.community import members as member_rows
from storage.queries.engagement import ledger
from storage.queries.shop import redemptions as q
from storage.queries.shop import rewards as reward_rows
from storage.tables import Redemption, Reward

LOW_STOCK = 3
PAGE_SIZE = 5


@dataclass(frozen=True)
class Standing:
    """What the member brings to the shop."""

    balance: int
    earned: int
    progress: Progress
    redeemed: dict[int, int]  # reward id -> redemptions not rejected

    @property
    def level(self) -> int:
        return self.progress.level


async def standing(uow: UnitOfWork, group: GroupSettings, user_id: int) -> Standing:
    session = uow.session
    member = await member_rows.get_member(session, group.group_id, user_id)
    earned = member.lifetime_earned if member else 0
    redeemed = await q.counts_for_member(session, group.group_id, user_id)
    curve = level_curve(group)
    return Standing(member.points if member else 0, earned, curve.progress(earned), redeemed)


def unavailable(reward: Reward, who: Standing) -> str | None:
    """Why the member cannot redeem it now (a locale key suffix), or None."""
    if not reward.enabled:
        return "disabled"
    if reward.stock is not None and reward.stock <= 0:
        return "sold-out"
    if who.level < reward.min_level:
        return "level"
    limit = reward.per_member_limit
    if limit is not None and who.redeemed.get(reward.id or 0, 0) >= limit:
        return "limit"
    if who.balance < reward.cost:
        return "points"
    return None


@dataclass(frozen=True)
class ShopPage:
    rewards: list[Reward]
    page: int
    pages: int
    who: Standing


async def shop_page(uow: UnitOfWork, group: GroupSettings, user_id: int, page: int) -> ShopPage:
    every = await reward_rows.list_group(uow.session, group.group_id, enabled_only=True)
    pages = max(1, -(-len(every) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    who = await standing(uow, group, user_id)
    return ShopPage(every[page * PAGE_SIZE : (page + 1) * PAGE_SIZE], page, pages, who)


async def reward_for(uow: UnitOfWork, group_id: int, number: int) -> Reward:
    """An enabled reward of the group, for a confirmation."""
    reward = await reward_rows.get(uow.session, group_id, number)
    if reward is None:
        raise RewardUnknown(number=number)
    if not reward.enabled:
        raise RewardDisabled(number=number, name=reward.name)
    return reward


@dataclass(frozen=True)
class Redeemed:
    redemption: Redemption
    balance: int
    already: bool = False  # this confirmation was redeemed before (a double tap)
    low_stock: int | None = None  # stock left, when it just fell to LOW_STOCK or below
    codes_left: int | None = None  # free codes left, when they just fell to LOW_STOCK or below
    new_badges: tuple[str, ...] = ()


def request_key(group_id: int, user_id: int, nonce: int) -> str:
    return f"rd:{group_id}:{user_id}:{nonce}"


async def redeem(
    uow: UnitOfWork,
    group: GroupSettings,
    user_id: int,
    number: int,
    cost_seen: int,
    nonce: int,
    at: datetime,
) -> Redeemed:
    """Redeem reward #number for the member, once per `nonce` (the update that asked for the
    confirmation): a second press or a redelivery finds the first redemption."""
    group_id = group.group_id
    key = request_key(group_id, user_id, nonce)
    await uow.claim()
    session = uow.session

    async def refuse(error: Exception) -> None:
        await uow.rollback()
        raise error

    member = await q.lock_member(session, group_id, user_id)
    existing = await q.by_request(session, key)
    if existing is not None:
        balance = member.points if member else 0
        session.expunge(existing)  # keeps what was read through the rollback
        await uow.rollback()
        return Redeemed(existing, balance, already=True)
    reward = await reward_rows.get(session, group_id, number)
    if reward is None:
        await refuse(RewardUnknown(number=number))
    assert reward is not None and reward.id is not None
    if not reward.enabled:
        await refuse(RewardDisabled(number=number, name=reward.name))
    if reward.cost != cost_seen:
        await refuse(PriceChanged(number=number, name=reward.name, cost=reward.cost))
    balance = member.points if member else 0
    if reward.stock is not None and reward.stock <= 0:
        await refuse(SoldOut(number=number, name=reward.name))
    curve: LevelCurve = level_curve(group)
    level = curve.level(member.lifetime_earned if member else 0)
    if level < reward.min_level:
        await refuse(LevelTooLow(name=reward.name, level=level, need=reward.min_level))
    limit = reward.per_member_limit
    if (
        limit is not None
        and await q.count_for_member(session, group_id, user_id, reward.id) >= limit
    ):
        await refuse(LimitReached(name=reward.name, limit=limit))
    if member is None or balance < reward.cost:
        await refuse(NotEnoughPoints(name=reward.name, balance=balance, cost=reward.cost))
    left = None
    if reward.stock is not None:
        left = await reward_rows.take_one(session, reward.id)
        if left is None:  # the last one went to someone else a moment ago
            await refuse(SoldOut(number=number, name=reward.name))
    code = None
    codes_left = None
    if reward.mode == "code":
        code = await reward_rows.take_code(session, reward.id, key)
        if code is None:
            await refuse(OutOfCodes(number=number, name=reward.name))
        free = await reward_rows.free_codes(session, reward.id)
        codes_left = free if free <= LOW_STOCK else None
    new_balance = await member_rows.debit(session, group_id, user_id, reward.cost)
    if new_balance is None:
        await refuse(NotEnoughPoints(name=reward.name, balance=balance, cost=reward.cost))
    assert new_balance is not None
    await ledger.append(
        session,
        [
            {
                "group_id": group_id,
                "user_id": user_id,
                "amount": -reward.cost,
                "reason": "shop_redeem",
                "note": f"#{reward.number} {reward.name}"[:MAX_REASON],
                "source": "shop",
                "actor_id": user_id,
                "idempotency_key": f"shop:{key}",
                "created_at": at,
            }
        ],
    )
    manual = reward.mode == "manual"
    redemption = await q.add(
        session,
        {
            "group_id": group_id,
            "user_id": user_id,
            "reward_id": reward.id,
            "reward_number": reward.number,
            "reward_name": reward.name,
            "cost": reward.cost,
            "mode": reward.mode,
            "status": "pending" if manual else "fulfilled",
            "code": code,
            "request_key": key,
            "claim_token": secrets.token_urlsafe(12) if code is not None else None,
            "created_at": at,
            "decided_at": None if manual else at,
        },
    )
    new = await badges.award(
        uow,
        [
            {
                "group_id": group_id,
                "user_id": user_id,
                "badge": badges.FIRST_REDEMPTION,
                "awarded_at": at,
            }
        ],
    )
    await analytics.record(uow, group, user_id, at, redemptions=1, points_spent=reward.cost)
    low = None
    low_reported = left is not None and left <= LOW_STOCK
    low_reported = low_reported or codes_left is not None
    if low_reported and await reward_rows.mark_low_stock_reported(session, reward.id):
        low = left if left is not None else codes_left
    await uow.commit()
    return Redeemed(
        redemption,
        new_balance,
        low_stock=low if left is not None else None,
        codes_left=low if left is None else None,
        new_badges=tuple(b for _, _, b in new),
    )


async def decide(
    uow: UnitOfWork,
    redemption_id: int,
    actor_id: int,
    approve: bool,
    reason: str | None,
    at: datetime,
) -> Redemption:
    """An administrator approves or rejects a pending redemption; a rejection refunds the
    points through the ledger and puts the item (and its code) back."""
    await uow.claim()
    session = uow.session
    redemption = await q.get(session, redemption_id)
    if redemption is None:
        await uow.rollback()
        raise RedemptionUnknown(id=redemption_id)
    status = "fulfilled" if approve else "rejected"
    if not await q.decide(session, redemption_id, status, actor_id, reason, at):
        current = redemption.status
        await uow.rollback()
        raise AlreadyDecided(id=redemption_id, status=current)
    if not approve:
        await member_rows.credit(session, redemption.group_id, redemption.user_id, redemption.cost)
        await ledger.append(
            session,
            [
                {
                    "group_id": redemption.group_id,
                    "user_id": redemption.user_id,
                    "amount": redemption.cost,
                    "reason": "shop_refund",
                    "note": (reason or f"#{redemption.reward_number}")[:MAX_REASON],
                    "source": "shop",
                    "actor_id": actor_id,
                    "idempotency_key": f"refund:{redemption_id}",
                    "created_at": at,
                }
            ],
        )
        await reward_rows.put_back(session, redemption.reward_id)
        await reward_rows.release_code(session, redemption.request_key)
        # Spending is counted net of refunds, on the day of the refund.
        await analytics.record_points(
            uow, redemption.group_id, [(redemption.user_id, 0, -redemption.cost)], at
        )
    await audit.record(
        session,
        group_id=redemption.group_id,
        actor_id=actor_id,
        action="redemption_approve" if approve else "redemption_reject",
        at=at,
        target_user_id=redemption.user_id,
        details={"redemption": redemption_id, "cost": redemption.cost, "reason": reason},
    )
    await uow.commit()
    await session.refresh(redemption)
    return redemption


async def pending_for(uow: UnitOfWork, group_ids: list[int]) -> list[Redemption]:
    return await q.pending(uow.session, group_ids)


async def groups_with_pending(uow: UnitOfWork, user_id: int) -> list[int]:
    return await q.groups_with_pending(uow.session, await q.member_groups(uow.session, user_id))


async def get(uow: UnitOfWork, redemption_id: int) -> Redemption:
    redemption = await q.get(uow.session, redemption_id)
    if redemption is None:
        raise RedemptionUnknown(id=redemption_id)
    return redemption


async def claim_code(uow: UnitOfWork, token: str, user_id: int) -> Redemption:
    """The held code of a deep link, for the member who redeemed it only."""
    redemption = await q.by_token(uow.session, token) if len(token) <= 32 else None
    if redemption is None or redemption.user_id != user_id or redemption.status == "rejected":
        raise ClaimUnknown()
    return redemption


async def history(uow: UnitOfWork, user_id: int, group_id: int | None) -> list[Redemption]:
    return await q.for_member(uow.session, user_id, group_id)


async def export_rows(uow: UnitOfWork, group_id: int) -> list[Redemption]:
    return await q.all_for_group(uow.session, group_id)


async def badges_of(uow: UnitOfWork, group_id: int, user_id: int) -> list[str]:
    return await q.badges_of(uow.session, group_id, user_id)


def check_available(reward: Reward, who: Standing) -> None:
    """Raise why the member cannot redeem the reward now (before asking them to confirm)."""
    why = unavailable(reward, who)
    number, name = reward.number, reward.name
    if why == "disabled":
        raise RewardDisabled(number=number, name=name)
    if why == "sold-out":
        raise SoldOut(number=number, name=name)
    if why == "level":
        raise LevelTooLow(name=name, level=who.level, need=reward.min_level)
    if why == "limit":
        raise LimitReached(name=name, limit=reward.per_member_limit)
    if why == "points":
        raise NotEnoughPoints(name=name, balance=who.balance, cost=reward.cost)


async def with_names(uow: UnitOfWork, items: list[Redemption]) -> list[tuple[Redemption, str]]:
    out = []
    for r in items:
        user = await member_rows.get_user(uow.session, r.user_id)
        out.append((r, (user.display_name if user else "") or str(r.user_id)))
    return out


async def reachable_admins(session_factory, admin_ids: list[int]) -> list[int]:  # type: ignore[no-untyped-def]
    """The administrators who can get a private message (they started the bot)."""
    async with session_factory() as session:
        return await q.started_users(session, admin_ids)
