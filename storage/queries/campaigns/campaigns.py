"""Campaigns and their recipients: numbering, the frozen audience, claiming recipients to send
(FOR UPDATE SKIP LOCKED on PostgreSQL), delivery results, the report's counts and the export."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import upsert
from storage.tables import (
    Campaign,
    CampaignCounter,
    CampaignOptout,
    CampaignRecipient,
    MemberDay,
    TgUser,
)

_C = Campaign.__table__
_R = CampaignRecipient.__table__
_O = CampaignOptout.__table__
_N = CampaignCounter.__table__
_U = TgUser.__table__
_D = MemberDay.__table__

# What counts toward the frequency cap: messages sent, and those that may have been.
DELIVERED = ("sent", "unknown", "sending")
INSERT_CHUNK = 500


async def next_number(session: AsyncSession, group_id: int) -> int:
    stmt = (
        upsert(session, _N)
        .values(group_id=group_id, last=1)
        .on_conflict_do_update(index_elements=["group_id"], set_={"last": _N.c.last + 1})
        .returning(_N.c.last)
    )
    return int((await session.exec(stmt)).scalar_one())  # type: ignore[call-overload]


async def insert(session: AsyncSession, values: dict[str, Any]) -> int:
    stmt = sa.insert(_C).values(**values).returning(_C.c.id)
    return int((await session.exec(stmt)).scalar_one())  # type: ignore[call-overload]


async def get(session: AsyncSession, campaign_id: int, *, lock: bool = False) -> Any:
    stmt = sa.select(_C).where(_C.c.id == campaign_id)
    if lock:
        stmt = stmt.with_for_update()
    return (await session.exec(stmt)).first()  # type: ignore[call-overload]


async def by_number(session: AsyncSession, group_id: int, number: int) -> Any:
    stmt = sa.select(_C).where(_C.c.group_id == group_id, _C.c.number == number)
    return (await session.exec(stmt)).first()  # type: ignore[call-overload]


async def latest(session: AsyncSession, group_id: int, limit: int) -> list[Any]:
    stmt = (
        sa.select(_C)
        .where(_C.c.group_id == group_id, _C.c.status != "draft")
        .order_by(_C.c.number.desc())
        .limit(limit)
    )
    return list((await session.exec(stmt)).all())  # type: ignore[call-overload]


async def update(session: AsyncSession, campaign_id: int, **values: Any) -> None:
    await session.exec(sa.update(_C).where(_C.c.id == campaign_id).values(**values))  # type: ignore[call-overload]


async def move(
    session: AsyncSession, campaign_id: int, before: Sequence[str], after: str, **values: Any
) -> bool:
    """Change the status if it is one of `before` (a conditional update: one press wins)."""
    stmt = (
        sa.update(_C)
        .where(_C.c.id == campaign_id, _C.c.status.in_(before))
        .values(status=after, **values)
        .returning(_C.c.id)
    )
    return (await session.exec(stmt)).first() is not None  # type: ignore[call-overload]


async def due(session: AsyncSession, now: datetime) -> list[Any]:
    stmt = (
        sa.select(_C)
        .where(_C.c.status.in_(("scheduled", "sending")), _C.c.start_at <= now)
        .order_by(_C.c.start_at, _C.c.id)
    )
    return list((await session.exec(stmt)).all())  # type: ignore[call-overload]


async def add_recipients(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), INSERT_CHUNK):
        await session.exec(sa.insert(_R), params=list(rows[start : start + INSERT_CHUNK]))  # type: ignore[call-overload]


async def take_pending(session: AsyncSession, campaign_id: int, limit: int) -> list[int]:
    """The next pending recipients, locked for this transaction; other senders skip them."""
    stmt = (
        sa.select(_R.c.user_id)
        .where(_R.c.campaign_id == campaign_id, _R.c.status == "pending")
        .order_by(_R.c.user_id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [int(r) for r in (await session.exec(stmt)).scalars().all()]  # type: ignore[call-overload]


async def opted_out(session: AsyncSession, user_ids: Sequence[int]) -> set[int]:
    if not user_ids:
        return set()
    stmt = sa.select(_O.c.user_id).where(_O.c.user_id.in_(list(user_ids)))
    return {int(r) for r in (await session.exec(stmt)).scalars().all()}  # type: ignore[call-overload]


async def reachable(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, str]:
    """Of these users, those who started the bot and did not block it: id -> display name."""
    if not user_ids:
        return {}
    stmt = sa.select(_U.c.id, _U.c.display_name).where(
        _U.c.id.in_(list(user_ids)), _U.c.started_at.is_not(None), _U.c.blocked_at.is_(None)
    )
    return {int(i): name or "" for i, name in (await session.exec(stmt)).all()}  # type: ignore[call-overload]


async def recent_counts(
    session: AsyncSession, group_id: int, user_ids: Sequence[int], since: datetime
) -> dict[int, int]:
    """Campaign messages each member got (or may have got) in this group since `since`."""
    if not user_ids:
        return {}
    stmt = (
        sa.select(_R.c.user_id, sa.func.count())
        .where(
            _R.c.group_id == group_id,
            _R.c.user_id.in_(list(user_ids)),
            _R.c.sending_at >= since,
            _R.c.status.in_(DELIVERED),
        )
        .group_by(_R.c.user_id)
    )
    return {int(u): int(n) for u, n in (await session.exec(stmt)).all()}  # type: ignore[call-overload]


async def set_status(
    session: AsyncSession,
    campaign_id: int,
    user_ids: Sequence[int],
    status: str,
    *,
    only_if: str | None = None,
    owner: str | None = None,
    **values: Any,
) -> int:
    """Recipients' new status (and other values), only where the status is `only_if` and,
    given an `owner`, where that sender claimed them."""
    if not user_ids:
        return 0
    where = [_R.c.campaign_id == campaign_id, _R.c.user_id.in_(list(user_ids))]
    if only_if is not None:
        where.append(_R.c.status == only_if)
    if owner is not None:
        where.append(_R.c.claimed_by == owner)
    result = await session.exec(sa.update(_R).where(*where).values(status=status, **values))  # type: ignore[call-overload]
    return int(result.rowcount or 0)


async def mark_unknown(
    session: AsyncSession, campaign_id: int, not_by: str, before: datetime
) -> int:
    """Recipients another sender marked `sending` before `before` and never recorded (it died
    between its claim and its record): their message may or may not have reached them. They
    are never sent again."""
    stmt = sa.update(_R).where(
        _R.c.campaign_id == campaign_id,
        _R.c.status == "sending",
        sa.or_(_R.c.claimed_by.is_(None), _R.c.claimed_by != not_by),
        _R.c.sending_at < before,
    )
    result = await session.exec(stmt.values(status="unknown"))  # type: ignore[call-overload]
    return int(result.rowcount or 0)


async def status_counts(session: AsyncSession, campaign_id: int) -> dict[str, int]:
    stmt = (
        sa.select(_R.c.status, sa.func.count())
        .where(_R.c.campaign_id == campaign_id)
        .group_by(_R.c.status)
    )
    return {s: int(n) for s, n in (await session.exec(stmt)).all()}  # type: ignore[call-overload]


async def recipient(session: AsyncSession, campaign_id: int, user_id: int) -> Any:
    stmt = sa.select(_R).where(_R.c.campaign_id == campaign_id, _R.c.user_id == user_id)
    return (await session.exec(stmt)).first()  # type: ignore[call-overload]


async def claim(session: AsyncSession, campaign_id: int, user_id: int, at: datetime) -> bool:
    """The member's claim, once: only a treated recipient whose message went out."""
    stmt = (
        sa.update(_R)
        .where(
            _R.c.campaign_id == campaign_id,
            _R.c.user_id == user_id,
            _R.c.arm == "treated",
            _R.c.status.in_(("sent", "unknown")),
            _R.c.claimed_at.is_(None),
        )
        .values(claimed_at=at, clicked_at=sa.func.coalesce(_R.c.clicked_at, at))
        .returning(_R.c.user_id)
    )
    return (await session.exec(stmt)).first() is not None  # type: ignore[call-overload]


