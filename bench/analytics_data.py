"""A generated community for the analytics benches: one group, N members over a year, written
straight into the tables (bulk inserts on SQLite, COPY on PostgreSQL), not through the bot.

`python -m bench.analytics_data --members 100000 [--db sqlite|postgresql] [--seed 25]` builds
(or finds in the cache) the database and prints its size; `generate(...)` does the same from
code, `simulate(...)` yields every member's life without any database (the prediction bench
compares a model with the known process that made the data).

The process (a member's day, from the day they join until they churn, all known by seed):
- Founders (25%) are there from the first day, never seen joining; the others join on a day
  drawn from a growing rate (twice as many joiners at the end of the year as at its start).
- Engagement e ~ Beta(2.8, 2.0): the base chance of being active on a day.
- Tenure: a novelty boost for the first 14 days (x1.8 falling to x1), then fading interest,
  e x 0.5^(tenure / half_life), half_life ~ log-normal (median 240 days).
- Weekday habit: half are weekday people (x1.15 Mon-Fri, x0.6 weekends), a fifth weekend
  people (x0.8 / x1.5), the rest flat.
- Streaks: active yesterday makes today likelier, x(1 + 0.04 * streak) up to a 10-day streak
  (capped at 0.97).
- Churn: a daily hazard of 0.1%, 1.5% after two weeks without activity; a churned member leaves
  the group (40%) or stays silent.
- On an active day: a check-in with the member's propensity ~ Beta(2.5, 1.5); messages for
  chatters (70%), geometric with a mean ~ log-normal (median 2.6); a reaction (10%); at an hour
  near the member's preferred one (morning, noon or evening); a redemption of 300 points
  now and then once 500 are saved.

Points follow the bot's defaults: 10 a check-in, +20 at a 7-day and +100 at a 30-day streak,
1 a message up to 20 a day. The derived tables (group_day, the members' facts) are computed
here with the same definitions the bot's recorder keeps (core/analytics/recording.py). Not
generated: the ledger (members' balances are set directly), tg_user names beyond "Member n".
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import sqlite3
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

GROUP = -1009000000025
FIRST_USER = 5_000_000
END = date(2026, 11, 30)  # the last generated day (a fixed year: results are reproducible)
TZ_OFFSET = timedelta(hours=8)  # the group is in Asia/Shanghai, days start at midnight
VERSION = 1  # bump when the process or the schema written changes: the caches are rebuilt
CHUNK = 50_000
RETENTION_DAYS = (1, 7, 14, 30)


@dataclass(slots=True)
class Traits:
    engagement: float
    half_life: float
    habit: str  # weekday | weekend | flat
    checkin: float
    chatter: bool
    message_mean: float
    hour: int


@dataclass(slots=True)
class Life:
    """One member's year: what they are, when they came and went, what they did each day."""

    user_id: int
    traits: Traits
    first_day: date
    joined: bool  # seen joining on first_day (founders were there already)
    left_day: date | None
    # (day, checked_in, messages, reactions, redeemed_points, hour, streak after the day)
    days: list[tuple[date, bool, int, int, int, int, int]] = field(default_factory=list)


_HABIT = {
    "weekday": (1.15, 1.15, 1.15, 1.15, 1.15, 0.6, 0.6),
    "weekend": (0.8, 0.8, 0.8, 0.8, 0.8, 1.5, 1.5),
    "flat": (1.0,) * 7,
}


def _traits(rng: random.Random) -> Traits:
    roll = rng.random()
    return Traits(
        engagement=rng.betavariate(2.8, 2.0),
        half_life=240.0 * math.exp(rng.gauss(0, 0.8)),
        habit="weekday" if roll < 0.5 else "weekend" if roll < 0.7 else "flat",
        checkin=rng.betavariate(2.5, 1.5),
        chatter=rng.random() < 0.7,
        message_mean=2.6 * math.exp(rng.gauss(0, 0.8)),
        hour=rng.choices((8, 12, 21), (0.3, 0.2, 0.5))[0],
    )


