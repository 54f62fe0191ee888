"""Migration 0011 backfills the numbers from what the tables held, in each group's calendar.

Group 1 is in Europe/Berlin with days starting at 4:00, across the night summer time began
(2026-03-29 01:00 UTC: +1 -> +2). Group 2 has no calendar stored (UTC, midnight).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from core.analytics import reports
from core.analytics.periods import Period
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.types import UTCDateTime

G1, G2 = -1001, -1002
WHEN = UTCDateTime()


def utc(d: int, h: int, m: int = 0) -> datetime:
    return datetime(2026, 3, d, h, m, tzinfo=UTC)


def day(d: int) -> date:
    return date(2026, 3, d)


def _table(name: str, *columns: tuple[str, sa.types.TypeEngine]) -> sa.TableClause:
    return sa.table(name, *(sa.column(c, t) for c, t in columns))


BIG, INT, TEXT, DAY = sa.BigInteger(), sa.Integer(), sa.String(), sa.Date()
GROUP = _table("chat_group", ("id", BIG), ("title", TEXT), ("is_active", sa.Boolean()))
SETTING = _table(
    "group_setting", ("group_id", BIG), ("key", TEXT), ("value", TEXT), ("updated_at", WHEN)
)
MEMBER = _table(
    "member",
    ("group_id", BIG),
    ("user_id", BIG),
    ("first_seen_at", WHEN),
    ("joined_at", WHEN),
    ("left_at", WHEN),
    *((c, INT) for c in ("points", "streak", "best_streak", "checkins", "activity_today")),
)
ZEROS = dict.fromkeys(("points", "streak", "best_streak", "checkins", "activity_today"), 0)
CHECKIN = _table(
    "checkin",
    ("group_id", BIG),
    ("user_id", BIG),
    ("day", DAY),
    ("streak", INT),
    ("points", INT),
    ("created_at", WHEN),
)
LEDGER = _table(
    "ledger_entry",
    ("group_id", BIG),
    ("user_id", BIG),
    ("amount", INT),
    ("reason", TEXT),
    ("source", TEXT),
    ("idempotency_key", TEXT),
    ("created_at", WHEN),
)
REDEMPTION = _table(
    "redemption",
    *(
        (c, t)
        for c, t in (
            ("group_id", BIG),
            ("user_id", BIG),
            ("reward_id", BIG),
            ("reward_number", INT),
            ("reward_name", TEXT),
            ("cost", INT),
            ("mode", TEXT),
            ("status", TEXT),
            ("request_key", TEXT),
            ("created_at", WHEN),
        )
    ),
)
FEEDBACK = _table(
    "feedback_item",
    ("group_id", BIG),
    ("number", INT),
    ("user_id", BIG),
    ("category", TEXT),
    ("status", TEXT),
    ("priority", INT),
    ("text", TEXT),
    ("attachments", TEXT),
    ("source_chat_id", BIG),
    ("created_at", WHEN),
    ("updated_at", WHEN),
)
SURVEY = _table(
    "survey",
    ("id", BIG),
    ("group_id", BIG),
    ("number", INT),
    ("kind", TEXT),
    ("question", TEXT),
    ("created_by", BIG),
    ("created_at", WHEN),
)
ANSWER = _table(
    "survey_answer", ("survey_id", BIG), ("user_id", BIG), ("score", INT), ("answered_at", WHEN)
)
POLL = _table(
    "poll",
    ("id", BIG),
    ("group_id", BIG),
    ("number", INT),
    ("question", TEXT),
    ("options", TEXT),
    ("anonymous", sa.Boolean()),
    ("created_by", BIG),
    ("created_at", WHEN),
)
VOTE = _table(
    "poll_vote", ("poll_id", BIG), ("user_id", BIG), ("option_ids", TEXT), ("answered_at", WHEN)
)


def _ledger(n: int, user: int, amount: int, reason: str, at: datetime, group: int = G1) -> dict:
    return {
        "group_id": group,
        "user_id": user,
        "amount": amount,
        "reason": reason,
        "source": "t",
        "idempotency_key": f"k{n}",
        "created_at": at,
    }


async def _fill(conn: sa.ext.asyncio.AsyncConnection) -> None:
    ins = conn.execute
    await ins(sa.insert(GROUP), [{"id": g, "title": "G", "is_active": True} for g in (G1, G2)])
    await ins(
        sa.insert(SETTING),
        [
            {"group_id": G1, "key": "timezone", "value": "Europe/Berlin", "updated_at": utc(1, 0)},
            {"group_id": G1, "key": "day_start", "value": "4", "updated_at": utc(1, 0)},
        ],
    )
    await ins(
        sa.insert(MEMBER).values(**ZEROS),
        [
            # 23:30 CET, before 4:00: still 03-28
            {"group_id": G1, "user_id": 1, "first_seen_at": utc(28, 22, 30),
             "joined_at": utc(28, 22, 30), "left_at": None},
            # 04:30 CEST: 03-29 (never seen joining)
            {"group_id": G1, "user_id": 2, "first_seen_at": utc(29, 2, 30),
             "joined_at": None, "left_at": None},
            # joined 03:30 CEST (03-28's day), left 14:00 CEST 03-30
            {"group_id": G1, "user_id": 3, "first_seen_at": utc(29, 1, 30),
             "joined_at": utc(29, 1, 30), "left_at": utc(30, 12)},
            {"group_id": G2, "user_id": 5, "first_seen_at": utc(29, 23, 30),
             "joined_at": None, "left_at": None},
        ],
    )  # fmt: skip
    await ins(
        sa.insert(CHECKIN),
        [
            {"group_id": G1, "user_id": 1, "day": day(28), "streak": 1, "points": 10,
             "created_at": utc(28, 22, 40)},
            {"group_id": G1, "user_id": 1, "day": day(29), "streak": 2, "points": 10,
             "created_at": utc(29, 9)},
            {"group_id": G1, "user_id": 1, "day": day(30), "streak": 3, "points": 10,
             "created_at": utc(30, 9)},
            {"group_id": G2, "user_id": 5, "day": day(29), "streak": 1, "points": 10,
             "created_at": utc(29, 23, 30)},
        ],
    )  # fmt: skip
    await ins(
        sa.insert(LEDGER),
        [
            _ledger(1, 1, 10, "checkin", utc(28, 22, 40)),
            _ledger(2, 1, 10, "checkin", utc(29, 9)),
            _ledger(3, 1, 10, "checkin", utc(30, 9)),
            _ledger(4, 2, 1, "activity", utc(29, 2, 30)),
            _ledger(5, 3, 1, "activity", utc(29, 1, 45)),  # 03:45 CEST: 03-28's day
            _ledger(6, 2, 5, "admin_grant", utc(29, 10)),
            _ledger(7, 2, -3, "admin_deduct", utc(29, 11)),  # neither issued nor spent
            _ledger(8, 1, -30, "shop_redeem", utc(30, 10)),
            _ledger(9, 5, 10, "checkin", utc(29, 23, 30), group=G2),
        ],
    )
    await ins(
        sa.insert(REDEMPTION),
        [
            {"group_id": G1, "user_id": 1, "reward_id": 1, "reward_number": 1,
             "reward_name": "Mug", "cost": 30, "mode": "auto", "status": "fulfilled",
             "request_key": "rd1", "created_at": utc(30, 10)},
        ],
    )  # fmt: skip
    await ins(
        sa.insert(FEEDBACK),
        [
            {"group_id": G1, "number": 1, "user_id": 2, "category": "bug", "status": "new",
             "priority": 1, "text": "x", "attachments": "", "source_chat_id": G1,
             "created_at": utc(30, 9), "updated_at": utc(30, 9)},
        ],
    )  # fmt: skip
    await ins(
        sa.insert(SURVEY),
        [{"id": 1, "group_id": G1, "number": 1, "kind": "nps", "question": "?",
          "created_by": 9, "created_at": utc(29, 8)}],
    )  # fmt: skip
    await ins(sa.insert(ANSWER), [{"survey_id": 1, "user_id": 3, "score": 9,
                                   "answered_at": utc(29, 21)}])  # fmt: skip
    await ins(
        sa.insert(POLL),
        [{"id": 1, "group_id": G1, "number": 1, "question": "?", "options": "a\nb",
          "anonymous": False, "created_by": 9, "created_at": utc(30, 8)}],
    )  # fmt: skip
    # 03:00 CEST on 03-31: still 03-30's day
    await ins(sa.insert(VOTE), [{"poll_id": 1, "user_id": 1, "option_ids": "0",
                                 "answered_at": utc(31, 1)}])  # fmt: skip


async def test_backfill_by_hand(empty_db_url: str) -> None:
    engine = create_engine(empty_db_url)
    try:
        await upgrade(engine, "0010")
        async with engine.begin() as conn:
            await _fill(conn)
        await upgrade(engine, "0011")
        async with create_session_factory(engine)() as s:
            md = (
                await s.exec(
                    sa.text(
                        "SELECT day, user_id, active, messages, checkins, answers, feedback, "
                        "redemptions, points_earned, points_spent FROM member_day "
                        f"WHERE group_id = {G1} ORDER BY day, user_id"
                    )
                )
            ).all()
            assert [(str(r[0]), *r[1:]) for r in md] == [
                ("2026-03-28", 1, 1, 0, 1, 0, 0, 0, 10, 0),
                ("2026-03-28", 3, 1, 1, 0, 0, 0, 0, 1, 0),
                ("2026-03-29", 1, 1, 0, 1, 0, 0, 0, 10, 0),
                ("2026-03-29", 2, 1, 1, 0, 0, 0, 0, 6, 0),
                ("2026-03-29", 3, 1, 0, 0, 1, 0, 0, 0, 0),
                ("2026-03-30", 1, 1, 0, 1, 1, 0, 1, 10, 30),
                ("2026-03-30", 2, 1, 0, 0, 0, 1, 0, 0, 0),
            ]
            series = {
                d.day: d for d in await reports.daily_series(s, G1, day(27), date(2026, 4, 10))
            }

            def col(name: str, days: range) -> list[int]:
                return [getattr(series[date(2026, 3, 27) + (n - 27) * (day(2) - day(1))], name)
                        for n in days]  # fmt: skip

            span = range(27, 32)  # 03-27 .. 03-31
            assert col("members", span) == [0, 2, 3, 2, 2]
            assert col("joined", span) == [0, 2, 0, 0, 0]
            assert col("left", span) == [0, 0, 0, 1, 0]
            assert col("dau", span) == [0, 2, 3, 2, 0]
            assert col("checkins", span) == [0, 1, 1, 1, 0]
            assert col("messages", span) == [0, 1, 1, 0, 0]
            assert col("posters", span) == [0, 1, 1, 0, 0]
            assert col("answers", span) == [0, 0, 1, 1, 0]
            assert col("feedback", span) == [0, 0, 0, 1, 0]
            assert col("redemptions", span) == [0, 0, 0, 1, 0]
            assert col("points_issued", span) == [0, 11, 16, 10, 0]
            assert col("points_spent", span) == [0, 0, 0, 30, 0]
            assert col("wau", range(27, 41)) == [0, 2, 3, 3, 3, 3, 3, 3, 3, 2, 0, 0, 0, 0]
            assert col("mau", range(27, 29)) == [0, 2]
            # Saturday 03-28: u1's check-in at 23:40 CET; u3's message at 03:45 CEST.
            matrix = await reports.hour_matrix(s, G1, Period(day(28), day(28)))
            assert {(w, h) for w, row in enumerate(matrix) for h, n in enumerate(row) if n} == {
                (5, 23),
                (5, 3),
            }
            cohorts = await reports.retention_days(s, G1, Period(day(28), day(28)), day(31))
            assert [(c.size, c.active[1]) for c in cohorts] == [(2, 2)]
            weeks = await reports.retention_weeks(s, G1, Period(day(23), day(29)), day(31))
            assert [(c.start, c.size, c.active[1]) for c in weeks] == [(day(23), 2, 1)]
            funnel = await reports.funnel(s, G1, Period(day(28), day(28)))
            assert funnel.steps() == [
                ("joined", 2),
                ("checkin", 1),
                ("streak3", 1),
                ("streak7", 0),
                ("redeem", 1),
            ]
            facts = (
                await s.exec(
                    sa.text(
                        "SELECT user_id, join_day, active_day, active_bits, first_checkin_day, "
                        "streak3_day, streak7_day, first_redeem_day FROM member "
                        f"WHERE group_id = {G1} ORDER BY user_id"
                    )
                )
            ).all()
            shown = [tuple(str(v) if isinstance(v, date) else v for v in r) for r in facts]
            assert shown == [
                (1, "2026-03-28", "2026-03-30", 7, "2026-03-28", "2026-03-30", None,
                 "2026-03-30"),
                (2, None, "2026-03-30", 3, None, None, None, None),
                (3, "2026-03-28", "2026-03-29", 3, None, None, None, None),
            ]  # fmt: skip
            utc_group = await reports.daily_series(s, G2, day(29), day(30))
            assert [(d.members, d.dau, d.checkins) for d in utc_group] == [(1, 1, 1), (1, 0, 0)]
            assert (await reports.hour_matrix(s, G2, Period(day(29), day(29))))[6][23] == 1
    finally:
        await engine.dispose()


async def test_backfill_reads_each_members_days_by_member(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """3,000 joined members with 10 check-ins each: the cohorts' joins look each member's days
    up (SQLite ranged over the whole group's days per member: over a minute here, now well
    under one second; the bound leaves room for a loaded machine)."""
    import time

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'big.db'}")
    members = range(1, 3001)
    try:
        await upgrade(engine, "0010")
        async with engine.begin() as conn:
            await conn.execute(GROUP.insert().values(id=G1, title="Big", is_active=True))
            await conn.execute(
                MEMBER.insert(),
                [
                    {"group_id": G1, "user_id": u, "first_seen_at": utc(1, 9),
                     "joined_at": utc(1, 9), "left_at": None, **ZEROS}
                    for u in members
                ],
            )  # fmt: skip
            await conn.execute(
                CHECKIN.insert(),
                [
                    {"group_id": G1, "user_id": u, "day": day(d), "streak": 1, "points": 5,
                     "created_at": utc(d, 10)}
                    for u in members
                    for d in range(2, 31, 3)
                ],
            )  # fmt: skip
        started = time.monotonic()
        await upgrade(engine, "0011")
        assert time.monotonic() - started < 15
        async with engine.connect() as conn:
            week_one = (
                await conn.execute(sa.text(f"SELECT ret_w1 FROM group_day WHERE group_id = {G1} "
                                           "AND day = '2026-02-23'"))
            ).scalar_one()  # fmt: skip
        assert week_one == 3000  # joined Sunday 1 March (week of 23 Feb), all active in week 1
    finally:
        await engine.dispose()
