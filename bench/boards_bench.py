"""Leaderboard and /me latency in one big group, through the project's own core functions.

Two shapes: "spread" (below) and "ties", where most members are tied and the ties fall at the
cut of every board: every member checked in once two days ago, 30% again yesterday, 10% a
third time today (10 points each), so tens of thousands share each value.

The group is built with bulk SQL in a throwaway database: the schema of the first migration,
members, users and ledger rows (generate_series on PostgreSQL, a recursive CTE on SQLite), then
the remaining migrations (which derive whatever they keep from the ledger). Every read is timed
in its own session, as a handler would run it: one warm-up call, then the median of five.

Data (deterministic): ledger rows spread over the last 90 days and skewed towards the first
members (a few very active, a long tail); reasons mostly check-ins, some bonuses, activity,
grants and deducts; every 20th member has left; 30% of members have a live streak (1-60, many
ties); "now" is a fixed Thursday late in a month. For each board the viewer is the present
member with the smallest positive value (the longest rank count), and, separately, the leader.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from statistics import median
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from core.calendar import day_start_instant, local_day, month_start, week_start
from core.community.groups import GroupService
from core.community.settings import COMMUNITY_SETTINGS
from core.engagement.leaderboard import leaderboard
from core.engagement.profile import profile_in_group
from core.engagement.settings import ACTIVITY_SETTINGS, CHECKIN_SETTINGS
from core.growth.invites import InviteService
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade

GROUP = -1009000000003
FIRST_USER = 1_000_000
TIMEZONE = "Asia/Shanghai"
DAY_START = 4
SPAN = 90 * 86_400  # seconds of history
# "Now" of the reads, fixed so that every run sees the same periods: a Thursday evening in
# Shanghai, late in the month (the week started on Monday, the month 26 days ago).
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
BOARDS = ("points", "streak", "checkins", "week", "month", "invites")
EARNING = "('checkin', 'streak_bonus', 'activity', 'admin_grant')"


@dataclass(frozen=True)
class BoardsResult:
    build_seconds: float
    migrate_seconds: float
    # board or "me" -> (tail viewer ms, leader ms, members ranked)
    latencies: dict[str, tuple[float, float, int]]
    # command -> ms through the bot (Dispatcher, middlewares, handler, reply), /help included
    through_the_bot: dict[str, float]


THROUGH_THE_BOT = (
    "/help",
    "/top",
    "/top checkins",
    "/top streak",
    "/top week",
    "/top month",
    "/me",
)
ROUNDS = 7


async def _through_the_bot(url: str, viewers: list[int]) -> dict[str, float]:
    """Each command as a member sends it in the group, through the whole bot in-process
    (Telegram answered in-process), interleaved round by round; median ms after a warm-up
    round. The viewers take turns (each is seen once before, as a member who speaks)."""
    from aiogram.types import Update
    from pydantic import SecretStr

    from bot.config import Settings
    from composition.app import create_app, ready_for_traffic
    from devtools.inprocess import InProcessSession

    settings = Settings(
        bot_token=SecretStr("123456:BENCH"),
        database_url=url,
        default_timezone=TIMEZONE,
        outbound_global_per_second=100000.0,
        outbound_group_per_minute=100000.0,
        outbound_private_per_second=100000.0,
    )
    app = await create_app(settings, bot_session=InProcessSession(record=False))
    ready_for_traffic(app)
    app.outbox.start()
    start = 50_000_000 + int(time.time()) % 100_000 * 100  # fresh ids in a database used before
    ids = iter(range(start, start + 10_000_000))
    samples: dict[str, list[float]] = {command: [] for command in THROUGH_THE_BOT}
    try:
        for round_ in range(ROUNDS + 1):
            for index, command in enumerate(THROUGH_THE_BOT):
                user = viewers[(round_ * len(THROUGH_THE_BOT) + index) % len(viewers)]
                update = Update.model_validate(
                    {
                        "update_id": next(ids),
                        "message": {
                            "message_id": next(ids),
                            "date": int(time.time()),
                            "chat": {"id": GROUP, "type": "supergroup", "title": "Big group"},
                            "from": {"id": user, "is_bot": False, "first_name": f"M{user}"},
                            "text": command,
                            "entities": [
                                {
                                    "type": "bot_command",
                                    "offset": 0,
                                    "length": len(command.split()[0]),
                                }
                            ],
                        },
                    }
                )
                started = time.perf_counter()
                await app.processor.process([update])
                await app.processor.drain(10)
                if round_:
                    samples[command].append(time.perf_counter() - started)
    finally:
        await app.close()
    return {command: _ms(values) for command, values in samples.items()}


def _series(dialect: str, name: str, bind: str) -> str:
    """A FROM clause yielding integers 1..:bind as `name`."""
    if dialect == "postgresql":
        return f"generate_series(CAST(1 AS bigint), :{bind}) AS s({name})"
    return (
        f"(WITH RECURSIVE s({name}) AS (SELECT 1 UNION ALL SELECT {name} + 1 FROM s "
        f"WHERE {name} < :{bind}) SELECT {name} FROM s) AS s"
    )


def _statements(dialect: str) -> list[str]:
    pg = dialect == "postgresql"
    series_i = _series(dialect, "i", "n")
    series_j = _series(dialect, "j", "l")
    # x in [0, 1): a hash of the row number; x*x skews rows towards the first members.
    x = "(((j * 2654435761) % 1000003) / 1000003.0)"
    user = (
        f"{FIRST_USER + 1} + floor(:n * {x} * {x})::bigint"
        if pg
        else f"{FIRST_USER + 1} + CAST(:n * {x} * {x} AS INTEGER)"
    )
    offset = f"((j * 40503) % {SPAN})"
    created = (
        f"CAST(:now AS timestamptz) - {offset} * interval '1 second'"
        if pg
        else f"strftime('%Y-%m-%d %H:%M:%S', :now_epoch - {offset}, 'unixepoch') || '.000000'"
    )
    amount = (
        "CASE WHEN j % 20 < 14 THEN 10 WHEN j % 20 = 14 THEN 20 WHEN j % 20 < 18 THEN 1 "
        "WHEN j % 20 = 18 THEN j % 50 + 1 ELSE -(j % 5 + 1) END"
    )
    reason = (
        "CASE WHEN j % 20 < 14 THEN 'checkin' WHEN j % 20 = 14 THEN 'streak_bonus' "
        "WHEN j % 20 < 18 THEN 'activity' WHEN j % 20 = 18 THEN 'admin_grant' "
        "ELSE 'admin_deduct' END"
    )
    day = (
        "CAST(:today AS date) - CAST({k} AS integer)"
        if pg
        else "date(:today, '-' || ({k}) || ' days')"
    )
    live = day.format(k="i % 2")
    dead = day.format(k="3 + i % 30")
    greatest = "GREATEST" if pg else "MAX"
    t0, left_at = (
        ("CAST(:t0 AS timestamptz)", "CAST(:left_at AS timestamptz)")
        if pg
        else (
            ":t0",
            ":left_at",
        )
    )
    return [
        f"INSERT INTO tg_user (id, username, display_name) "
        f"SELECT {FIRST_USER} + i, 'member' || i, 'Member ' || i FROM {series_i}",
        f"INSERT INTO member (group_id, user_id, first_seen_at, joined_at, left_at, points, "
        f"streak, best_streak, checkins, last_checkin_day, activity_today) "
        f"SELECT :g, {FIRST_USER} + i, {t0}, {t0}, CASE WHEN i % 20 = 0 THEN {left_at} END, 0, "
        f"(i * 7919) % 60 + 1, (i * 7919) % 60 + 1, 0, "
        f"CASE WHEN (i * 31) % 10 < 3 THEN {live} ELSE {dead} END, 0 FROM {series_i}",
        f"INSERT INTO ledger_entry (group_id, user_id, amount, reason, note, source, actor_id, "
        f"idempotency_key, created_at) "
        f"SELECT :g, {user}, {amount}, {reason}, NULL, 'bench', NULL, 'bench:' || j, {created} "
        f"FROM {series_j}",
        f"UPDATE member SET points = {greatest}(s.total, 0), checkins = s.n "
        f"FROM (SELECT user_id, sum(amount) AS total, "
        f"sum(CASE WHEN reason = 'checkin' THEN 1 ELSE 0 END) AS n "
        f"FROM ledger_entry WHERE group_id = :g GROUP BY user_id) AS s "
        f"WHERE member.group_id = :g AND member.user_id = s.user_id",
    ]


def _tied_statements(dialect: str) -> list[str]:
    """Every member checked in two days ago; i % 4 == 0 or i % 10 == 0 also yesterday (30%),
    i % 10 == 0 also today (10%): the values 10, 20 and 30 points, 1 to 3 check-ins."""
    pg = dialect == "postgresql"
    series_i = _series(dialect, "i", "n")
    day = (
        "CAST(:today AS date) - CAST({k} AS integer)"
        if pg
        else "date(:today, '-' || ({k}) || ' days')"
    )
    count = "(1 + CASE WHEN i % 4 = 0 OR i % 10 = 0 THEN 1 ELSE 0 END + CASE WHEN i % 10 = 0 THEN 1 ELSE 0 END)"
    last = day.format(k=f"3 - {count}")
    # Check-in k (1..3) of member i, at noon of its day (two days ago, yesterday, today).
    created = (
        "CAST(:noon AS timestamptz) - (3 - k) * interval '1 day'"
        if pg
        else "strftime('%Y-%m-%d %H:%M:%S', :noon_epoch - (3 - k) * 86400, 'unixepoch') || '.000000'"
    )
    series_k = "(SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3) AS ks"
    t0 = "CAST(:t0 AS timestamptz)" if pg else ":t0"
    return [
        f"INSERT INTO tg_user (id, username, display_name) "
        f"SELECT {FIRST_USER} + i, 'member' || i, 'Member ' || i FROM {series_i}",
        f"INSERT INTO member (group_id, user_id, first_seen_at, joined_at, left_at, points, "
        f"streak, best_streak, checkins, last_checkin_day, activity_today) "
        f"SELECT :g, {FIRST_USER} + i, {t0}, {t0}, NULL, 10 * {count}, {count}, {count}, "
        f"{count}, {last}, 0 FROM {series_i}",
        f"INSERT INTO ledger_entry (group_id, user_id, amount, reason, note, source, actor_id, "
        f"idempotency_key, created_at) "
        f"SELECT :g, {FIRST_USER} + i, 10, 'checkin', NULL, 'bench', NULL, "
        f"'bench:' || i || ':' || k, {created} FROM {series_i}, {series_k} WHERE k <= {count}",
    ]


async def build(
    engine: AsyncEngine, members: int, ledger_rows: int, now: datetime, shape: str = "spread"
) -> float:
    """The group at the first migration's schema, bulk-inserted; returns the seconds taken."""
    dialect = engine.dialect.name
    today = local_day(now, TIMEZONE, DAY_START)
    params: dict[str, Any] = {
        "g": GROUP,
        "n": members,
        "l": ledger_rows,
        "t0": now - timedelta(seconds=SPAN + 86_400),
        "left_at": now - timedelta(days=1),
        "now": now,
        "now_epoch": int(now.timestamp()),
        "today": today if dialect == "postgresql" else today.isoformat(),
        "noon": day_start_instant(today, TIMEZONE, DAY_START) + timedelta(hours=8),
    }
    params["noon_epoch"] = int(params["noon"].timestamp())
    if dialect == "sqlite":  # naive UTC text, as the bot's own column type stores it
        for key in ("t0", "left_at", "noon"):
            params[key] = params[key].strftime("%Y-%m-%d %H:%M:%S.%f")
    started = time.perf_counter()
    await upgrade(engine, "0001")
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO chat_group (id, title, is_active, timezone, day_start_hour, "
                "language, checkin_points, milestones, activity_points, activity_min_length, "
                "activity_cooldown_seconds, activity_daily_cap) VALUES (:g, 'Big group', "
                ":active, :tz, :h, 'en', 10, '7:20,30:100', 1, 5, 60, 20)"
            ),
            {"g": GROUP, "active": True, "tz": TIMEZONE, "h": DAY_START},
        )
        statements = _tied_statements(dialect) if shape == "ties" else _statements(dialect)
        for statement in statements:
            used = {k: v for k, v in params.items() if f":{k}" in statement}
            await conn.execute(text(statement), used)
    return time.perf_counter() - started


