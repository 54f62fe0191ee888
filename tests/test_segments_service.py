"""The daily run and the selector on SQLite and PostgreSQL: stages across a timezone and a
day-start boundary, tiers from the ledger, movements counted once, set-based statements."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from core.calendar import day_start_instant, local_day
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.community.settings import COMMUNITY_SETTINGS
from core.segments.service import SegmentService
from core.segments.settings import SEGMENT_SETTINGS, Thresholds
from core.segments.stages import MemberFacts, stage_of
from core.segments.terms import default_registry
from storage.db import SessionFactory
from storage.queries.community import groups as group_rows
from storage.queries.dialect import upsert
from storage.tables import (
    LedgerEntry,
    Member,
    MemberSegment,
    MemberTag,
    SegmentDayCount,
    SegmentMovement,
    SegmentState,
    TgUser,
)

G = -1001777000001
TZ = "Asia/Shanghai"  # UTC+8, day starts at 04:00 local = 20:00 UTC the evening before
DAY_START = 4
D = date(2026, 3, 10)  # the day computed
NOW = datetime(2026, 3, 11, 6, 0, tzinfo=UTC)  # 14:00 local on D+1


def local(day: date, hour: int = 12, minute: int = 0, second: int = 0) -> datetime:
    """An instant at local `hour` on the group's `day` (hours before 04:00 belong to the next
    calendar date)."""
    return day_start_instant(day, TZ, DAY_START) + timedelta(
        hours=hour - DAY_START, minutes=minute, seconds=second
    )


def ago(days: int) -> date:
    return D - timedelta(days=days)


async def setup_group(session_factory: SessionFactory, gid: int = G) -> GroupSettings:
    groups = GroupService(
        session_factory, TZ, "en", sections=[COMMUNITY_SETTINGS, SEGMENT_SETTINGS]
    )
    pinned = {"timezone": TZ, "language": "en", "day_start": str(DAY_START)}
    async with session_factory() as s:
        await group_rows.register(s, gid, "Seg", NOW - timedelta(days=400), pinned)
        await s.commit()
    return await groups.settings_for(gid)


async def add_members(
    session_factory: SessionFactory, members: list[dict[str, Any]], gid: int = G
) -> None:
    async with session_factory() as s:
        await s.exec(
            sa.insert(Member.__table__),
            params=[
                {
                    "group_id": gid,
                    "first_seen_at": NOW - timedelta(days=300),
                    "joined_at": None,
                    "left_at": None,
                    "last_active_at": None,
                    **m,
                }
                for m in members
            ],
        )
        await s.exec(
            upsert(s, TgUser.__table__).on_conflict_do_nothing(),
            params=[
                {"id": m["user_id"], "display_name": f"M{m['user_id']}", "username": None}
                for m in members
            ],
        )
        await s.commit()


_keys = iter(range(10**9))


async def earn(
    session_factory: SessionFactory,
    user_id: int,
    amount: int,
    at: datetime,
    reason: str,
    gid: int = G,
) -> None:
    async with session_factory() as s:
        await s.exec(
            sa.insert(LedgerEntry.__table__).values(
                group_id=gid,
                user_id=user_id,
                amount=amount,
                reason=reason,
                source="test",
                idempotency_key=f"t:{next(_keys)}",
                created_at=at,
            )
        )
        await s.commit()


async def segments(session_factory: SessionFactory) -> dict[int, tuple[str, str, int, date]]:
    async with session_factory() as s:
        rows = (
            await s.exec(sa.select(MemberSegment.__table__).where(MemberSegment.group_id == G))
        ).all()
    return {r.user_id: (r.stage, r.tier, r.earned_30d, r.stage_since) for r in rows}


async def moves(session_factory: SessionFactory, day: date) -> dict[tuple[str, str, str], int]:
    async with session_factory() as s:
        rows = (
            await s.exec(
                sa.select(SegmentMovement.__table__).where(
                    SegmentMovement.group_id == G, SegmentMovement.day == day
                )
            )
        ).all()
    return {(r.kind, r.from_name, r.to_name): r.members for r in rows}


def service(session_factory: SessionFactory, now: datetime = NOW) -> SegmentService:
    groups = GroupService(
        session_factory, TZ, "en", sections=[COMMUNITY_SETTINGS, SEGMENT_SETTINGS]
    )
    return SegmentService(session_factory, groups, default_registry(), clock=lambda: now)


# Members: user id -> what they did (local days of the group's calendar).
CROWD: list[dict[str, Any]] = [
    {"user_id": 1, "last_active_at": local(ago(2))},  # active
    {"user_id": 2, "last_active_at": local(ago(9))},  # at risk
    {"user_id": 3, "last_active_at": local(ago(20))},  # dormant
    {"user_id": 4, "last_active_at": local(ago(45))},  # churned (quiet)
    {"user_id": 5, "last_active_at": local(ago(1)), "left_at": local(ago(1), 18)},  # left
    {"user_id": 6, "joined_at": local(ago(2)), "last_active_at": local(ago(2))},  # new
    # 04:00 local on D-6 is the first instant of D-6: active; a second earlier is D-7: at risk
    {"user_id": 8, "last_active_at": local(ago(6), 4)},
    {"user_id": 9, "last_active_at": local(ago(6), 3, 59, 59)},
    # 02:00 local on the calendar date after D-7 still belongs to D-7 (day starts at 04:00)
    {"user_id": 10, "last_active_at": local(ago(7), 26)},
    {"user_id": 11, "last_active_at": local(ago(0), 23)},  # active late on D
    {"user_id": 12, "last_active_at": local(ago(14), 4)},  # first instant of dormant
    {"user_id": 13, "last_active_at": local(ago(30), 4)},  # first instant of churned
    {"user_id": 14, "joined_at": local(ago(7), 4), "last_active_at": local(ago(7), 4)},
]


async def test_daily_run_stages_tiers_and_movements(session_factory: SessionFactory) -> None:
    group = await setup_group(session_factory)
    await add_members(session_factory, CROWD)
    # The ledger of the 30 days ending D: D-29 04:00 local is in, a second before is out.
    await earn(session_factory, 1, 100, local(ago(3)), "checkin")
    await earn(session_factory, 1, 40, local(ago(29), 4), "activity")
    await earn(session_factory, 1, 999, local(ago(29), 3, 59, 59), "checkin")  # before
    await earn(session_factory, 2, 60, local(ago(9)), "admin_grant")
    await earn(session_factory, 2, 500, local(ago(9)), "shop_refund")  # not earned
    await earn(session_factory, 2, -30, local(ago(9)), "admin_deduct")  # not earned
    await earn(session_factory, 3, 60, local(ago(20)), "feedback")  # ties with 2
    await earn(session_factory, 5, 1000, local(ago(2)), "checkin")  # left: not ranked
    await earn(session_factory, 6, 10, local(ago(2)), "checkin")
    await earn(session_factory, 11, 5, local(ago(0), 27), "checkin")  # 03:00 on D+1: D
    await earn(session_factory, 8, 7, local(ago(-1), 5), "checkin")  # D+1: after the window

    svc = service(session_factory)
    report = await svc.refresh(group, D)
    assert report.recorded and report.read == len(CROWD) and report.members == 12
    # 12 present members: core = rank ceil(1.2) = 2 -> 60 (2 and 3 tie: both core, 1 above);
    # regular = rank ceil(4.8) = 5 -> the 5th earner: 1 (140), 2, 3 (60), 6 (10), 11 (5).
    assert (report.cuts.core_min, report.cuts.regular_min) == (60, 5)
    expected = {
        1: ("active", "core", 140, D),
        2: ("at_risk", "core", 60, D),
        3: ("dormant", "core", 60, ago(20) + timedelta(days=14)),
        4: ("churned", "casual", 0, ago(45) + timedelta(days=30)),
        5: ("churned", "casual", 0, ago(1)),
        6: ("new", "regular", 10, ago(2)),
        8: ("active", "casual", 0, D),
        9: ("at_risk", "casual", 0, D),
        10: ("at_risk", "casual", 0, D),
        11: ("active", "regular", 5, D),
        12: ("dormant", "casual", 0, D),
        13: ("churned", "casual", 0, D),
        14: ("at_risk", "casual", 0, D),
    }
    assert await segments(session_factory) == expected
    first = await moves(session_factory, D)
    assert first[("stage", "none", "active")] == 3
    assert first[("stage", "none", "churned")] == 3
    assert first[("tier", "none", "core")] == 3
    assert sum(n for (k, _, _), n in first.items() if k == "stage") == len(CROWD)

    # The same day again (a restart, a second leader): nothing moves, nothing is recorded.
    again = await svc.refresh(group, D)
    assert not again.recorded and again.written == 0 and again.moves == 0
    assert await moves(session_factory, D) == first

    # The next day: the dormant member is back, the active one went quiet long ago enough.
    async with session_factory() as s:
        await s.exec(
            sa.update(Member.__table__)
            .where(Member.group_id == G, Member.user_id == 3)
            .values(last_active_at=local(D + timedelta(days=1), 9))
        )
        await s.commit()
    nxt = await service(session_factory, NOW + timedelta(days=1)).refresh(group)
    assert nxt.day == D + timedelta(days=1) and nxt.recorded
    after = await segments(session_factory)
    assert after[3][:2] == ("returned", "core") and after[3][3] == D + timedelta(days=1)
    assert after[9][0] == "at_risk" and after[8][0] == "at_risk"  # 7 quiet days now
    day2 = await moves(session_factory, D + timedelta(days=1))
    assert day2[("stage", "dormant", "returned")] == 1
    assert day2[("stage", "active", "at_risk")] == 1  # member 8
    async with session_factory() as s:
        counts = {
            (r.kind, r.name): r.members
            for r in (
                await s.exec(
                    sa.select(SegmentDayCount.__table__).where(
                        SegmentDayCount.group_id == G, SegmentDayCount.day == D
                    )
                )
            ).all()
        }
        state = await s.get(SegmentState, G)
    assert counts[("stage", "churned")] == 3 and counts[("left", "left")] == 1
    assert counts[("stage", "at_risk")] == 4 and counts[("tier", "core")] == 3
    assert sum(n for (k, _), n in counts.items() if k == "tier") == 12
    assert state is not None and state.computed_day == D + timedelta(days=1)

    async with session_factory() as s:
        ov = await svc.overview(s, group, NOW + timedelta(days=1))
    assert ov.computed_day == D + timedelta(days=1)
    assert ("stage", "dormant", "returned", 1) in ov.moves
    assert all(m[1] != "none" for m in ov.moves)


async def test_two_runs_at_once_count_each_move_once(session_factory: SessionFactory) -> None:
    group = await setup_group(session_factory)
    await add_members(
        session_factory,
        [{"user_id": i, "last_active_at": local(ago(i % 40))} for i in range(1, 301)],
    )
    svc = service(session_factory)
    reports = await asyncio.gather(
        svc.refresh(group, D), service(session_factory).refresh(group, D)
    )
    assert sorted(r.recorded for r in reports) == [False, True]
    found = await moves(session_factory, D)
    assert sum(n for (k, _, _), n in found.items() if k == "stage") == 300
    assert sum(n for (k, _, _), n in found.items() if k == "tier") == 300


async def test_statements_do_not_grow_with_members(session_factory: SessionFactory) -> None:
    """Set-based: a group of 20 members and one of 1,500 cost the same statements, on the
    first run and on the next day's."""
    engine = session_factory.kw["bind"]
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement.split()[0])

    async def runs(gid: int, n: int) -> list[list[str]]:
        group = await setup_group(session_factory, gid)
        await add_members(
            session_factory,
            [{"user_id": i, "last_active_at": local(ago(i % 40))} for i in range(1, n + 1)],
            gid,
        )
        async with session_factory() as s:
            await s.exec(
                sa.insert(LedgerEntry.__table__),
                params=[
                    {
                        "group_id": gid,
                        "user_id": i,
                        "amount": i % 50 + 1,
                        "reason": "checkin",
                        "source": "test",
                        "idempotency_key": f"{gid}:{i}",
                        "created_at": local(ago(i % 20)),
                    }
                    for i in range(1, n + 1, 3)
                ],
            )
            await s.commit()
        found = []
        for day in (D, D + timedelta(days=1)):
            statements.clear()
            event.listen(engine.sync_engine, "before_cursor_execute", count)
            try:
                await service(session_factory).refresh(group, day)
            finally:
                event.remove(engine.sync_engine, "before_cursor_execute", count)
            found.append(list(statements))
        return found

    small = await runs(G, 20)
    big = await runs(G - 1, 1_500)
    assert small == big
    assert len(small[0]) < 50


