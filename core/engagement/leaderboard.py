"""Leaderboards: by points, live streak, check-ins, and points earned this local week or month.

Boards are read in index order (storage.queries.engagement.leaderboard): the first entries
straight from the top of an index, their ranks from their own values, the viewer's rank from
the number of members per value above theirs. Week and month boards read the members' running
totals, which the ledger append keeps (storage.queries.engagement.ledger).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.calendar import local_day, period_starts
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


def parse_board(word: str | None, more: tuple[str, ...] = ()) -> str:
    """The built-in board a word names; `more`: the other features' boards (for the error)."""
    key = (word or "").strip().lower()
    if key not in BOARDS:
        options = ", ".join(("streak", "checkins", "week", "month", *more))
        raise UnknownSubcommand(word=key[:32], options=options)
    return BOARDS[key]


# A board another feature adds to /top: (session, group, viewer id, now) -> the board.
BoardReader = Callable[[AsyncSession, GroupSettings, int, datetime], Awaitable["Board"]]


@dataclass(frozen=True)
class ExtraBoard:
    kind: str  # its title is the locale key top-title-<kind>
    words: tuple[str, ...]  # what members type after /top (the kind itself included)
    read: BoardReader


class Boards:
    """Boards features add to /top beside the built-in ones (e.g. `/top invites`); the
    composition's features register them at setup (deps["boards"])."""

    def __init__(self) -> None:
        self._by_word: dict[str, ExtraBoard] = {}

    def add(self, board: ExtraBoard) -> None:
        for word in {board.kind, *board.words}:
            key = word.lower()
            if key in BOARDS or key in self._by_word:
                raise ValueError(f"/top {word} is declared twice")
            self._by_word[key] = board

    def find(self, word: str | None) -> ExtraBoard | None:
        return self._by_word.get((word or "").strip().lower())

    def kinds(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(b.kind for b in self._by_word.values()))


def ranks(values: list[int]) -> list[int]:
    """Ranks of a board's first entries (values highest first, from the very top): ties share
    a rank, which is one plus the number of entries with a greater value."""
    result: list[int] = []
    for index, value in enumerate(values):
        result.append(result[-1] if index and value == values[index - 1] else index + 1)
    return result


def _name(user_id: int, known: tuple[str, str | None] | None) -> str:
    display_name, username = known or ("", None)
    return shorten(display_name or (f"@{username}" if username else f"User {user_id}"))


async def leaderboard(
    session: AsyncSession,
    group: GroupSettings,
    kind: str,
    viewer_id: int,
    now: datetime,
    limit: int = 10,
) -> Board:
    today = local_day(now, group.timezone, group.day_start_hour)
    week, month = period_starts(today)
    src = rows.source(kind, today=today, week=week, month=month)
    # One round trip (two with members tied at the cut): the top with names, and the viewer's
    # value, rank (members counted above, board_value_count) and name alongside.
    top, standing = await rows.top(session, group.group_id, src, limit, viewer_id)
    entries = [
        Entry(rank, user_id, _name(user_id, known), value)
        for rank, (user_id, value, known) in zip(ranks([v for _, v, _ in top]), top, strict=True)
    ]
    viewer = None
    if standing is not None and all(user_id != viewer_id for user_id, _, _ in top):
        value, above, known = standing
        if value > 0:
            viewer = Entry(above + 1, viewer_id, _name(viewer_id, known), value)
    return Board(kind, entries, viewer)