async def _inviters(engine: AsyncEngine) -> None:
    """Successful invites (/top invites): every 10th member brought 1-50 newcomers, most a
    few (members who left stay on the tally, off the board)."""
    x = "((m.user_id * 7919) % 1000)"
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO invite_tally (group_id, user_id, invites, present) "
                f"SELECT m.group_id, m.user_id, 1 + {x} * {x} / 20000, m.left_at IS NULL "
                "FROM member m WHERE m.group_id = :g AND m.user_id % 10 = 0"
            ),
            {"g": GROUP},
        )
        await conn.execute(
            text(
                "INSERT INTO invite_value_count (group_id, invites, members) "
                "SELECT group_id, invites, count(*) FROM invite_tally "
                "WHERE group_id = :g AND present = :yes GROUP BY group_id, invites"
            ),
            {"g": GROUP, "yes": True},
        )


async def _analyze(engine: AsyncEngine) -> None:
    """PostgreSQL: what autovacuum would have done by now (statistics, visibility map).
    SQLite: nothing (the bot never runs ANALYZE there)."""
    if engine.dialect.name != "postgresql":
        return
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM ANALYZE"))


async def _viewers(engine: AsyncEngine, now: datetime) -> dict[str, tuple[int, int, int]]:
    """Per board: (present member with the smallest positive value, the leader, how many
    members the board ranks)."""
    today = local_day(now, TIMEZONE, DAY_START)
    yesterday = today - timedelta(days=1)
    since = {
        "week": day_start_instant(week_start(today), TIMEZONE, DAY_START),
        "month": day_start_instant(month_start(today), TIMEZONE, DAY_START),
    }
    sqlite = engine.dialect.name == "sqlite"
    present = "m.group_id = :g AND m.left_at IS NULL"
    values = {
        "points": f"SELECT m.user_id, m.points AS v FROM member m WHERE {present}",
        "checkins": f"SELECT m.user_id, m.checkins AS v FROM member m WHERE {present}",
        "streak": f"SELECT m.user_id, m.streak AS v FROM member m WHERE {present} "
        "AND m.last_checkin_day >= :yesterday",
        "invites": "SELECT t.user_id, t.invites AS v FROM invite_tally t "
        "WHERE t.group_id = :g AND t.present = :yes",
        "period": f"SELECT l.user_id, sum(l.amount) AS v FROM ledger_entry l JOIN member m "
        f"ON m.group_id = l.group_id AND m.user_id = l.user_id WHERE {present} "
        f"AND l.created_at >= :since AND l.reason IN {EARNING} GROUP BY l.user_id",
    }
    found: dict[str, tuple[int, int, int]] = {}
    async with engine.connect() as conn:
        for board in (*BOARDS, "me"):
            source = values.get(board, values["period"] if board in since else values["points"])
            params: dict[str, Any] = {"g": GROUP}
            if board == "invites":
                params["yes"] = True
            if board == "streak":
                params["yesterday"] = yesterday.isoformat() if sqlite else yesterday
            if board in since:
                at = since[board]
                params["since"] = at.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else at
            picks = []
            for order in ("v ASC, user_id DESC", "v DESC, user_id ASC"):
                sql = f"SELECT user_id FROM ({source}) AS b WHERE v > 0 ORDER BY {order} LIMIT 1"
                picks.append(int((await conn.execute(text(sql), params)).scalar_one()))
            sql = f"SELECT count(*) FROM ({source}) AS b WHERE v > 0"
            ranked = int((await conn.execute(text(sql), params)).scalar_one())
            found[board] = (picks[0], picks[1], ranked)
    return found