def simulate(members: int, days: int = 365, seed: int = 25) -> Iterator[Life]:
    """Every member's life, in user order (deterministic for a seed)."""
    rng = random.Random(seed)
    draw = rng.random
    start = END - timedelta(days=days - 1)
    last = END.toordinal()
    for index in range(members):
        traits = _traits(rng)
        founder = draw() < 0.25
        # Growing joins: the density of the join day rises linearly (1 -> 2) over the year.
        offset = 0 if founder else int(days * (math.sqrt(1 + 3 * draw()) - 1))
        first = start + timedelta(days=min(offset, days - 1))
        life = Life(FIRST_USER + index, traits, first, not founder, None)
        habit = _HABIT[traits.habit]
        weekday = first.weekday()
        fading, decay = traits.engagement, 0.5 ** (1 / traits.half_life)
        q = 1 / (1 + traits.message_mean)
        log_q = math.log(1 - q)
        streak = idle = saved = tenure = 0
        ordinal = first.toordinal()
        while ordinal <= last:
            p = fading * habit[weekday]
            if tenure < 14 and not founder:
                p *= 1.8 - 0.8 * tenure / 14
            if streak:
                p *= 1 + 0.04 * (streak if streak < 10 else 10)
            if draw() < (p if p < 0.97 else 0.97):
                checked = draw() < traits.checkin
                streak = streak + 1 if checked else 0
                messages = int(math.log(1 - draw()) / log_q) if traits.chatter else 0
                saved += 10 * checked + (messages if messages < 20 else 20)
                spent = 0
                if saved >= 500 and draw() < 0.05:
                    spent, saved = 300, saved - 300
                hour = int(traits.hour + rng.gauss(0, 1.5)) % 24
                reactions = 1 if draw() < 0.1 else 0
                life.days.append(
                    (date.fromordinal(ordinal), checked, messages, reactions, spent, hour, streak)
                )
                idle = 0
            else:
                streak = 0
                idle += 1
            if draw() < (0.015 if idle >= 14 else 0.001):
                if draw() < 0.4:
                    life.left_day = date.fromordinal(ordinal)
                break
            ordinal += 1
            tenure += 1
            weekday = (weekday + 1) % 7
            fading *= decay
        yield life