async def test_selector_resolves_like_a_hand_count(session_factory: SessionFactory) -> None:
    group = await setup_group(session_factory)
    await add_members(session_factory, CROWD)
    svc = service(session_factory)
    await svc.refresh(group, D)
    async with session_factory() as s:
        for user_id, tag in [(1, "vip"), (3, "vip"), (5, "vip"), (2, "staff"), (1, "staff")]:
            await s.exec(
                sa.insert(MemberTag.__table__).values(
                    group_id=G, user_id=user_id, tag=tag, tagged_by=1, created_at=NOW
                )
            )
        await s.commit()
    # Two members first seen after the run: one joined (new), one just spoke (active).
    await add_members(
        session_factory,
        [
            {"user_id": 20, "joined_at": NOW, "first_seen_at": NOW},
            {"user_id": 21, "last_active_at": NOW, "first_seen_at": NOW},
        ],
    )
    cases = {
        "dormant+tag:vip": [3],
        "tag:vip": [1, 3],  # 5 left
        "churned+tag:vip": [5],  # churned reaches members who left
        "tag:vip,churned": [1, 3, 4, 5, 13],
        "all-tag:staff": [3, 4, 6, 8, 9, 10, 11, 12, 13, 14, 20, 21],
        "active-tag:staff": [8, 11, 21],
        "new,returned": [6, 20],
        "at_risk": [2, 9, 10, 14],
        "core": [],  # nobody earned anything
        "casual-(active,new)": [2, 3, 4, 9, 10, 12, 13, 14],
        "tag:nobody": [],
    }
    async with session_factory() as s:
        for text, expected in cases.items():
            node = svc.parse(text)
            assert await svc.count(s, group, node, NOW) == len(expected), text
            assert await svc.member_ids(s, group, node, NOW) == expected, text
        page = await svc.select(s, group, svc.parse("all"), NOW, limit=5)
        assert page.count == 14 and [r.user_id for r in page.rows] == [1, 2, 3, 4, 6]
        assert page.next_after == 6
        rest = await svc.select(s, group, svc.parse("all"), NOW, after=page.next_after, limit=20)
        assert [r.user_id for r in rest.rows][:2] == [8, 9] and rest.next_after is None
        assert (await svc.select(s, group, svc.parse("tag:vip-tag:nobody"), NOW)).unknown_tags == [
            "nobody"
        ]


