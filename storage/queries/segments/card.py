"""What a member's /whois card counts in other areas' tables (one member: index lookups)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import (
    Checkin,
    FeedbackItem,
    Poll,
    PollVote,
    Redemption,
    Survey,
    SurveyAnswer,
    TgUser,
)

_C = Checkin.__table__
_R = Redemption.__table__
_F = FeedbackItem.__table__
_SV = Survey.__table__
_SA = SurveyAnswer.__table__
_P = Poll.__table__
_PV = PollVote.__table__


@dataclass(frozen=True, slots=True)
class Involvement:
    redemptions: int
    redemptions_pending: int
    feedback: int
    surveys: int
    polls: int


async def involvement(session: AsyncSession, group_id: int, user_id: int) -> Involvement:
    redemptions = sa.select(
        sa.func.count(),
        sa.func.coalesce(sa.func.sum(sa.case((_R.c.status == "pending", 1), else_=0)), 0),
    ).where(_R.c.group_id == group_id, _R.c.user_id == user_id)
    feedback = sa.select(sa.func.count()).where(_F.c.group_id == group_id, _F.c.user_id == user_id)
    surveys = (
        sa.select(sa.func.count())
        .select_from(_SV.join(_SA, _SA.c.survey_id == _SV.c.id))
        .where(_SV.c.group_id == group_id, _SA.c.user_id == user_id)
    )
    polls = (
        sa.select(sa.func.count())
        .select_from(_P.join(_PV, _PV.c.poll_id == _P.c.id))
        .where(_P.c.group_id == group_id, _PV.c.user_id == user_id)
    )
    spent, pending = (await session.exec(redemptions)).one()
    return Involvement(
        int(spent),
        int(pending),
        int((await session.exec(feedback)).scalar_one()),
        int((await session.exec(surveys)).scalar_one()),
        int((await session.exec(polls)).scalar_one()),
    )


async def checkin_days(
    session: AsyncSession, group_id: int, user_id: int, first: date, last: date
) -> int:
    """Local days first..last on which the member checked in (uq_checkin_member_day)."""
    stmt = sa.select(sa.func.count()).where(
        _C.c.group_id == group_id, _C.c.user_id == user_id, _C.c.day >= first, _C.c.day <= last
    )
    return int((await session.exec(stmt)).scalar_one())


async def user(session: AsyncSession, user_id: int) -> TgUser | None:
    return await session.get(TgUser, user_id)


async def groups_of(session: AsyncSession, user_id: int) -> list[tuple[int, str]]:
    """(group id, title) of the active groups with a member row for the user, by title."""
    from storage.tables import ChatGroup, Member

    g, m = ChatGroup.__table__, Member.__table__
    stmt = (
        sa.select(g.c.id, g.c.title)
        .select_from(g.join(m, m.c.group_id == g.c.id))
        .where(m.c.user_id == user_id, g.c.is_active)
        .order_by(g.c.title, g.c.id)
    )
    return [(i, t) for i, t in (await session.exec(stmt)).all()]
