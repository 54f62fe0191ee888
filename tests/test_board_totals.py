"""Running week/month totals and index-ordered boards against the ledger, on both databases.

A mixed history goes through the real bot (check-ins, chat activity, grants, deducts, leaves
and returns, late deliveries, batches that straddle a week and a month boundary) in a
non-UTC timezone with a day-start hour and a DST change; at checkpoints every board, every
viewer's line and every /me rank must equal what ranking all members and summing the ledger
gives (tests/board_oracle.py), and every running total must equal its rebuild from the ledger.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram.types import Update
from sqlalchemy import text

from core.calendar import day_start_instant, local_day, period_starts
from core.engagement.leaderboard import leaderboard, ranks
from core.engagement.period_totals import moved_spans
from core.engagement.profile import profile_in_group
from storage.db import SessionFactory, create_engine, create_session_factory
from storage.migrate import upgrade
from storage.queries.community import members
from storage.queries.engagement import ledger
from storage.queries.engagement.ledger import period_deltas
from tests import board_oracle as oracle
from tests import factories as f
from tests.app_harness import Harness, running_bot

TZ = "Europe/Berlin"
DAY_START = 4
BERLIN = ZoneInfo(TZ)
ADMIN = f.user(100, "Ada", username="ada")
MEMBERS = [f.user(501 + i, f"M{i + 1:02d}", username=f"m{501 + i}") for i in range(12)]
STRANGER = 999
BOARDS = ("points", "streak", "checkins", "week", "month")
# Wed 25 March to Thu 2 April 2026: DST starts on Sunday 29 March, a week on Monday 30 March,
# a month on Wednesday 1 April (days begin at 04:00 Berlin time).
DAYS = [date(2026, 3, 25) + timedelta(days=i) for i in range(9)]


def berlin(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


DAYS_END = datetime(2026, 4, 4, tzinfo=UTC)


@dataclass(frozen=True)
class Calendar:
    group_id: int
    timezone: str
    day_start_hour: int


def _sender(update: Update) -> int | None:
    message = update.message
    return message.from_user.id if message and message.from_user else None


def left(user: dict, at: datetime) -> Update:
    return f.service_message(user, date=at, left_chat_member=user)


def joined(user: dict, at: datetime) -> Update:
    return f.service_message(user, date=at, new_chat_members=[user])


@dataclass
class Timeline:
    """Updates in the order they are delivered (a late one carries an older date)."""

    items: list[tuple[datetime, Update]]
    glued: set[int] = field(default_factory=set)  # update ids delivered with the one before

    def add(self, delivered: datetime, update: Update) -> None:
        self.items.append((delivered, update))

    def insert(self, delivered: datetime, updates: list[Update]) -> None:
        """Updates delivered together, at their place in the timeline."""
        position = next(i for i, (t, _) in enumerate(self.items) if t > delivered)
        self.items[position:position] = [(delivered, u) for u in updates]
        self.glued |= {u.update_id for u in updates[1:]}

    def deliveries(self, items: list[tuple[datetime, Update]]) -> list[list[Update]]:
        """Deliveries of about 7 updates (batches of the hot path), glued ones kept together."""
        chunks: list[list[Update]] = []
        for _, update in items:
            if not chunks or (len(chunks[-1]) >= 7 and update.update_id not in self.glued):
                chunks.append([])
            chunks[-1].append(update)
        return chunks


def history() -> Timeline:
    timeline = Timeline([])
    for index, day in enumerate(DAYS):
        rng = random.Random(1000 + index)
        begins = day_start_instant(day, TZ, DAY_START)
        length = int(
            (day_start_instant(day + timedelta(days=1), TZ, DAY_START) - begins).total_seconds()
        )

        def at(
            rng: random.Random = rng, begins: datetime = begins, length: int = length
        ) -> datetime:
            return begins + timedelta(seconds=rng.randrange(60, length - 60))

        for member in MEMBERS:
            skip_sunday = member["id"] == 502 and day == date(2026, 3, 29)  # checks in late
            if rng.random() < 0.75 and not skip_sunday:
                moment = at()
                timeline.add(moment, f.message(member, "/checkin", date=moment))
            for _ in range(rng.randrange(3)):
                moment = at()
                timeline.add(moment, f.message(member, "hello there, friends", date=moment))
        for _ in range(2):
            moment = at()
            target = rng.choice(MEMBERS)["username"]
            command = f"/grant @{target} {rng.randrange(1, 40)}"
            if rng.random() < 0.4:
                command = f"/deduct @{target} {rng.randrange(1, 15)}"
            timeline.add(moment, f.message(ADMIN, command, date=moment))
    m = {u["id"]: u for u in MEMBERS}
    # Leaves and returns: by a later message, by joining again, and one who stays away.
    for user_id, gone, back, how in (
        (511, DAYS[3], DAYS[5], "message"),
        (510, DAYS[1], DAYS[6], "join"),
        (512, DAYS[7], None, None),
    ):
        away_from, away_until = berlin(gone, 12), berlin(back, 9) if back else DAYS_END
        timeline.items = [
            (t, u)
            for t, u in timeline.items
            if not (away_from <= t <= away_until and _sender(u) == user_id)
        ]
        timeline.add(away_from, left(m[user_id], away_from))
        if back is not None:
            update = (
                f.message(m[user_id], "I am back, hello", date=berlin(back, 9))
                if how == "message"
                else joined(m[user_id], berlin(back, 9))
            )
            timeline.add(berlin(back, 9), update)
    timeline.items.sort(key=lambda item: item[0])
    # One delivery straddling the new week (03:58 is still Sunday), one the new month.
    for user_id, day in ((501, date(2026, 3, 30)), (504, date(2026, 4, 1))):
        before, after = berlin(day, 3, 58), berlin(day, 4, 2)
        timeline.insert(
            after,
            [
                f.message(m[user_id], "just before the day turns", date=before),
                f.message(m[user_id], "/checkin", date=after),
            ],
        )
    # Late deliveries on Monday of Sunday's messages (a check-in and chat activity), in the
    # same delivery as the member's Monday message.
    late_at = berlin(date(2026, 3, 30), 15)
    sunday = date(2026, 3, 29)
    timeline.insert(
        late_at,
        [
            f.message(m[502], "a monday afternoon hello", date=late_at),
            f.message(m[502], "/checkin", date=berlin(sunday, 20)),
            f.message(m[503], "a late hello from sunday", date=berlin(sunday, 21)),
        ],
    )
    return timeline


async def check_everything(bot: Harness, now: datetime) -> None:
    async with bot.app.session_factory() as s:
        group = await oracle.group_settings(s, f.GROUP_ID)
        snap = await oracle.snapshot(s, f.GROUP_ID)
        assert oracle.stored_totals(snap) == oracle.running_totals(snap, group), now
        assert oracle.stored_lifetime(snap) == oracle.lifetime_earned(snap), now
        assert snap.counts == oracle.value_counts(snap), now
        viewers = [u["id"] for u in MEMBERS] + [ADMIN["id"], STRANGER]
        for kind in BOARDS:
            for viewer in viewers:
                for limit in (10, 3):
                    got = await leaderboard(s, group, kind, viewer, now, limit=limit)
                    want = oracle.board(snap, group, kind, viewer, now, limit=limit)
                    assert got == want, (kind, viewer, limit, now)
        for viewer in viewers:
            member = snap.members.get(viewer)
            profile = await profile_in_group(s, group, viewer, now)
            assert profile.rank == oracle.points_rank(snap, member.points if member else 0)


async def test_boards_and_running_totals_match_the_ledger(db_url: str) -> None:
    timeline = history()
    start = berlin(DAYS[0], 4, 0) - timedelta(minutes=5)
    async with running_bot(db_url, admins={(f.GROUP_ID, ADMIN["id"])}) as bot:
        await bot.feed(f.message(ADMIN, f"/settings timezone {TZ}", date=start))
        await bot.feed(f.message(ADMIN, f"/settings day_start {DAY_START}", date=start))
        by_day: dict[date, list[tuple[datetime, Update]]] = {}
        for delivered, update in timeline.items:
            day = (delivered - timedelta(hours=DAY_START)).astimezone(BERLIN).date()
            by_day.setdefault(day, []).append((delivered, update))
        assert list(by_day) == DAYS
        for day, items in by_day.items():
            for delivery in timeline.deliveries(items):
                await bot.feed(*delivery)
            # The end of the local day, and the next one just begun (nothing earned yet).
            await check_everything(bot, items[-1][0] + timedelta(seconds=30))
            await check_everything(
                bot,
                day_start_instant(day + timedelta(days=1), TZ, DAY_START) + timedelta(seconds=1),
            )
        async with bot.app.session_factory() as s:
            snap = await oracle.snapshot(s, f.GROUP_ID)
        reasons = {row.reason for row in snap.ledger}
        assert reasons == {"checkin", "activity", "admin_grant", "admin_deduct", "streak_bonus"}
        # The history reached both sides of the boundaries it is about.
        periods = {period_starts(local_day(r.created_at, TZ, DAY_START)) for r in snap.ledger}
        assert {w for w, _ in periods} == {date(2026, 3, 23), date(2026, 3, 30)}
        assert {m for _, m in periods} == {date(2026, 3, 1), date(2026, 4, 1)}
        # Gone with points this week: kept, and never on a board (checked above).
        gone = snap.members[512]
        assert gone.left_at is not None and gone.week_start == date(2026, 3, 30)
        assert gone.week_points > 0


async def test_a_new_calendar_recounts_the_running_totals(db_url: str) -> None:
    """Weeks begin elsewhere after a timezone or day-start change: the current boards follow."""
    async with running_bot(db_url, admins={(f.GROUP_ID, ADMIN["id"])}) as bot:
        feed = []
        for i, member in enumerate(MEMBERS[:6]):
            # Sunday 18:00 to Monday 04:00 UTC: Monday in Shanghai, mostly Sunday in New York.
            moment = datetime(2026, 3, 29, 18, tzinfo=UTC) + timedelta(hours=2 * i)
            feed.append(f.message(member, "/checkin", date=moment))
            feed.append(f.message(member, "hello there, friends", date=moment))
        await bot.feed(*feed)
        now = datetime(2026, 3, 30, 7, tzinfo=UTC)  # Monday in Shanghai, Tokyo and New York
        entries = []
        for command in (
            "/settings day_start 0",  # the group's default timezone, Asia/Shanghai
            "/settings timezone America/New_York",
            "/settings day_start 23",  # New York's Monday 03:00 is still Sunday
            "/settings timezone Asia/Tokyo",
            "/settings day_start 0",
        ):
            await bot.feed(f.message(ADMIN, command, date=now))
            assert "Saved" in bot.last_text(), command
            async with bot.app.session_factory() as s:
                group = await oracle.group_settings(s, f.GROUP_ID)
                snap = await oracle.snapshot(s, f.GROUP_ID)
                assert oracle.stored_totals(snap) == oracle.running_totals(snap, group), command
                assert snap.counts == oracle.value_counts(snap), command
                for kind in ("week", "month"):
                    for viewer in (MEMBERS[0]["id"], MEMBERS[5]["id"]):
                        got = await leaderboard(s, group, kind, viewer, now, limit=3)
                        assert got == oracle.board(snap, group, kind, viewer, now, 3), command
                board = await leaderboard(s, group, "week", ADMIN["id"], now)
                entries.append(len(board.entries))
        # Shanghai: all six this week; New York: only Monday 00:00; then weeks from 23 March.
        assert entries == [6, 1, 6, 6, 6]


async def test_the_migration_backfills_running_totals_from_the_ledger(empty_db_url: str) -> None:
    engine = create_engine(empty_db_url)
    sqlite = empty_db_url.startswith("sqlite")

    def stamp(moment: datetime) -> object:
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else moment

    try:
        await upgrade(engine, "0001")
        groups = [(-1, "Asia/Shanghai", 4), (-2, "America/Los_Angeles", 0), (-3, "UTC", 23)]
        rng = random.Random(7)
        async with engine.begin() as conn:
            for group_id, tz, hour in groups:
                await conn.execute(
                    text(
                        "INSERT INTO chat_group (id, title, is_active, timezone, day_start_hour,"
                        " language, checkin_points, milestones, activity_points,"
                        " activity_min_length, activity_cooldown_seconds, activity_daily_cap)"
                        " VALUES (:g, '', :a, :tz, :h, 'en', 10, '', 1, 5, 60, 20)"
                    ),
                    {"g": group_id, "a": True, "tz": tz, "h": hour},
                )
                for user_id in range(1, 9):
                    await conn.execute(
                        text(
                            "INSERT INTO member (group_id, user_id, first_seen_at, points, streak,"
                            " best_streak, checkins, activity_today, left_at)"
                            " VALUES (:g, :u, :t, 0, 0, 0, 0, 0, :left)"
                        ),
                        {
                            "g": group_id,
                            "u": user_id,
                            "t": stamp(datetime(2026, 1, 1, tzinfo=UTC)),
                            "left": stamp(datetime(2026, 2, 1, tzinfo=UTC))
                            if user_id == 8
                            else None,
                        },
                    )
            reasons = ["checkin", "streak_bonus", "activity", "admin_grant", "admin_deduct"]
            # Not on the boards; only the birthday bonus counts for life (0008).
            reasons += ["birthday_bonus", "shop_redeem", "shop_refund"]
            rows = []
            for n in range(600):
                group_id = rng.choice(groups)[0]
                moment = datetime(2026, 2, 20, tzinfo=UTC) + timedelta(
                    seconds=rng.randrange(20 * 86_400)
                )
                reason = rng.choice(reasons)
                rows.append(
                    {
                        "g": group_id,
                        "u": rng.randrange(1, 8 if n % 5 else 9),
                        "a": -3
                        if reason in ("admin_deduct", "shop_redeem")
                        else rng.randrange(1, 30),
                        "r": reason,
                        "k": f"k{n}",
                        "t": stamp(moment),
                    }
                )
            await conn.execute(
                text(
                    "INSERT INTO ledger_entry (group_id, user_id, amount, reason, source,"
                    " idempotency_key, created_at) VALUES (:g, :u, :a, :r, 'test', :k, :t)"
                ),
                rows,
            )
        await upgrade(engine)
        async with create_session_factory(engine)() as s:
            checked = lifetime = 0
            for group_id, _, _ in groups:
                group = await oracle.group_settings(s, group_id)
                snap = await oracle.snapshot(s, group_id)
                assert oracle.stored_totals(snap) == oracle.running_totals(snap, group)
                assert snap.counts == oracle.value_counts(snap)
                assert oracle.stored_lifetime(snap) == oracle.lifetime_earned(snap)
                checked += sum(1 for t in oracle.stored_totals(snap).values() if t[1] > 0)
                lifetime += sum(1 for v in oracle.stored_lifetime(snap).values() if v > 0)
            assert checked >= 20  # most members earned in their latest week
            assert lifetime >= 20
    finally:
        await engine.dispose()


async def test_appends_in_any_order_keep_each_members_latest_periods(
    session_factory: SessionFactory,
) -> None:
    """Many rows per call, periods in any order, several members: what the batch writer and
    any other caller may hand to ledger.append."""
    calendar = Calendar(-7, "America/Sao_Paulo", 5)
    rng = random.Random(3)
    users = range(1, 7)
    async with session_factory() as s:
        for user_id in users:
            await members.ensure_member(
                s, calendar.group_id, user_id, datetime(2026, 1, 1, tzinfo=UTC)
            )
        rows = []
        for n in range(300):
            user_id = rng.choice(users)  # each member's history ends on another day
            at = datetime(2026, 3, 20, tzinfo=UTC) + timedelta(
                minutes=rng.randrange((4 + 3 * user_id) * 24 * 60)
            )
            week, month = period_starts(local_day(at, calendar.timezone, calendar.day_start_hour))
            reason = rng.choice(
                ["checkin", "activity", "admin_grant", "admin_deduct", "streak_bonus"]
            )
            rows.append(
                {
                    "group_id": calendar.group_id,
                    "user_id": user_id,
                    "amount": -2 if reason == "admin_deduct" else rng.randrange(1, 20),
                    "reason": reason,
                    "note": None,
                    "source": "test",
                    "actor_id": None,
                    "idempotency_key": f"k{n}",
                    "created_at": at,
                    "week_start": week,
                    "month_start": month,
                }
            )
        for start in range(0, len(rows), 37):
            await ledger.append(s, rows[start : start + 37])
        await s.commit()
        snap = await oracle.snapshot(s, calendar.group_id)
    assert oracle.stored_totals(snap) == oracle.running_totals(snap, calendar)
    assert snap.counts == oracle.value_counts(snap)
    assert len({t[0] for t in oracle.stored_totals(snap).values()}) > 1  # not all one week


def test_a_calendar_change_moves_the_spans_around_period_beginnings() -> None:
    wednesday = datetime(2026, 3, 25, 12, tzinfo=UTC)
    spans = moved_spans(("Asia/Shanghai", 0), ("Europe/Berlin", 0), wednesday)
    # From 1 March (this month) to 35 days ahead: Mondays and firsts of a month, each moved
    # from midnight in Shanghai to midnight in Berlin (UTC+1, then UTC+2 from 29 March).
    assert spans[0] == (
        datetime(2026, 2, 28, 16, tzinfo=UTC),
        datetime(2026, 2, 28, 23, tzinfo=UTC),
    )
    monday = (datetime(2026, 3, 29, 16, tzinfo=UTC), datetime(2026, 3, 29, 22, tzinfo=UTC))
    assert monday in spans
    assert len(set(spans)) == 11  # 1 March, 1 April, and the Mondays from 2 March to 27 April
    later = moved_spans(("Asia/Shanghai", 0), ("Asia/Shanghai", 4), wednesday)
    assert (datetime(2026, 3, 22, 16, tzinfo=UTC), datetime(2026, 3, 22, 20, tzinfo=UTC)) in later
    assert moved_spans(("UTC", 0), ("UTC", 0), wednesday) == []


def test_ranks_share_ties_from_the_top() -> None:
    assert ranks([50, 40, 40, 30, 30, 30, 10]) == [1, 2, 2, 4, 4, 4, 7]
    assert ranks([5, 5, 5]) == [1, 1, 1]
    assert ranks([]) == []


def test_period_starts_in_the_groups_calendar() -> None:
    assert period_starts(date(2026, 4, 1)) == (date(2026, 3, 30), date(2026, 4, 1))
    assert period_starts(date(2026, 3, 29)) == (date(2026, 3, 23), date(2026, 3, 1))


def test_period_deltas_keep_each_members_latest_period() -> None:
    def row(user_id: int, amount: int, reason: str, week: date, month: date) -> dict:
        return {
            "group_id": -1,
            "user_id": user_id,
            "amount": amount,
            "reason": reason,
            "week_start": week,
            "month_start": month,
        }

    w1, w2, mar, apr = date(2026, 3, 23), date(2026, 3, 30), date(2026, 3, 1), date(2026, 4, 1)
    deltas = period_deltas(
        [
            row(1, 10, "checkin", w2, apr),
            row(1, 5, "activity", w1, mar),  # an earlier week and month: over already
            row(1, 20, "streak_bonus", w2, apr),
            row(1, -7, "admin_deduct", w2, apr),  # deductions do not lower the boards
            row(2, 3, "activity", w1, mar),
            row(2, 4, "admin_grant", w2, mar),  # a week of March and April: same month
            row(4, 9, "birthday_bonus", w1, mar),  # for life only: the boards do not move
            row(4, 2, "checkin", w1, mar),
        ]
    )
    # le: lifetime earned (every earning row and birthday bonuses; never a deduction).
    assert sorted(deltas, key=lambda d: d["u"]) == [
        {"g": -1, "u": 1, "w": w2, "wp": 30, "m": apr, "mp": 30, "le": 35},
        {"g": -1, "u": 2, "w": w2, "wp": 4, "m": mar, "mp": 7, "le": 7},
        {"g": -1, "u": 4, "w": w1, "wp": 2, "m": mar, "mp": 2, "le": 11},
    ]
    assert period_deltas([row(3, 8, "admin_deduct", w1, mar)]) == []
    for reason in ("shop_redeem", "shop_refund"):
        assert period_deltas([row(3, -8 if reason == "shop_redeem" else 8, reason, w1, mar)]) == []
    birthday = period_deltas([row(5, 6, "birthday_bonus", w1, mar)])
    assert birthday == [{"g": -1, "u": 5, "w": None, "wp": 0, "m": None, "mp": 0, "le": 6}]