def _ms(samples: list[float]) -> float:
    return median(samples) * 1000


async def measure(
    url: str, members: int, ledger_rows: int, calls: int = 5, shape: str = "spread"
) -> BoardsResult:
    now = NOW
    engine = create_engine(url)
    try:
        build_seconds = await build(engine, members, ledger_rows, now, shape)
        started = time.perf_counter()
        await upgrade(engine)
        migrate_seconds = time.perf_counter() - started
        await _inviters(engine)
        await _analyze(engine)
        viewers = await _viewers(engine, now)
        factory = create_session_factory(engine)
        sections = [COMMUNITY_SETTINGS, CHECKIN_SETTINGS, ACTIVITY_SETTINGS]
        groups = GroupService(factory, "UTC", "en", sections=sections)
        group = await groups.settings_for(GROUP, "Bench")
        invites = InviteService(factory, groups, clock=lambda: now)

        async def board_call(kind: str, viewer: int) -> None:
            async with factory() as session:
                if kind == "invites":
                    board = await invites.board(session, group, viewer, now)
                else:
                    board = await leaderboard(session, group, kind, viewer, now)
            assert board.entries, f"{kind}: empty board"

        async def me_call(_: str, viewer: int) -> None:
            async with factory() as session:
                await profile_in_group(session, group, viewer, now)

        latencies: dict[str, tuple[float, float, int]] = {}
        for kind in (*BOARDS, "me"):
            call = me_call if kind == "me" else board_call
            pair = []
            for viewer in viewers[kind][:2]:
                await call(kind, viewer)  # warm-up: connection, compiled statements, caches
                samples = []
                for _ in range(calls):
                    started = time.perf_counter()
                    await call(kind, viewer)
                    samples.append(time.perf_counter() - started)
                pair.append(_ms(samples))
            latencies[kind] = (pair[0], pair[1], viewers[kind][2])
        # Members far down every board (the tail viewers), as the senders.
        senders = sorted({viewers[kind][0] for kind in ("points", "checkins", "me")})
        bot = await _through_the_bot(url, senders)
        return BoardsResult(build_seconds, migrate_seconds, latencies, bot)
    finally:
        await engine.dispose()


def report(name: str, members: int, ledger_rows: int, result: BoardsResult) -> None:
    rows = f"{ledger_rows:,} ledger rows" if ledger_rows else "1-3 check-ins each"
    print(
        f"{name}: {members:,} members, {rows} "
        f"(built in {result.build_seconds:.1f} s, migrations to head {result.migrate_seconds:.1f} s)"
    )
    print(f"  {'':14} {'tail viewer':>12} {'leader':>8} {'ranked':>10}   (median of 5, ms)")
    for kind, (tail, leader, ranked) in result.latencies.items():
        label = "/me" if kind == "me" else f"/top {kind}"
        print(f"  {label:14} {tail:12.1f} {leader:8.1f} {ranked:10,}")
    help_ms = result.through_the_bot["/help"]
    print(f"  through the bot, a tail member sending it (median of {ROUNDS}, ms; vs /help):")
    for command, ms in result.through_the_bot.items():
        print(f"  {command:14} {ms:12.1f} {ms - help_ms:+8.1f}")
