"""Rows for CSV exports, read in chunks so memory stays bounded."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import LedgerEntry, Member, MemberRisk, MemberSegment, TgUser

_M = Member.__table__
_U = TgUser.__table__
_L = LedgerEntry.__table__
_S = MemberSegment.__table__
_R = MemberRisk.__table__
CHUNK = 1000


async def member_rows(session: AsyncSession, group_id: int) -> AsyncIterator[Any]:
    last = None
    while True:
        stmt = (
            select(
                _M,
                _U.c.username,
                _U.c.display_name,
                _S.c.stage.label("segment_stage"),
                _S.c.tier.label("segment_tier"),
                _R.c.p_active.label("risk_p"),
                _R.c.source.label("risk_source"),
            )
            .select_from(
                _M.outerjoin(_U, _U.c.id == _M.c.user_id)
                .outerjoin(_S, (_S.c.group_id == _M.c.group_id) & (_S.c.user_id == _M.c.user_id))
                .outerjoin(_R, (_R.c.group_id == _M.c.group_id) & (_R.c.user_id == _M.c.user_id))
            )
            .where(_M.c.group_id == group_id)
            .order_by(_M.c.user_id)
            .limit(CHUNK)
        )
        if last is not None:
            stmt = stmt.where(_M.c.user_id > last)
        rows = (await session.exec(stmt)).all()
        for row in rows:
            yield row
        if len(rows) < CHUNK:
            return
        last = rows[-1].user_id


async def ledger_rows(session: AsyncSession, group_id: int) -> AsyncIterator[Any]:
    last = 0
    while True:
        stmt = (
            select(_L)
            .where(_L.c.group_id == group_id, _L.c.id > last)
            .order_by(_L.c.id)
            .limit(CHUNK)
        )
        rows = (await session.exec(stmt)).all()
        for row in rows:
            yield row
        if len(rows) < CHUNK:
            return
        last = rows[-1].id