@dataclass
class Built:
    """The rows of every table, as tuples in each table's column order (see _COLUMNS)."""

    members: list[tuple[Any, ...]] = field(default_factory=list)
    users: list[tuple[Any, ...]] = field(default_factory=list)
    checkins: list[tuple[Any, ...]] = field(default_factory=list)
    member_days: list[tuple[Any, ...]] = field(default_factory=list)
    # column -> day ordinal -> amount
    columns: dict[str, defaultdict[int, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def group_days(self) -> dict[date, dict[str, int]]:
        days: dict[date, dict[str, int]] = {}
        for column, values in self.columns.items():
            for ordinal, amount in values.items():
                if amount:
                    days.setdefault(date.fromordinal(ordinal), {})[column] = amount
        return days


def _instant(day: date, hour: int, minute: int = 0) -> datetime:
    """A local time of the group, in UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - TZ_OFFSET


def build(lives: Iterator[Life]) -> Built:
    """Rows of member, tg_user, checkin, member_day and the group's days (deltas included),
    with the definitions of core/analytics/recording.py (days as ordinals: Monday is 1 mod 7)."""
    out = Built()
    col = out.columns
    active, posters, messages_col, checkins_col = (
        col["active"], col["posters"], col["messages"], col["checkins"]
    )  # fmt: skip
    issued, wau, mau = col["points_issued"], col["wau_delta"], col["mau_delta"]
    hours = [col[f"h{h:02d}"] for h in range(24)]
    totals = {"members": 0, "checkins": 0, "messages": 0, "active_days": 0}
    member_days, checkin_rows = out.member_days, out.checkins
    for life in lives:
        totals["members"] += 1
        u = life.user_id
        out.users.append((u, f"Member {u - FIRST_USER}"))
        first = life.first_day.toordinal()
        col["members_delta"][first] += 1
        if life.joined:
            col["joins"][first] += 1
        if life.left_day is not None:
            col["leaves"][life.left_day.toordinal()] += 1
            col["members_delta"][life.left_day.toordinal()] -= 1
        join = first if life.joined else None
        join_monday = None if join is None else join - (join - 1) % 7
        prev: int | None = None
        last_week = -1
        firsts: dict[str, date] = {}
        points = checkins = lifetime = best = 0
        last_checkin: date | None = None
        for day, checked, messages, reactions, spent, hour, streak in life.days:
            o = day.toordinal()
            earned = 0
            if checked:
                bonus = 20 if streak == 7 else 100 if streak == 30 else 0
                earned += 10 + bonus
                checkins += 1
                last_checkin = day
                checkin_rows.append((GROUP, u, day, streak, 10 + bonus, _instant(day, hour)))
                if "checkin" not in firsts:
                    firsts["checkin"] = day
                if streak >= 3 and "streak3" not in firsts:
                    firsts["streak3"] = day
                if streak >= 7 and "streak7" not in firsts:
                    firsts["streak7"] = day
                checkins_col[o] += 1
            earned += messages if messages < 20 else 20
            if spent:
                firsts.setdefault("redeem", day)
                col["redemptions"][o] += 1
                col["points_spent"][o] += spent
            points += earned - spent
            lifetime += earned
            if streak > best:
                best = streak
            member_days.append(
                (GROUP, day, u, 1, messages, int(checked), 0, reactions, 0, 0, int(bool(spent)),
                 earned, spent)
            )  # fmt: skip
            active[o] += 1
            hours[hour][o] += int(checked) + messages + reactions + int(bool(spent))
            if messages:
                posters[o] += 1
                messages_col[o] += messages
            if reactions:
                col["reactions"][o] += reactions
            issued[o] += earned
            wau[o if prev is None or prev + 7 <= o else prev + 7] += 1
            wau[o + 7] -= 1
            mau[o if prev is None or prev + 30 <= o else prev + 30] += 1
            mau[o + 30] -= 1
            week = o - (o - 1) % 7
            if join is not None and o > join:
                offset = o - join
                if offset in RETENTION_DAYS:
                    col[f"ret_d{offset}"][join] += 1
                weeks = (week - join_monday) // 7
                if 1 <= weeks <= 8 and week != last_week:
                    col[f"ret_w{weeks}"][join_monday] += 1
            last_week = week
            prev = o
            totals["messages"] += messages
            totals["active_days"] += 1
        totals["checkins"] += checkins
        if join is not None:
            for step in firsts:
                col[f"fun_{step}"][join] += 1
        active_day = life.days[-1][0] if life.days else None
        bits = 0
        if active_day is not None:
            top = active_day.toordinal()
            for entry in reversed(life.days):
                gap = top - entry[0].toordinal()
                if gap >= 62:
                    break
                bits |= 1 << gap
        current = life.days[-1][6] if life.days and life.days[-1][0] == last_checkin else 0
        out.members.append(
            (GROUP, u, _instant(life.first_day, 9),
             _instant(life.first_day, 9) if life.joined else None,
             _instant(life.left_day, 18) if life.left_day else None,
             _instant(active_day, life.traits.hour) if active_day else None,
             max(points, 0), current, best, checkins, last_checkin, lifetime, 0,
             life.first_day if life.joined else None, active_day, bits,
             firsts.get("checkin"), firsts.get("streak3"), firsts.get("streak7"),
             firsts.get("redeem"))
        )  # fmt: skip
    out.totals = totals
    return out


_COLUMNS = {
    "tg_user": ("id", "display_name"),
    "member": (
        "group_id", "user_id", "first_seen_at", "joined_at", "left_at", "last_active_at",
        "points", "streak", "best_streak", "checkins", "last_checkin_day", "lifetime_earned",
        "activity_today",
        "join_day", "active_day", "active_bits", "first_checkin_day", "streak3_day",
        "streak7_day", "first_redeem_day",
    ),
    "checkin": ("group_id", "user_id", "day", "streak", "points", "created_at"),
    "member_day": (
        "group_id", "day", "user_id", "active", "messages", "checkins", "presses", "reactions",
        "answers", "feedback", "redemptions", "points_earned", "points_spent",
    ),
}  # fmt: skip


def _group_day_rows(built: Built) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    from storage.tables.analytics import GROUP_DAY_COUNTS

    columns = ("group_id", "day", *GROUP_DAY_COUNTS)
    rows = [
        (GROUP, day, *(counts.get(c, 0) for c in GROUP_DAY_COUNTS))
        for day, counts in sorted(built.group_days.items())
    ]
    return columns, rows


# ---- writing ----------------------------------------------------------------------------------
def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _write_sqlite(path: Path, built: Built) -> None:
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA synchronous=OFF")
        db.execute("PRAGMA cache_size=-500000")
        db.execute(
            "INSERT INTO chat_group (id, title, is_active, added_at) VALUES (?, ?, 1, ?)",
            (GROUP, "Analytics bench", _sqlite_value(_instant(END - timedelta(days=400), 9))),
        )
        for key, value in (("timezone", "Asia/Shanghai"), ("day_start", "0"), ("language", "en")):
            db.execute(
                "INSERT INTO group_setting (group_id, key, value, updated_at) VALUES (?,?,?,?)",
                (GROUP, key, value, "2025-01-01 00:00:00.000000"),
            )
        db.execute("DROP INDEX ix_member_day_member")
        gd_columns, gd_rows = _group_day_rows(built)
        tables = [
            ("tg_user", _COLUMNS["tg_user"], built.users),
            ("member", _COLUMNS["member"], built.members),
            ("checkin", _COLUMNS["checkin"], built.checkins),
            ("group_day", gd_columns, gd_rows),
        ]
        for table, columns, rows in tables:
            statement = (
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})"
            )
            for i in range(0, len(rows), CHUNK):
                db.executemany(
                    statement, [tuple(map(_sqlite_value, r)) for r in rows[i : i + CHUNK]]
                )
        # member_day is keyed by day first: load it sorted (a B-tree filled in order).
        columns = _COLUMNS["member_day"]
        db.execute(f"CREATE TEMP TABLE staged ({', '.join(columns)})")
        staged = f"INSERT INTO staged VALUES ({', '.join('?' for _ in columns)})"
        rows = built.member_days
        for i in range(0, len(rows), CHUNK):
            db.executemany(staged, [tuple(map(_sqlite_value, r)) for r in rows[i : i + CHUNK]])
        db.execute(
            f"INSERT INTO member_day ({', '.join(columns)}) SELECT * FROM staged "
            "ORDER BY group_id, day, user_id"
        )
        db.execute("DROP TABLE staged")
        db.execute("CREATE INDEX ix_member_day_member ON member_day (group_id, user_id, day)")
        db.commit()
        db.execute("ANALYZE")
        db.commit()
    finally:
        db.close()


async def _write_postgres(url: str, built: Built) -> None:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute(
            "INSERT INTO chat_group (id, title, is_active, added_at) VALUES ($1, $2, true, $3)",
            GROUP,
            "Analytics bench",
            _instant(END - timedelta(days=400), 9),
        )
        for key, value in (("timezone", "Asia/Shanghai"), ("day_start", "0"), ("language", "en")):
            await conn.execute(
                "INSERT INTO group_setting (group_id, key, value, updated_at) "
                "VALUES ($1, $2, $3, now())",
                GROUP,
                key,
                value,
            )
        await conn.execute("DROP INDEX ix_member_day_member")
        gd_columns, gd_rows = _group_day_rows(built)
        # In the order a live group writes them: day by day (a period's rows are then a few
        # heap pages apart, as in life, not scattered over the whole table).
        by_day = sorted(built.member_days, key=lambda r: (r[1], r[2]))
        for table, columns, rows in (
            ("tg_user", _COLUMNS["tg_user"], built.users),
            ("member", _COLUMNS["member"], built.members),
            ("checkin", _COLUMNS["checkin"], sorted(built.checkins, key=lambda r: r[2])),
            ("group_day", gd_columns, gd_rows),
            ("member_day", _COLUMNS["member_day"], by_day),
        ):
            await conn.copy_records_to_table(table, records=rows, columns=list(columns))
        await conn.execute(
            "CREATE INDEX ix_member_day_member ON member_day (group_id, user_id, day)"
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


# ---- caching -------------------------------------------------------------------------------
CACHE_DIR = Path(os.environ.get("BENCH_CACHE", Path(tempfile.gettempdir()) / "community-bench"))


def _head() -> str:
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config

    return "-".join(sorted(ScriptDirectory.from_config(alembic_config()).get_heads()))


def cache_name(members: int, days: int, seed: int) -> str:
    return f"analytics_{members}_{days}_{seed}_v{VERSION}_r{_head()}"


async def _migrated(url: str) -> None:
    from storage.db import create_engine
    from storage.migrate import upgrade

    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


@dataclass(frozen=True)
class Generated:
    url: str
    members: int
    days: int
    seconds: float  # spent generating (0: found in the cache)
    totals: dict[str, int]


_BUILT: dict[tuple[int, int, int], Built] = {}


def _built(members: int, days: int, seed: int) -> Built:
    """Built once per process (a run making both databases simulates once)."""
    key = (members, days, seed)
    if key not in _BUILT:
        _BUILT.clear()
        _BUILT[key] = build(simulate(members, days, seed))
    return _BUILT[key]


async def generate_sqlite(members: int, days: int = 365, seed: int = 25) -> Generated:
    """A SQLite file with the group (made once, then found in the cache)."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 (once, before the work)
    path = CACHE_DIR / f"{cache_name(members, days, seed)}.db"
    url = f"sqlite+aiosqlite:///{path}"
    if path.exists():
        return Generated(url, members, days, 0.0, _stored_totals(path))
    started = time.perf_counter()
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    await _migrated(f"sqlite+aiosqlite:///{partial}")
    built = _built(members, days, seed)
    _write_sqlite(partial, built)
    partial.rename(path)
    return Generated(url, members, days, time.perf_counter() - started, built.totals)


def _stored_totals(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        (members,) = db.execute("SELECT count(*) FROM member").fetchone()
        (checkins, messages, active) = db.execute(
            "SELECT sum(checkins), sum(messages), sum(active) FROM group_day"
        ).fetchone()
    finally:
        db.close()
    return {"members": members, "checkins": checkins, "messages": messages, "active_days": active}


async def generate_postgres(
    admin_dsn: str, members: int, days: int = 365, seed: int = 25
) -> tuple[str, Generated]:
    """A template database with the group (made once); returns its name and description.
    Copy it for a run (`CREATE DATABASE x TEMPLATE name`): see copy_postgres."""
    import asyncpg

    name = cache_name(members, days, seed).lower()
    admin = await asyncpg.connect(admin_dsn)
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if exists:
            url = _pg_url(admin_dsn, name)
            conn = await asyncpg.connect(_pg_url(admin_dsn, name, driver=False))
            try:
                row = await conn.fetchrow(
                    "SELECT (SELECT count(*) FROM member) AS members, sum(checkins) AS checkins,"
                    " sum(messages) AS messages, sum(active) AS active_days FROM group_day"
                )
            finally:
                await conn.close()
            return name, Generated(url, members, days, 0.0, {k: int(v) for k, v in row.items()})
        building = f"{name}_partial"
        await admin.execute(f'DROP DATABASE IF EXISTS "{building}"')
        await admin.execute(f'CREATE DATABASE "{building}"')
    finally:
        await admin.close()
    started = time.perf_counter()
    url = _pg_url(admin_dsn, building)
    await _migrated(url)
    built = _built(members, days, seed)
    await _write_postgres(url, built)
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    finally:
        await admin.close()
    took = time.perf_counter() - started
    return name, Generated(_pg_url(admin_dsn, name), members, days, took, built.totals)


async def copy_postgres(admin_dsn: str, template: str, name: str) -> str:
    import asyncpg

    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        await admin.close()
    return _pg_url(admin_dsn, name)


async def drop_postgres(admin_dsn: str, name: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def _pg_url(admin_dsn: str, name: str, driver: bool = True) -> str:
    base = admin_dsn.rsplit("/", 1)[0]
    scheme = "postgresql+asyncpg://" if driver else "postgresql://"
    return scheme + base.split("://", 1)[1] + "/" + name


async def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.analytics_data")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=25)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--pg", default=os.environ.get("TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/test")
    )
    args = parser.parse_args()
    if args.db in ("sqlite", "both"):
        made = await generate_sqlite(args.members, args.days, args.seed)
        print(f"SQLite: {made.url} ({made.seconds:.0f} s) {made.totals}")
    if args.db in ("postgresql", "both"):
        name, made = await generate_postgres(args.pg, args.members, args.days, args.seed)
        print(f"PostgreSQL: template {name} ({made.seconds:.0f} s) {made.totals}")


if __name__ == "__main__":
    asyncio.run(main())
