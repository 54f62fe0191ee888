"""CSV exports of members and of the ledger (UTF-8, header, ISO 8601 UTC timestamps)."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from core.calendar import local_day
from core.community.group_settings import GroupSettings
from core.engagement.profile import current_streak
from core.uow import UnitOfWork
from storage.queries.community import audit
from storage.queries.community import export as rows

MEMBER_COLUMNS = [
    "user_id",
    "username",
    "display_name",
    "points",
    "streak",
    "best_streak",
    "checkins",
    "joined_at",
    "last_active_at",
    "left_at",
    "level",
    "badges",
]
LEDGER_COLUMNS = ["id", "user_id", "amount", "reason", "created_at", "actor_id", "note", "source"]


def iso(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""


def safe_cell(value: object) -> object:
    """Spreadsheets run cells starting with = + - @ as formulas; names are user-controlled."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


async def _csv(
    header: list[str], records: AsyncIterator[Any], cells: Callable[[Any], tuple[object, ...]]
) -> tuple[bytes, int]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    count = 0
    async for record in records:
        writer.writerow([safe_cell(v) for v in cells(record)])
        count += 1
    return out.getvalue().encode("utf-8"), count


async def members_csv(
    session: AsyncSession, group: GroupSettings, now: datetime
) -> tuple[bytes, int]:
    from core.shop.export import member_ranks  # the shop's levels and badges

    today = local_day(now, group.timezone, group.day_start_hour)
    ranks = await member_ranks(session, group)
    return await _csv(
        MEMBER_COLUMNS,
        rows.member_rows(session, group.group_id),
        lambda r: (
            r.user_id,
            r.username or "",
            r.display_name or "",
            r.points,
            current_streak(r.last_checkin_day, r.streak, today),
            r.best_streak,
            r.checkins,
            iso(r.joined_at),
            iso(r.last_active_at),
            iso(r.left_at),
            ranks.level(r.user_id),
            ranks.badge_list(r.user_id),
        ),
    )


async def ledger_csv(session: AsyncSession, group_id: int) -> tuple[bytes, int]:
    return await _csv(
        LEDGER_COLUMNS,
        rows.ledger_rows(session, group_id),
        lambda r: (
            r.id,
            r.user_id,
            r.amount,
            r.reason,
            iso(r.created_at),
            "" if r.actor_id is None else r.actor_id,
            r.note or "",
            r.source,
        ),
    )


async def record_export(
    uow: UnitOfWork, group_id: int, actor_id: int, kind: str, count: int, at: datetime
) -> None:
    await audit.record(
        uow.session,
        group_id=group_id,
        actor_id=actor_id,
        action=f"export_{kind}",
        at=at,
        details={"rows": count},
    )
    await uow.commit()
