"""Joins by source over a span of local days, from running totals (never a scan of joins).

The seam for `/stats`: `joins_by_source(session, group_id, first_day, last_day)` gives
{"invite": n, "request": n, "link": n, "other": n}. Sources: a member's personal link
(`invite`), an approved join request (`request`), another invite link (`link`), anything else
(`other`: added by a member, a public group's username).
"""

from __future__ import annotations

from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from core.growth.rules import SOURCES
from storage.queries.growth import joins


async def joins_by_source(
    session: AsyncSession, group_id: int, first_day: date, last_day: date
) -> dict[str, int]:
    found = await joins.by_source(session, group_id, first_day, last_day)
    ordered = sorted(SOURCES, key=SOURCES.index, reverse=True)  # invite, request, link, other
    return {source: found.get(source, 0) for source in ordered}
