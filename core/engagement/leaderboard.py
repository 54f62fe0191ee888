"""Leaderboards: by points, live streak, check-ins, and points earned this local week or month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from core.calendar import day_start_instant, local_day, month_start, week_start
from core.community.group_settings import GroupSettings
from core.errors import UnknownSubcommand
from core.text import shorten
from storage.queries.engagement import leaderboard as rows

BOARDS = {
    "": "points",
    "points": "points",
    "积分": "points",
    "streak": "streak",
    "连续": "streak",
    "streaks": "streak",
    "checkins": "checkins",
    "签到": "checkins",
    "checkin": "checkins",
    "week": "week",
    "本周": "week",
    "weekly": "week",
    "month": "month",
    "本月": "month",
    "monthly": "month",
}


@dataclass(frozen=True)
class Entry:
    rank: int
    user_id: int
    name: str
    value: int


@dataclass(frozen=True)
class Board:
    kind: str
    entries: list[Entry]
    viewer: Entry | None  # set when the viewer is ranked but outside the shown entries


def parse_board(word: str | None) -> str:
    key = (word or "").strip().lower()
    if key not in BOARDS:
        raise UnknownSubcommand(word=key[:32], options="streak, checkins, week, month")
    return BOARDS[key]


def _entry(row: object) -> Entry:
    name = row.display_name or (f"@{row.username}" if row.username else f"User {row.user_id}")  # type: ignore[attr-defined]
    name = shorten(name)
    return Entry(int(row.rank), int(row.user_id), name, int(row.value))  # type: ignore[attr-defined]


async def leaderboard(
    session: AsyncSession,
    group: GroupSettings,
    kind: str,
    viewer_id: int,
    now: datetime,
    limit: int = 10,
) -> Board:
    today = local_day(now, group.timezone, group.day_start_hour)
    since = None
    if kind == "week":
        since = day_start_instant(week_start(today), group.timezone, group.day_start_hour)
    elif kind == "month":
        since = day_start_instant(month_start(today), group.timezone, group.day_start_hour)
    top, mine = await rows.ranked(
        session,
        group.group_id,
        kind,
        yesterday=today - timedelta(days=1),
        since=since,
        viewer_id=viewer_id,
        limit=limit,
    )
    entries = [_entry(r) for r in top]
    viewer = (
        _entry(mine) if mine is not None and all(e.user_id != viewer_id for e in entries) else None
    )
    return Board(kind, entries, viewer)
