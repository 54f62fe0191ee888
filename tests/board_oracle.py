"""What the boards and the running totals must be, computed in Python from the raw rows.

The oracle is the definition the bot had when it ranked every member and summed the ledger
on every /top: present members only, ties share a rank (one plus the number of greater
values), ordered by rank then user id; week and month boards sum the earning rows created
since the period began in the group's local calendar.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.calendar import GroupCalendar, day_start_instant, local_day, period_starts
from core.community.group_settings import GroupSettings
from core.engagement.leaderboard import Board, Entry
from storage.queries.engagement.ledger import EARNING_REASONS, LIFETIME_REASONS
from storage.tables import ALL_TIME, BoardValueCount, LedgerEntry, Member, TgUser
from tests.group_service import group_service


@dataclass(frozen=True)
class Snapshot:
    members: dict[int, Member]
    users: dict[int, TgUser]
    ledger: list[LedgerEntry]
    counts: dict[tuple[str, date, int], int]  # board_value_count, rows of 0 left out


async def snapshot(session: AsyncSession, group_id: int) -> Snapshot:
    members = (await session.exec(select(Member).where(Member.group_id == group_id))).all()
    users = (await session.exec(select(TgUser))).all()
    ledger = (
        await session.exec(select(LedgerEntry).where(LedgerEntry.group_id == group_id))
    ).all()
    counts = (
        await session.exec(select(BoardValueCount).where(BoardValueCount.group_id == group_id))
    ).all()
    return Snapshot(
        {m.user_id: m for m in members},
        {u.id: u for u in users},
        list(ledger),
        {(c.board, c.period, c.value): c.members for c in counts if c.members},
    )


def value_counts(snap: Snapshot) -> dict[tuple[str, date, int], int]:
    """How many present members have each positive value on each board, from member rows."""
    counts: Counter[tuple[str, date, int]] = Counter()
    for m in snap.members.values():
        if m.left_at is not None:
            continue
        for board, period, value in (
            ("points", ALL_TIME, m.points),
            ("checkins", ALL_TIME, m.checkins),
            ("streak", m.last_checkin_day, m.streak),
            ("week", m.week_start, m.week_points),
            ("month", m.month_start, m.month_points),
        ):
            if period is not None and value > 0:
                counts[(board, period, value)] += 1
    return dict(counts)


async def group_settings(session: AsyncSession, group_id: int) -> GroupSettings:
    found = await group_service(lambda: session).settings_in(session, [group_id])
    return found[group_id]


def _name(snap: Snapshot, user_id: int) -> str:
    user = snap.users.get(user_id)
    if user is None:
        return f"User {user_id}"
    return user.display_name or (f"@{user.username}" if user.username else f"User {user_id}")


def board_values(snap: Snapshot, group: GroupSettings, kind: str, now: datetime) -> dict[int, int]:
    """Each present member's value on the board."""
    today = local_day(now, group.timezone, group.day_start_hour)
    present = {u: m for u, m in snap.members.items() if m.left_at is None}
    if kind == "points":
        return {u: m.points for u, m in present.items()}
    if kind == "checkins":
        return {u: m.checkins for u, m in present.items()}
    if kind == "streak":
        alive = today - timedelta(days=1)
        return {
            u: m.streak if m.last_checkin_day is not None and m.last_checkin_day >= alive else 0
            for u, m in present.items()
        }
    week, month = period_starts(today)
    since = day_start_instant(
        week if kind == "week" else month, group.timezone, group.day_start_hour
    )
    values = dict.fromkeys(present, 0)
    for row in snap.ledger:
        if row.user_id in values and row.reason in EARNING_REASONS and row.created_at >= since:
            values[row.user_id] += row.amount
    return values


def board(
    snap: Snapshot, group: GroupSettings, kind: str, viewer_id: int, now: datetime, limit: int = 10
) -> Board:
    ranked = {u: v for u, v in board_values(snap, group, kind, now).items() if v > 0}

    def rank(value: int) -> int:
        return 1 + sum(1 for other in ranked.values() if other > value)

    order = sorted(ranked, key=lambda u: (rank(ranked[u]), u))
    entries = [Entry(rank(ranked[u]), u, _name(snap, u), ranked[u]) for u in order[:limit]]
    viewer = None
    if viewer_id in ranked and viewer_id not in order[:limit]:
        viewer = Entry(
            rank(ranked[viewer_id]), viewer_id, _name(snap, viewer_id), ranked[viewer_id]
        )
    return Board(kind, entries, viewer)


def points_rank(snap: Snapshot, points: int) -> int:
    return 1 + sum(1 for m in snap.members.values() if m.left_at is None and m.points > points)


def running_totals(
    snap: Snapshot, group: GroupCalendar
) -> dict[int, tuple[date | None, int, date | None, int]]:
    """Every member's (week_start, week_points, month_start, month_points) rebuilt from the
    ledger: the latest local week and month with earnings, and what was earned in them."""
    weeks: dict[int, dict[date, int]] = {}
    months: dict[int, dict[date, int]] = {}
    for row in snap.ledger:
        if row.reason not in EARNING_REASONS:
            continue
        week, month = period_starts(
            local_day(row.created_at, group.timezone, group.day_start_hour)
        )
        per_week = weeks.setdefault(row.user_id, {})
        per_week[week] = per_week.get(week, 0) + row.amount
        per_month = months.setdefault(row.user_id, {})
        per_month[month] = per_month.get(month, 0) + row.amount
    totals: dict[int, tuple[Any, int, Any, int]] = {}
    for user_id in snap.members:
        week = max(weeks.get(user_id, {}), default=None)
        month = max(months.get(user_id, {}), default=None)
        totals[user_id] = (
            week,
            weeks[user_id][week] if week else 0,
            month,
            months[user_id][month] if month else 0,
        )
    return totals


def stored_totals(snap: Snapshot) -> dict[int, tuple[date | None, int, date | None, int]]:
    return {
        u: (m.week_start, m.week_points, m.month_start, m.month_points)
        for u, m in snap.members.items()
    }


def lifetime_earned(snap: Snapshot) -> dict[int, int]:
    """Every member's lifetime earned points rebuilt from the ledger: the positive rows of the
    lifetime reasons (spending, deductions and refunds never count)."""
    totals = dict.fromkeys(snap.members, 0)
    for row in snap.ledger:
        if row.reason in LIFETIME_REASONS and row.amount > 0:
            totals[row.user_id] = totals.get(row.user_id, 0) + row.amount
    return totals


def stored_lifetime(snap: Snapshot) -> dict[int, int]:
    return {u: m.lifetime_earned for u, m in snap.members.items()}
