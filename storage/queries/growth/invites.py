"""Personal invite links, referrals and successful invites per member (queries never commit)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.queries.dialect import dialect_of, upsert
from storage.queries.rowset import RowSet
from storage.tables import (
    Checkin,
    InviteLink,
    InviteTally,
    InviteValueCount,
    Member,
    Referral,
    TgUser,
)
from storage.types import UTCDateTime

_L = InviteLink.__table__
_R = Referral.__table__
_T = InviteTally.__table__
_V = InviteValueCount.__table__
_C = Checkin.__table__
_M = Member.__table__
_U = TgUser.__table__

# ---- links -------------------------------------------------------------------------------


async def current_link(session: AsyncSession, group_id: int, user_id: int) -> Any | None:
    """The member's latest link that is not known to be revoked."""
    stmt = (
        sa.select(_L)
        .where(_L.c.group_id == group_id, _L.c.user_id == user_id, _L.c.revoked_at.is_(None))
        .order_by(_L.c.created_at.desc())
        .limit(1)
    )
    return (await session.exec(stmt)).first()


async def add_link(
    session: AsyncSession,
    *,
    link: str,
    group_id: int,
    user_id: int,
    name: str,
    creates_join_request: bool,
    at: datetime,
) -> None:
    stmt = upsert(session, _L).values(
        link=link,
        group_id=group_id,
        user_id=user_id,
        name=name,
        creates_join_request=creates_join_request,
        created_at=at,
    )
    await session.exec(stmt.on_conflict_do_nothing())


async def update_link(
    session: AsyncSession, link: str, *, name: str, creates_join_request: bool
) -> None:
    await session.exec(
        sa.update(_L)
        .where(_L.c.link == link)
        .values(name=name, creates_join_request=creates_join_request)
    )


async def revoke_link(session: AsyncSession, link: str, at: datetime) -> None:
    await session.exec(
        sa.update(_L).where(_L.c.link == link, _L.c.revoked_at.is_(None)).values(revoked_at=at)
    )


async def owner_of(session: AsyncSession, group_id: int, link: str) -> int | None:
    """Whose personal link this is in the group (revoked ones too: a late report of a join)."""
    stmt = sa.select(_L.c.user_id).where(_L.c.link == link, _L.c.group_id == group_id)
    return (await session.exec(stmt)).scalar_one_or_none()


async def active_links(
    session: AsyncSession, group_id: int, *, creates_join_request: bool
) -> list[tuple[str, str]]:
    """(link, name) of the group's links not revoked whose approval mode differs."""
    stmt = sa.select(_L.c.link, _L.c.name).where(
        _L.c.group_id == group_id,
        _L.c.revoked_at.is_(None),
        _L.c.creates_join_request.is_not(creates_join_request),
    )
    return [(r.link, r.name) for r in (await session.exec(stmt)).all()]


# ---- referrals ---------------------------------------------------------------------------


async def first_seen(session: AsyncSession, group_id: int, user_id: int) -> datetime | None:
    stmt = sa.select(_M.c.first_seen_at).where(_M.c.group_id == group_id, _M.c.user_id == user_id)
    return (await session.exec(stmt)).scalar_one_or_none()


async def first_checkin_since(
    session: AsyncSession, group_id: int, user_id: int, since: datetime
) -> datetime | None:
    stmt = sa.select(sa.func.min(_C.c.created_at)).where(
        _C.c.group_id == group_id, _C.c.user_id == user_id, _C.c.created_at >= since
    )
    return (await session.exec(stmt)).scalar_one_or_none()


async def add_referral(session: AsyncSession, **values: Any) -> bool:
    """A newcomer's referral; False if the newcomer has one in this group already."""
    stmt = (
        upsert(session, _R)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["group_id", "invitee_id"])
        .returning(_R.c.invitee_id)
    )
    return (await session.exec(stmt)).first() is not None


