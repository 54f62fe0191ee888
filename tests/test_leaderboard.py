"""/top on both databases: boards from indexes, ties, departed members hidden, local periods."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram.types import Update
from sqlalchemy import event

from core.engagement.leaderboard import leaderboard
from tests import board_oracle as oracle
from tests import factories as f
from tests.app_harness import Harness, running_bot

MON = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
SHANGHAI = ZoneInfo("Asia/Shanghai")


def left(user: dict, at: datetime) -> Update:
    return Update.model_validate(
        {
            "update_id": f.next_update_id(),
            "message": {
                "message_id": 9000 + f.next_update_id(),
                "date": f.ts(at),
                "chat": f.chat(),
                "from": user,
                "left_chat_member": user,
            },
        }
    )


async def test_points_board_with_own_rank_and_departures(db_url: str) -> None:
    members = [f.user(500 + i, f"M{i:02d}") for i in range(12)]
    async with running_bot(db_url) as bot:
        # Member i checks in on i+1 days (so M11 leads), M00 only once.
        for day in range(12):
            await bot.feed(
                *[
                    f.message(m, "/checkin", date=MON + timedelta(days=day))
                    for i, m in enumerate(members)
                    if i >= 11 - day
                ]
            )
        await bot.feed(left(members[10], MON + timedelta(days=12)))
        await bot.feed(f.message(members[0], "/top", date=MON + timedelta(days=12)))
        text = bot.last_text()
        lines = text.splitlines()
        assert (
            lines[0].startswith("🏆") and "🥇 M11" in lines[1] and "M10" not in text
        )  # left the group
        assert len([line for line in lines if " — " in line]) == 10
        assert "You: #11 with 10" in text

        await bot.feed(f.message(members[5], "/top checkins", date=MON + timedelta(days=12)))
        assert "Most check-ins" in bot.last_text() and "🥇 M11 — 12" in bot.last_text()
        # Everyone last checked in on day 11: streaks are alive on day 12, broken from day 13.
        await bot.feed(f.message(members[5], "/top streak", date=MON + timedelta(days=12)))
        assert "🥇 M11 — 12" in bot.last_text()
        await bot.feed(f.message(members[5], "/top streak", date=MON + timedelta(days=13)))
        assert "empty" in bot.last_text()


async def test_week_and_month_count_only_the_period(db_url: str) -> None:
    ann, ben = f.user(601, "Ann"), f.user(602, "Ben")
    async with running_bot(db_url) as bot:
        await bot.feed(
            f.message(ann, "/checkin", date=MON - timedelta(days=8))
        )  # previous week (February)
        await bot.feed(f.message(ben, "/checkin", date=MON))
        await bot.feed(f.message(ben, "/checkin", date=MON + timedelta(days=1)))
        await bot.feed(f.message(ann, "/top week", date=MON + timedelta(days=1)))
        text = bot.last_text()
        assert "this week" in text and "🥇 Ben — 20" in text and "Ann" not in text
        await bot.feed(f.message(ann, "/top month", date=MON + timedelta(days=1)))
        assert "this month" in bot.last_text() and "Ann" not in bot.last_text()
        await bot.feed(f.message(ann, "/top", date=MON + timedelta(days=1)))
        assert "🥇 Ben — 20" in bot.last_text() and "🥈 Ann — 10" in bot.last_text()
        await bot.feed(f.message(ann, "/top forever", date=MON))
        assert "Unknown option" in bot.last_text() and "week" in bot.last_text()
        await bot.feed(
            f.message(
                f.user(603, "Zhou", lang="zh-hans"), "/top 本周", date=MON + timedelta(days=1)
            )
        )
        assert "本周积分榜" in bot.last_text()


ADMIN = f.user(100, "Ada", username="ada")
MEDAL_RANKS = {"🥇": 1, "🥈": 2, "🥉": 3}
LINE = re.compile(r"^(🥇|🥈|🥉|\d+\.) (.+) — (-?\d+)$")
YOU = re.compile(r"You: #(\d+) with (-?\d+)")


def board_lines(text: str) -> list[tuple[int, str, int]]:
    """(rank, name, value) of every entry of a /top answer."""
    found = []
    for line in text.splitlines():
        match = LINE.match(line)
        if match:
            mark, name, value = match.groups()
            found.append((MEDAL_RANKS.get(mark) or int(mark.rstrip(".")), name, int(value)))
    return found


def you(text: str) -> tuple[int, int] | None:
    match = YOU.search(text)
    return (int(match.group(1)), int(match.group(2))) if match else None


async def top(bot: Harness, viewer: dict, board: str, at: datetime) -> str:
    await bot.feed(f.message(viewer, f"/top {board}".strip(), date=at))
    return bot.last_text()


async def test_ties_share_a_rank_and_the_cut_keeps_the_lowest_ids(db_url: str) -> None:
    members = [f.user(701 + i, f"T{701 + i}", username=f"t{701 + i}") for i in range(13)]
    # After one activity point each: 50, 40, 40, eight at 30, 20 and 1.
    grants = [49, 39, 39] + [29] * 8 + [19]
    async with running_bot(db_url, admins={(f.GROUP_ID, ADMIN["id"])}) as bot:
        await bot.feed(*(f.message(m, "hello there, everyone", date=MON) for m in members))
        for member, amount in zip(members, grants, strict=False):
            await bot.feed(f.message(ADMIN, f"/grant @{member['username']} {amount}", date=MON))
        later = MON + timedelta(hours=1)
        expected = [
            (1, "T701", 50),
            (2, "T702", 40),
            (2, "T703", 40),
            *[(4, f"T{704 + i}", 30) for i in range(7)],  # T711 is tied too, but cut
        ]
        for board in ("", "week", "month"):
            text = await top(bot, members[10], board, later)
            assert board_lines(text) == expected, board
            assert you(text) == (4, 30)  # T711: tied at #4, not shown
            assert you(await top(bot, members[12], board, later)) == (13, 1)
            assert you(await top(bot, members[0], board, later)) is None  # on the board
        # A stranger (no points) has no line of their own.
        assert you(await top(bot, f.user(999, "Zed"), "", later)) is None
        await bot.feed(f.message(members[11], "/me", date=later))
        assert "Points: 20 · Rank: #12" in bot.last_text()
        await bot.feed(f.message(members[10], "/me", date=later))
        assert "Points: 30 · Rank: #4" in bot.last_text()

        # Ties at the cut and a viewer far down: two round trips (the top with names and the
        # viewer's value, rank and name; the members tied at the cut), not one per part.
        statements: list[str] = []
        async with bot.app.session_factory() as s:
            group = await oracle.group_settings(s, f.GROUP_ID)
            engine = s.bind.sync_engine  # type: ignore[union-attr]
            listen = lambda *args: statements.append(args[2])  # noqa: E731
            event.listen(engine, "before_cursor_execute", listen)
            try:
                board = await leaderboard(s, group, "points", members[12]["id"], later)
            finally:
                event.remove(engine, "before_cursor_execute", listen)
        assert [e.name for e in board.entries][-1] == "T710" and board.viewer is not None
        assert (board.viewer.rank, board.viewer.name) == (13, "T713")
        assert len(statements) <= 2, statements


async def test_streaks_tie_across_yesterday_and_today(db_url: str) -> None:
    ann, ben, cat, dan, eve = (f.user(801 + i, name) for i, name in enumerate("ABCDE"))
    async with running_bot(db_url) as bot:
        day1, day2 = MON, MON + timedelta(days=1)
        await bot.feed(*(f.message(u, "/checkin", date=day1) for u in (ann, ben, cat, dan)))
        await bot.feed(*(f.message(u, "/checkin", date=day2) for u in (ben, dan, eve)))
        async with bot.app.session_factory() as s:
            group = await oracle.group_settings(s, f.GROUP_ID)
            # Day 2: Ben and Dan at 2 (today); Ann, Cat (yesterday) and Eve (today) at 1.
            board = await leaderboard(s, group, "streak", cat["id"], day2, limit=3)
            assert [(e.rank, e.user_id, e.value) for e in board.entries] == [
                (1, 802, 2),
                (1, 804, 2),
                (3, 801, 1),
            ]
            assert board.viewer is not None and (board.viewer.rank, board.viewer.value) == (3, 1)
            board = await leaderboard(s, group, "streak", eve["id"], day2)
            assert [e.user_id for e in board.entries] == [802, 804, 801, 803, 805]
            assert [e.rank for e in board.entries] == [1, 1, 3, 3, 3]
            # Day 3: Ann's and Cat's streaks are broken; the others' still alive.
            board = await leaderboard(s, group, "streak", ann["id"], day2 + timedelta(days=1))
            assert [(e.rank, e.user_id) for e in board.entries] == [(1, 802), (1, 804), (3, 805)]
            assert board.viewer is None
            board = await leaderboard(s, group, "streak", ann["id"], day2 + timedelta(days=2))
            assert board.entries == []


async def test_members_who_left_are_on_no_board_until_they_return(db_url: str) -> None:
    ann, ben, cat = f.user(901, "Ann"), f.user(902, "Ben"), f.user(903, "Cat")
    async with running_bot(db_url) as bot:
        await bot.feed(*(f.message(u, "/checkin", date=MON) for u in (ann, ben, cat)))
        await bot.feed(f.message(ann, "/checkin", date=MON + timedelta(days=1)))
        await bot.feed(f.message(ben, "/checkin", date=MON + timedelta(days=1)))
        later = MON + timedelta(days=1, hours=1)
        for board in ("", "week", "month", "checkins", "streak"):
            assert [n for _, n, _ in board_lines(await top(bot, cat, board, later))] == [
                "Ann",
                "Ben",
                "Cat",
            ], board
        await bot.feed(left(ann, later))
        for board in ("", "week", "month", "checkins", "streak"):
            text = await top(bot, cat, board, later + timedelta(minutes=1))
            assert [(r, n) for r, n, _ in board_lines(text)] == [(1, "Ben"), (2, "Cat")], board
        async with bot.app.session_factory() as s:
            group = await oracle.group_settings(s, f.GROUP_ID)
            for kind in ("points", "week", "month", "checkins", "streak"):
                # (A /top of her own would tell the bot she is back: ask the core directly.)
                gone = await leaderboard(s, group, kind, ann["id"], later, limit=1)
                assert [e.user_id for e in gone.entries] == [902] and gone.viewer is None
        # Back by joining again: everything they earned shows again.
        await bot.feed(
            f.service_message(ann, date=later + timedelta(hours=1), new_chat_members=[ann])
        )
        text = await top(bot, cat, "week", later + timedelta(hours=2))
        assert board_lines(text) == [(1, "Ann", 20), (1, "Ben", 20), (3, "Cat", 10)]


async def test_week_and_month_turn_over_at_the_groups_local_day_start(db_url: str) -> None:
    """Asia/Shanghai, days from 04:00: Monday 03:30 is still Sunday, 1 April 03:59 still March."""

    def shanghai(day: int, hour: int, minute: int, month: int = 3) -> datetime:
        return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)

    ann, ben, cat, dan = (f.user(951 + i, n) for i, n in enumerate(("Ann", "Ben", "Cat", "Dan")))
    async with running_bot(db_url, admins={(f.GROUP_ID, ADMIN["id"])}) as bot:
        await bot.feed(f.message(ADMIN, "/settings day_start 4", date=shanghai(20, 12, 0)))
        await bot.feed(f.message(ann, "/checkin", date=shanghai(30, 3, 30)))  # Sunday 29th
        assert board_lines(await top(bot, ann, "week", shanghai(30, 3, 50))) == [(1, "Ann", 10)]
        await bot.feed(f.message(ben, "/checkin", date=shanghai(30, 4, 30)))  # Monday 30th
        assert board_lines(await top(bot, ann, "week", shanghai(30, 5, 0))) == [(1, "Ben", 10)]
        month = board_lines(await top(bot, ann, "month", shanghai(30, 5, 0)))
        assert month == [(1, "Ann", 10), (1, "Ben", 10)]
        # A late delivery of Ben's Sunday: it counts (points, month), not for this week.
        await bot.feed(f.message(ben, "/checkin", date=shanghai(29, 22, 0)))
        assert board_lines(await top(bot, ann, "week", shanghai(30, 6, 0))) == [(1, "Ben", 10)]
        month = board_lines(await top(bot, ann, "month", shanghai(30, 6, 0)))
        assert month == [(1, "Ben", 20), (2, "Ann", 10)]
        assert board_lines(await top(bot, ann, "", shanghai(30, 6, 0)))[0] == (1, "Ben", 20)

        await bot.feed(f.message(cat, "/checkin", date=shanghai(1, 3, 59, month=4)))  # 31 March
        await bot.feed(f.message(dan, "/checkin", date=shanghai(1, 4, 1, month=4)))  # 1 April
        at = shanghai(1, 4, 10, month=4)
        assert board_lines(await top(bot, ann, "month", at)) == [(1, "Dan", 10)]
        week = board_lines(await top(bot, ann, "week", at))
        assert week == [(1, "Ben", 10), (1, "Cat", 10), (1, "Dan", 10)]  # ties by user id
        assert you(await top(bot, ann, "week", at)) is None  # Ann earned last week only
        await bot.feed(f.message(ann, "/checkin", date=shanghai(1, 10, 0, month=4)))
        at = shanghai(1, 11, 0, month=4)
        assert board_lines(await top(bot, ben, "month", at)) == [(1, "Ann", 10), (1, "Dan", 10)]
        assert you(await top(bot, ben, "month", at)) is None  # Ben earned in March only
        assert board_lines(await top(bot, ben, "week", at))[0] == (1, "Ann", 10)
