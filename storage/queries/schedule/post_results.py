"""What a post's A/B results stand on: per variant, its sends, its 👍 and who could see it.

A variant's *views* are the members who were in the group while it was sent, as far as the bot
knows them (its `member` rows: joined, or first seen, before the variant's last send, and not
gone before its first), together with the members who pressed its 👍 without being among them
(the bot had not seen them yet): each could have found it useful once, as the vote counts one
per member and variant. Queries never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import Member, PostOccurrence, PostVote

_O = PostOccurrence.__table__
_V = PostVote.__table__
_M = Member.__table__

SENT = ("sent", "sending")


@dataclass(frozen=True, slots=True)
class VariantReach:
    variant: int
    sends: int
    first_sent: datetime | None
    last_sent: datetime | None
    votes: int
    views: int  # members present during its sends, and voters the bot had not seen


def _present_during(
    first: datetime, last: datetime, member: sa.TableClause = _M
) -> sa.ColumnElement[bool]:
    arrived = sa.func.coalesce(member.c.joined_at, member.c.first_seen_at)
    return sa.and_(arrived <= last, sa.or_(member.c.left_at.is_(None), member.c.left_at >= first))


async def variant_reach(
    session: AsyncSession, group_id: int, post_id: int, variants: int
) -> list[VariantReach]:
    """One entry per variant 0 … variants - 1 (a variant never sent has no views)."""
    sent_at = sa.func.coalesce(_O.c.sent_at, _O.c.run_at)
    sends_q = (
        sa.select(_O.c.variant, sa.func.count(), sa.func.min(sent_at), sa.func.max(sent_at))
        .where(_O.c.post_id == post_id, _O.c.outcome.in_(SENT))
        .group_by(_O.c.variant)
    )
    sends = {int(r[0]): (int(r[1]), r[2], r[3]) for r in (await session.exec(sends_q)).all()}
    votes_q = (
        sa.select(_V.c.variant, sa.func.count())
        .where(_V.c.post_id == post_id)
        .group_by(_V.c.variant)
    )
    votes = {int(r[0]): int(r[1]) for r in (await session.exec(votes_q)).all()}

    windows = {v: (s[1], s[2]) for v, s in sends.items() if 0 <= v < variants and s[1]}
    audience: dict[int, int] = {}
    if windows:
        # One pass over the group's members counts every variant's audience.
        firsts = [w[0] for w in windows.values()]
        lasts = [w[1] for w in windows.values()]
        columns = [
            sa.func.coalesce(
                sa.func.sum(sa.case((_present_during(first, last), 1), else_=0)), 0
            ).label(f"v{v}")
            for v, (first, last) in windows.items()
        ]
        stmt = sa.select(*columns).where(
            _M.c.group_id == group_id, _present_during(min(firsts), max(lasts))
        )
        row = (await session.exec(stmt)).one()
        audience = {v: int(row[i]) for i, v in enumerate(windows)}
        for v, (first, last) in windows.items():
            if not votes.get(v):
                continue
            m = _M.alias("m")
            unseen = sa.select(sa.func.count()).where(
                _V.c.post_id == post_id,
                _V.c.variant == v,
                ~sa.exists().where(
                    m.c.group_id == group_id,
                    m.c.user_id == _V.c.user_id,
                    _present_during(first, last, m),
                ),
            )
            audience[v] += int((await session.exec(unseen)).scalar_one())
    found = []
    for v in range(variants):
        count, first, last = sends.get(v, (0, None, None))
        found.append(VariantReach(v, count, first, last, votes.get(v, 0), audience.get(v, 0)))
    return found