@cache
def _checked_in(dialect: str) -> tuple[Any, RowSet]:
    src = RowSet(
        "firsts", dialect, [("g", sa.BigInteger()), ("u", sa.BigInteger()), ("at", UTCDateTime())]
    )
    stmt = (
        sa.update(_R)
        .where(_R.c.group_id == src.c.g, _R.c.invitee_id == src.c.u, _R.c.status == "joined")
        .values(status="checked_in", first_checkin_at=src.c.at)
    )
    return stmt, src


async def mark_checked_in(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Newcomers' first check-ins (rows: g, u, at; one per newcomer), in one statement."""
    if rows:
        stmt, src = _checked_in(dialect_of(session))
        await session.exec(stmt, params=src.params(rows))


async def void_on_leave(
    session: AsyncSession, group_id: int, user_id: int, at: datetime, open_states: Sequence[str]
) -> bool:
    stmt = (
        sa.update(_R)
        .where(
            _R.c.group_id == group_id,
            _R.c.invitee_id == user_id,
            _R.c.status.in_(open_states),
            _R.c.due_at > at,
        )
        .values(status="left", left_at=at)
        .returning(_R.c.invitee_id)
    )
    return (await session.exec(stmt)).first() is not None


async def due(session: AsyncSession, now: datetime, limit: int) -> list[tuple[int, int]]:
    """(group_id, invitee_id) of referrals ready to count, oldest first."""
    stmt = (
        sa.select(_R.c.group_id, _R.c.invitee_id)
        .where(_R.c.status == "checked_in", _R.c.due_at <= now)
        .order_by(_R.c.due_at)
        .limit(limit)
    )
    return [(int(g), int(u)) for g, u in (await session.exec(stmt)).all()]


async def claim_count(session: AsyncSession, group_id: int, invitee_id: int, now: datetime) -> Any:
    """Mark the referral counted if it is ready (the row is locked from here on: a second
    process doing the same finds nothing to do); its row, or None."""
    stmt = (
        sa.update(_R)
        .where(
            _R.c.group_id == group_id,
            _R.c.invitee_id == invitee_id,
            _R.c.status == "checked_in",
            _R.c.due_at <= now,
        )
        .values(status="counted", counted_at=now)
        .returning(_R.c.inviter_id, _R.c.joined_at, _R.c.first_checkin_at)
    )
    return (await session.exec(stmt)).first()


async def set_reward(
    session: AsyncSession, group_id: int, invitee_id: int, reward: str, inviter: int, invitee: int
) -> None:
    await session.exec(
        sa.update(_R)
        .where(_R.c.group_id == group_id, _R.c.invitee_id == invitee_id)
        .values(reward=reward, inviter_points=inviter, invitee_points=invitee)
    )


async def paid_since(
    session: AsyncSession, group_id: int, inviter_id: int, since: datetime
) -> int:
    """Invites the inviter was paid for since `since` (the daily cap)."""
    stmt = sa.select(sa.func.count()).where(
        _R.c.group_id == group_id,
        _R.c.inviter_id == inviter_id,
        _R.c.counted_at >= since,
        _R.c.inviter_points > 0,
    )
    return int((await session.exec(stmt)).scalar_one())


async def open_count(
    session: AsyncSession, group_id: int, inviter_id: int, open_states: Sequence[str]
) -> int:
    """The inviter's newcomers who have not counted yet (nor left)."""
    stmt = sa.select(sa.func.count()).where(
        _R.c.group_id == group_id,
        _R.c.inviter_id == inviter_id,
        _R.c.counted_at.is_(None),
        _R.c.status.in_(open_states),
    )
    return int((await session.exec(stmt)).scalar_one())


async def of_invitee(session: AsyncSession, group_id: int, invitee_id: int) -> Any | None:
    stmt = sa.select(_R).where(_R.c.group_id == group_id, _R.c.invitee_id == invitee_id)
    return (await session.exec(stmt)).first()


async def export_rows(session: AsyncSession, group_id: int) -> AsyncIterator[Any]:
    stmt = (
        sa.select(_R)
        .where(_R.c.group_id == group_id)
        .order_by(_R.c.joined_at, _R.c.invitee_id)
        .execution_options(yield_per=2000)
    )
    result = await session.stream(stmt)
    async for row in result:
        yield row


# ---- successful invites per member ---------------------------------------------------------


async def bump_tally(session: AsyncSession, group_id: int, user_id: int, present: bool) -> int:
    """One more successful invite for the member; their new total. The members-per-value
    counts follow (a present member moves from n to n + 1)."""
    stmt = upsert(session, _T).values(
        group_id=group_id, user_id=user_id, invites=1, present=present
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["group_id", "user_id"], set_={"invites": _T.c.invites + 1}
    ).returning(_T.c.invites, _T.c.present)
    invites, on_board = (await session.exec(stmt)).one()
    if on_board:
        if invites > 1:
            await _count(session, group_id, invites - 1, -1)
        await _count(session, group_id, invites, 1)
    return int(invites)


async def set_present(session: AsyncSession, group_id: int, user_id: int, present: bool) -> None:
    """The member joined or left: on or off the board (their value counted or not)."""
    stmt = (
        sa.update(_T)
        .where(_T.c.group_id == group_id, _T.c.user_id == user_id, _T.c.present.is_not(present))
        .values(present=present)
        .returning(_T.c.invites)
    )
    invites = (await session.exec(stmt)).scalar_one_or_none()
    if invites:
        await _count(session, group_id, int(invites), 1 if present else -1)


async def _count(session: AsyncSession, group_id: int, invites: int, delta: int) -> None:
    stmt = upsert(session, _V).values(group_id=group_id, invites=invites, members=delta)
    stmt = stmt.on_conflict_do_update(
        index_elements=["group_id", "invites"], set_={"members": _V.c.members + delta}
    )
    await session.exec(stmt)


async def tally(session: AsyncSession, group_id: int, user_id: int) -> int:
    stmt = sa.select(_T.c.invites).where(_T.c.group_id == group_id, _T.c.user_id == user_id)
    return int((await session.exec(stmt)).scalar_one_or_none() or 0)


def _board(group_id: int) -> Any:
    return sa.and_(_T.c.group_id == group_id, _T.c.present == sa.true(), _T.c.invites > 0)


async def top(session: AsyncSession, group_id: int, limit: int) -> list[tuple[int, int]]:
    """The board's first `limit` (user_id, invites): most first, ties by user id (index order:
    the ties at the cut are read again in user id order)."""
    stmt = (
        sa.select(_T.c.user_id, _T.c.invites)
        .where(_board(group_id))
        .order_by(_T.c.invites.desc())
        .limit(limit + 1)
    )
    found = sorted(
        ((int(u), int(v)) for u, v in (await session.exec(stmt)).all()),
        key=lambda r: (-r[1], r[0]),
    )
    if len(found) <= limit:
        return found
    cut = found[limit - 1][1]
    above = [r for r in found if r[1] > cut]
    need = limit - len(above)
    ties = (
        sa.select(_T.c.user_id)
        .where(_board(group_id), _T.c.invites == cut)
        .order_by(_T.c.user_id)
        .limit(need)
    )
    return above + [(int(u), cut) for u in (await session.exec(ties)).scalars().all()]


async def count_above(session: AsyncSession, group_id: int, invites: int) -> int:
    """Present members with more successful invites: a sum over the few values above."""
    stmt = sa.select(sa.func.coalesce(sa.func.sum(_V.c.members), 0)).where(
        _V.c.group_id == group_id, _V.c.invites > invites
    )
    return int((await session.exec(stmt)).scalar_one())


async def names(
    session: AsyncSession, user_ids: Sequence[int]
) -> dict[int, tuple[str, str | None]]:
    if not user_ids:
        return {}
    stmt = sa.select(_U.c.id, _U.c.display_name, _U.c.username).where(_U.c.id.in_(list(user_ids)))
    return {int(r.id): (r.display_name, r.username) for r in (await session.exec(stmt)).all()}


async def ensure_member(session: AsyncSession, group_id: int, user_id: int, at: datetime) -> None:
    """A member row to credit (one who left keeps their row; this never marks anyone back)."""
    stmt = upsert(session, _M).values(group_id=group_id, user_id=user_id, first_seen_at=at)
    await session.exec(stmt.on_conflict_do_nothing(index_elements=["group_id", "user_id"]))
