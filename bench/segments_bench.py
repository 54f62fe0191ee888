"""Segments in one big group: the daily run, /segments, selector counts and pages, /whois.

The group is built with bulk SQL at the current schema (generate_series on PostgreSQL, a
recursive CTE on SQLite): M members whose last activity is spread over 120 days (skewed to
recent: most are active, a tail is dormant or churned), joins over the year before it, every
20th member gone; L ledger rows over the last 35 days, skewed to the first members (a few earn
a lot); every 20th member tagged vip, every 50th staff. "Now" is fixed.

Measured through the project's own code, each read in its own session as a handler runs it
(one warm-up, then the median of five): the first daily run (every member classified), the
next day's run (what moved), the longest single step of a run (how long one transaction holds
the database: SQLite's only connection), /segments' overview, selector counts, a page of 20
members, a /whois card.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from statistics import median
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from core.calendar import local_day
from core.community.groups import GroupService
from core.community.settings import COMMUNITY_SETTINGS
from core.segments.card import CardSections, builtin_sections, card_context
from core.segments.refresh import RunReport, run_steps
from core.segments.service import SegmentService
from core.segments.settings import SEGMENT_SETTINGS
from core.segments.terms import default_registry
from core.shop.levels import SHOP_SETTINGS
from storage.db import SessionFactory, create_engine, create_session_factory
from storage.migrate import upgrade

GROUP = -1009000000025
FIRST_USER = 5_000_000
TIMEZONE = "Asia/Shanghai"
DAY_START = 4
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
SELECTORS = ("dormant+tag:vip", "new,returned", "all-tag:staff", "core-tag:vip", "churned")


@dataclass(frozen=True)
class SegmentsResult:
    build_seconds: float
    runs: list[tuple[str, float, float, int, int]]  # (label, seconds, longest step, steps, moves)
    reads: dict[str, float]  # what -> median ms
    counts: dict[str, int]  # selector -> members


def _series(dialect: str, name: str, bind: str) -> str:
    if dialect == "postgresql":
        return f"generate_series(CAST(1 AS bigint), :{bind}) AS s({name})"
    return (
        f"(WITH RECURSIVE s({name}) AS (SELECT 1 UNION ALL SELECT {name} + 1 FROM s "
        f"WHERE {name} < :{bind}) SELECT {name} FROM s) AS s"
    )


def _ago(dialect: str, seconds: str) -> str:
    """The instant `seconds` (an SQL expression) before :now, as the column type stores it."""
    if dialect == "postgresql":
        return f"CAST(:now AS timestamptz) - ({seconds}) * interval '1 second'"
    return f"strftime('%Y-%m-%d %H:%M:%S', :now_epoch - ({seconds}), 'unixepoch') || '.000000'"


def _statements(dialect: str) -> list[str]:
    pg = dialect == "postgresql"
    cast = (lambda e: f"floor({e})::bigint") if pg else (lambda e: f"CAST({e} AS INTEGER)")
    x = "(((i * 2654435761) % 1000003) / 1000003.0)"  # a hash of i in [0, 1)
    y = "(((i * 40503) % 999983) / 999983.0)"
    last = cast(f"{x} * {x} * 120 * 86400")
    joined = cast(f"{x} * {x} * 120 * 86400 + {y} * 240 * 86400")
    gone = _ago(dialect, cast(f"{y} * 60 * 86400"))
    series_i = _series(dialect, "i", "n")
    series_j = _series(dialect, "j", "l")
    xj = "(((j * 2654435761) % 1000003) / 1000003.0)"
    user = f"{FIRST_USER + 1} + " + cast(f":n * {xj} * {xj}")
    amount = "CASE WHEN j % 10 < 6 THEN 10 WHEN j % 10 < 9 THEN 1 ELSE 50 END"
    reason = (
        "CASE WHEN j % 10 < 6 THEN 'checkin' WHEN j % 10 < 9 THEN 'activity' "
        "ELSE 'admin_grant' END"
    )
    return [
        f"INSERT INTO tg_user (id, username, display_name) "
        f"SELECT {FIRST_USER} + i, 'member' || i, 'Member ' || i FROM {series_i}",
        f"INSERT INTO member (group_id, user_id, first_seen_at, joined_at, left_at, "
        f"last_active_at, points, streak, best_streak, checkins, activity_today) "
        f"SELECT :g, {FIRST_USER} + i, {_ago(dialect, joined)}, {_ago(dialect, joined)}, "
        f"CASE WHEN i % 20 = 0 THEN {gone} END, {_ago(dialect, last)}, i % 500, i % 9, "
        f"i % 30, i % 60, 0 FROM {series_i}",
        f"INSERT INTO ledger_entry (group_id, user_id, amount, reason, note, source, actor_id, "
        f"idempotency_key, created_at) "
        f"SELECT :g, {user}, {amount}, {reason}, NULL, 'bench', NULL, 'bench:' || j, "
        f"{_ago(dialect, '(j * 40503) % (35 * 86400)')} FROM {series_j}",
        f"INSERT INTO member_tag (group_id, user_id, tag, tagged_by, created_at) "
        f"SELECT :g, {FIRST_USER} + i, 'vip', 1, {_ago(dialect, '0')} FROM {series_i} "
        f"WHERE i % 20 = 3",
        f"INSERT INTO member_tag (group_id, user_id, tag, tagged_by, created_at) "
        f"SELECT :g, {FIRST_USER} + i, 'staff', 1, {_ago(dialect, '0')} FROM {series_i} "
        f"WHERE i % 50 = 7",
    ]


async def build(engine: AsyncEngine, members: int, ledger_rows: int) -> float:
    dialect = engine.dialect.name
    params: dict[str, Any] = {
        "g": GROUP,
        "n": members,
        "l": ledger_rows,
        "now": NOW,
        "now_epoch": int(NOW.timestamp()),
    }
    started = time.perf_counter()
    await upgrade(engine)
    async with engine.begin() as conn:
        await conn.execute(
            text("INSERT INTO chat_group (id, title, is_active) VALUES (:g, 'Big group', :a)"),
            {"g": GROUP, "a": True},
        )
        for key, value in (("timezone", TIMEZONE), ("day_start", str(DAY_START))):
            await conn.execute(
                text(
                    "INSERT INTO group_setting (group_id, key, value, updated_at) "
                    "VALUES (:g, :k, :v, :at)"
                ),
                {
                    "g": GROUP,
                    "k": key,
                    "v": value,
                    "at": NOW if dialect == "postgresql" else NOW.strftime("%Y-%m-%d %H:%M:%S"),
                },
            )
        for statement in _statements(dialect):
            used = {k: v for k, v in params.items() if f":{k}" in statement}
            await conn.execute(text(statement), used)
    if dialect == "postgresql":
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE"))
    return time.perf_counter() - started


async def _timed_run(
    factory: SessionFactory, svc: SegmentService, group: Any, day: date, label: str
) -> tuple[str, float, float, int, int]:
    report = RunReport(GROUP, day)
    steps = run_steps(factory, group, day, at_risk=svc.at_risk, clock_now=NOW, report=report)
    longest, count = 0.0, 0
    started = time.perf_counter()
    while True:
        step = time.perf_counter()
        try:
            await anext(steps)
        except StopAsyncIteration:
            longest = max(longest, time.perf_counter() - step)  # the record step
            break
        longest = max(longest, time.perf_counter() - step)
        count += 1
    assert report.recorded, "the run did not record its day"
    return label, time.perf_counter() - started, longest, count + 1, report.moves


async def _median_ms(call: Any, calls: int = 5) -> float:
    await call()
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - started)
    return median(samples) * 1000


async def measure(url: str, members: int, ledger_rows: int) -> SegmentsResult:
    engine = create_engine(url)
    try:
        build_seconds = await build(engine, members, ledger_rows)
        factory = create_session_factory(engine)
        groups = GroupService(
            factory,
            "UTC",
            "en",
            sections=[COMMUNITY_SETTINGS, SEGMENT_SETTINGS, SHOP_SETTINGS],
        )
        group = await groups.settings_for(GROUP, "Bench")
        svc = SegmentService(factory, groups, default_registry(), clock=lambda: NOW)
        day = local_day(NOW, TIMEZONE, DAY_START) - timedelta(days=1)
        runs = [await _timed_run(factory, svc, group, day, "first run (everyone classified)")]
        runs.append(
            await _timed_run(factory, svc, group, day + timedelta(days=1), "next day's run")
        )
        later = NOW + timedelta(days=1)
        reads: dict[str, float] = {}
        counts: dict[str, int] = {}

        async def overview() -> None:
            async with factory() as session:
                await svc.overview(session, group, later)

        reads["/segments overview"] = await _median_ms(overview)
        for selector in SELECTORS:
            node = svc.parse(selector)

            async def count(node: Any = node, selector: str = selector) -> None:
                async with factory() as session:
                    counts[selector] = await svc.count(session, group, node, later)

            reads[f"count {selector}"] = await _median_ms(count)

        async def page() -> None:
            async with factory() as session:
                await svc.select(session, group, svc.parse("dormant+tag:vip"), later)

        reads["page of 20 (dormant+tag:vip, with its count)"] = await _median_ms(page)
        sections = CardSections(builtin_sections())

        async def whois() -> None:
            async with factory() as session:
                ctx = await card_context(session, group, FIRST_USER + 1, later)
                assert ctx is not None
                await sections.lines(ctx)

        reads["/whois card"] = await _median_ms(whois)
        return SegmentsResult(build_seconds, runs, reads, counts)
    finally:
        await engine.dispose()


def report(name: str, members: int, ledger_rows: int, result: SegmentsResult) -> None:
    print(
        f"{name}: {members:,} members, {ledger_rows:,} ledger rows "
        f"(built in {result.build_seconds:.1f} s)"
    )
    for label, seconds, longest, steps, moves in result.runs:
        print(
            f"  {label:34} {seconds:7.2f} s  longest step {longest * 1000:6.0f} ms "
            f"({steps} steps, {moves:,} moves)"
        )
    for what, ms in result.reads.items():
        extra = ""
        if what.startswith("count "):
            extra = f"  ({result.counts[what.removeprefix('count ')]:,} members)"
        print(f"  {what:46} {ms:8.1f} ms{extra}")