def _active_within(first_day: date, last_day: date) -> Any:
    return (
        sa.select(1)
        .where(
            _D.c.group_id == _R.c.group_id,
            _D.c.user_id == _R.c.user_id,
            _D.c.day >= first_day,
            _D.c.day <= last_day,
            _D.c.active > 0,
        )
        .exists()
    )


async def arm_counts(
    session: AsyncSession, campaign_id: int, first_day: date, last_day: date
) -> dict[str, tuple[int, int, int]]:
    """Per arm: (members, active within the days, claims)."""
    active = sa.case((_active_within(first_day, last_day), 1), else_=0)
    claimed = sa.case((_R.c.claimed_at.is_not(None), 1), else_=0)
    stmt = (
        sa.select(_R.c.arm, sa.func.count(), sa.func.sum(active), sa.func.sum(claimed))
        .where(_R.c.campaign_id == campaign_id)
        .group_by(_R.c.arm)
    )
    return {
        arm: (int(n), int(a or 0), int(c or 0))
        for arm, n, a, c in (await session.exec(stmt)).all()  # type: ignore[call-overload]
    }


async def export_rows(
    session: AsyncSession, campaign_id: int, first_day: date, last_day: date, chunk: int = 2000
) -> AsyncIterator[Any]:
    active = sa.case((_active_within(first_day, last_day), 1), else_=0).label("active")
    after: int | None = None
    while True:
        stmt = sa.select(_R, active).where(_R.c.campaign_id == campaign_id)
        if after is not None:
            stmt = stmt.where(_R.c.user_id > after)
        found = list(
            (await session.exec(stmt.order_by(_R.c.user_id).limit(chunk))).all()  # type: ignore[call-overload]
        )
        for row in found:
            yield row
        if len(found) < chunk:
            return
        after = found[-1].user_id