async def test_the_runs_sql_applies_the_stage_rules(session_factory: SessionFactory) -> None:
    """Every combination of quiet days (on and around the thresholds and the day start), join,
    leave and previous stage: the stage the run stores is the one stages.stage_of gives."""
    group = await setup_group(session_factory)
    quiet = [0, 1, 5, 6, 7, 8, 12, 13, 14, 15, 28, 29, 30, 31, 60]
    activity = [local(ago(k), 4) for k in quiet] + [local(ago(k), 3, 59, 59) for k in quiet]
    joins = [None, 0, 6, 7, 40]
    before: list[tuple[str | None, int]] = [
        (None, 0),
        ("new", 3),
        ("active", 30),
        ("at_risk", 9),
        ("dormant", 20),
        ("churned", 40),
        ("returned", 13),
        ("returned", 14),
    ]
    members: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    facts: dict[int, MemberFacts] = {}
    user_id = 0
    for seen in activity:
        for joined in joins:
            for stage, since in before:
                for left in (False, True) if joined == 0 else (False,):
                    user_id += 1
                    joined_at = None if joined is None else local(ago(joined), 10)
                    left_at = local(ago(0), 11) if left else None
                    members.append(
                        {
                            "user_id": user_id,
                            "last_active_at": seen,
                            "joined_at": joined_at,
                            "left_at": left_at,
                        }
                    )
                    if stage is not None:
                        rows.append(
                            {
                                "group_id": G,
                                "user_id": user_id,
                                "stage": stage,
                                "stage_since": ago(since),
                                "tier": "casual",
                                "earned_30d": 0,
                            }
                        )
                    signs = [t for t in (seen, joined_at, NOW - timedelta(days=300)) if t]
                    facts[user_id] = MemberFacts(
                        user_id,
                        last_day=local_day(max(signs), TZ, DAY_START),
                        joined_day=local_day(joined_at, TZ, DAY_START) if joined_at else None,
                        left_day=local_day(left_at, TZ, DAY_START) if left_at else None,
                        stage=stage,
                        since=ago(since) if stage else None,
                    )
    await add_members(session_factory, members)
    async with session_factory() as s:
        await s.exec(sa.insert(MemberSegment.__table__), params=rows)
        await s.commit()
    await service(session_factory).refresh(group, D)
    stored = await segments(session_factory)
    wrong = {
        u: (stored[u][0], stage_of(f, Thresholds(), D)[0], f)
        for u, f in facts.items()
        if stored[u][0] != stage_of(f, Thresholds(), D)[0]
    }
    assert not wrong, list(wrong.values())[:5]
    assert len(facts) > 1000


async def test_the_leaders_sweep_runs_due_groups_once_and_survives_a_failure(
    session_factory: SessionFactory,
) -> None:
    for gid in (G, G - 1):
        await setup_group(session_factory, gid)
        await add_members(
            session_factory, [{"user_id": i, "last_active_at": local(ago(i))} for i in (1, 9)], gid
        )
    ticks = [0.0]
    groups = GroupService(
        session_factory, TZ, "en", sections=[COMMUNITY_SETTINGS, SEGMENT_SETTINGS]
    )

    class Broken:
        def condition(self, q: Any) -> Any:
            raise RuntimeError("model unavailable")

    svc = SegmentService(
        session_factory,
        groups,
        default_registry(),
        clock=lambda: NOW,
        at_risk=Broken(),
        monotonic=lambda: ticks[0],
    )
    await svc.sweep()  # both runs fail: logged, nothing recorded, nothing raised
    assert await svc.due() and len(await svc.due()) == 2
    svc.at_risk = SegmentService(session_factory, groups, default_registry()).at_risk
    ticks[0] += 61  # the next look for due groups; the failed ones wait RETRY_AFTER
    await svc.sweep()
    assert len(await svc.due()) == 2
    ticks[0] += 600
    await svc.sweep()  # the whole round: the fake clock never uses up the budget
    assert await svc.due() == []
    async with session_factory() as s:
        states = (await s.exec(sa.select(SegmentState.__table__))).all()
    assert sorted((r.group_id, r.computed_day) for r in states) == [(G - 1, D), (G, D)]
    await svc.sweep()  # nothing due: nothing done