async def opt_out(session: AsyncSession, user_id: int, at: datetime) -> bool:
    stmt = (
        upsert(session, _O)
        .values(user_id=user_id, at=at)
        .on_conflict_do_nothing()
        .returning(_O.c.user_id)
    )
    return (await session.exec(stmt)).first() is not None  # type: ignore[call-overload]


async def opt_in(session: AsyncSession, user_id: int) -> bool:
    result = await session.exec(sa.delete(_O).where(_O.c.user_id == user_id))  # type: ignore[call-overload]
    return bool(result.rowcount)


async def reactivated_since(
    session: AsyncSession, group_id: int, user_ids: Sequence[int], since: datetime
) -> set[int]:
    """Members who were in a reactivation audience (either arm) since `since`."""
    if not user_ids:
        return set()
    stmt = (
        sa.select(_R.c.user_id)
        .join(_C, _C.c.id == _R.c.campaign_id)
        .where(
            _C.c.group_id == group_id,
            _C.c.kind == "reactivation",
            _C.c.created_at >= since,
            _R.c.user_id.in_(list(user_ids)),
        )
    )
    return {int(u) for u in (await session.exec(stmt)).scalars().all()}  # type: ignore[call-overload]


async def newly_dormant(session: AsyncSession, group_id: int, since: date) -> list[int]:
    """Present members whose stage became dormant on or after `since` (the daily run's day)."""
    from storage.tables import Member, MemberSegment

    s, m = MemberSegment.__table__, Member.__table__
    stmt = (
        sa.select(s.c.user_id)
        .join(m, sa.and_(m.c.group_id == s.c.group_id, m.c.user_id == s.c.user_id))
        .where(
            s.c.group_id == group_id,
            s.c.stage == "dormant",
            s.c.stage_since >= since,
            m.c.left_at.is_(None),
        )
        .order_by(s.c.user_id)
    )
    return [int(u) for u in (await session.exec(stmt)).scalars().all()]  # type: ignore[call-overload]


async def bonus_due(session: AsyncSession, since: datetime) -> list[Any]:
    """Reactivation messages sent since `since` (3 days ago: a check-in seen now is within 3
    days of the message), not yet rewarded, whose member checked in after the message:
    (campaign id, group id, user id, points)."""
    from storage.tables import Checkin

    k = Checkin.__table__
    checked_in = (
        sa.select(1)
        .where(
            k.c.group_id == _R.c.group_id,
            k.c.user_id == _R.c.user_id,
            k.c.created_at >= _R.c.sending_at,
        )
        .exists()
    )
    stmt = (
        sa.select(_R.c.campaign_id, _R.c.group_id, _R.c.user_id, _C.c.button_points)
        .join(_C, _C.c.id == _R.c.campaign_id)
        .where(
            _C.c.kind == "reactivation",
            _C.c.button_points > 0,
            _R.c.arm == "treated",
            _R.c.status.in_(("sent", "unknown")),
            _R.c.claimed_at.is_(None),
            _R.c.sending_at >= since,
            checked_in,
        )
    )
    return list((await session.exec(stmt)).all())  # type: ignore[call-overload]


async def mark_bonus(session: AsyncSession, campaign_id: int, user_id: int, at: datetime) -> bool:
    stmt = (
        sa.update(_R)
        .where(
            _R.c.campaign_id == campaign_id,
            _R.c.user_id == user_id,
            _R.c.claimed_at.is_(None),
        )
        .values(claimed_at=at)
        .returning(_R.c.user_id)
    )
    return (await session.exec(stmt)).first() is not None  # type: ignore[call-overload]


async def open_draft(session: AsyncSession, group_id: int, user_id: int, since: datetime) -> Any:
    """The admin's guided draft in progress in this group (the latest, begun after `since`)."""
    stmt = (
        sa.select(_C)
        .where(
            _C.c.group_id == group_id,
            _C.c.created_by == user_id,
            _C.c.status == "draft",
            _C.c.step != "",
            _C.c.created_at >= since,
        )
        .order_by(_C.c.id.desc())
        .limit(1)
    )
    return (await session.exec(stmt)).first()  # type: ignore[call-overload]


async def gone(session: AsyncSession, group_id: int, user_ids: Sequence[int]) -> set[int]:
    """Of these members, those who have left the group since."""
    from storage.tables import Member

    m = Member.__table__
    if not user_ids:
        return set()
    stmt = sa.select(m.c.user_id).where(
        m.c.group_id == group_id, m.c.user_id.in_(list(user_ids)), m.c.left_at.is_not(None)
    )
    return {int(u) for u in (await session.exec(stmt)).scalars().all()}  # type: ignore[call-overload]
