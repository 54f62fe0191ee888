"""Every number of a crafted week, through the real handlers, against values worked out by hand.

The group is in Asia/Shanghai (UTC+8): events just after local midnight are the previous UTC
day, and its day start moves from 0:00 to 4:00 in the middle. Joins arrive twice (chat_member
and the service message), a leave too, one update is delivered again, one arrives late.

    local day (weekday)   what happens (local time; day start 0, then 4 from 03-03 12:00)
    03-02 (Mon)  A joins 00:30 and checks in 01:00; B (never seen) writes 23:59;
                 D's message of 10:00 arrives late (after D's 03-04 one)
    03-03 (Tue)  C checks in 00:01 (UTC still 03-02); A writes 10:00; B joins 11:00 (seen
                 before) and checks in 11:05; [day start -> 4]; A checks in at 03:30 on
                 03-04, which is still 03-03 now
    03-04 (Wed)  C writes 04:30; D (never seen) writes 09:00; C leaves 13:00
    03-09 (Mon)  A checks in 10:00 and reacts 11:00
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import select

from core.analytics import reports
from core.analytics.periods import Period
from core.uow import UnitOfWork
from storage.queries.analytics.reports import period_members
from storage.tables import GroupDay, MemberDay
from tests import factories as f
from tests.app_harness import Harness, running_bot

A, B, C, D = (f.user(n, name) for n, name in ((1, "Ann"), (2, "Bob"), (3, "Cy"), (4, "Dee")))
ADMIN = f.user(100, "Ada")
LONG = "a message long enough to earn"


def utc(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def day(n: int) -> date:
    return date(2026, 3, n)


async def _day_start(bot: Harness, hour: int, at: datetime) -> None:
    uow = UnitOfWork(None, factory=bot.app.session_factory)
    try:
        await bot.app.deps["groups"].change(uow, f.GROUP_ID, 100, "day_start", str(hour), at)
    finally:
        await uow.close()


async def _play(bot: Harness) -> dict[str, object]:
    await bot.feed(f.member_update(A, "left", "member", date=utc(1, 16, 30)))
    await bot.feed(f.service_message(A, date=utc(1, 16, 30), new_chat_members=[A]))
    await bot.feed(f.message(A, "签到", date=utc(1, 17)))
    await bot.feed(f.message(B, LONG, date=utc(2, 15, 59)))
    await bot.feed(f.message(C, "签到", date=utc(2, 16, 1)))
    await bot.feed(f.message(A, LONG, date=utc(3, 2)))
    await bot.feed(f.member_update(B, "left", "member", date=utc(3, 3)))
    await bot.feed(f.message(B, "/checkin", date=utc(3, 3, 5)))
    await _day_start(bot, 4, utc(3, 4))
    await bot.feed(f.message(A, "打卡", date=utc(3, 19, 30)))
    again = f.message(C, LONG, date=utc(3, 20, 30))
    await bot.feed(again)
    await bot.feed(f.message(D, LONG, date=utc(4, 1)))
    await bot.feed(f.member_update(C, "member", "left", date=utc(4, 5)))
    await bot.feed(f.service_message(C, date=utc(4, 5), left_chat_member=C))
    await bot.feed(f.message(D, LONG, date=utc(2, 2)))  # late: sent 03-02 10:00
    await bot.feed(again)  # delivered again: changes nothing
    await bot.feed(f.message(A, "签到", date=utc(9, 2)))
    await bot.feed(f.reaction(A, 7, ["👍"], date=utc(9, 3)))
    await bot.feed(f.reaction(A, 7, ["👍"], ["👍"], date=utc(9, 3, 1)))  # nothing added
    return {"again": again}


async def test_a_crafted_week_by_hand(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await _play(bot)
        async with bot.app.session_factory() as s:
            series = await reports.daily_series(s, f.GROUP_ID, day(1), day(10))
            by_day = {d.day: d for d in series}

            def col(name: str) -> list[int]:
                return [getattr(by_day[day(n)], name) for n in range(1, 11)]

            #                            1  2  3  4  5  6  7  8  9 10  (March)
            assert col("members") == [0, 2, 3, 3, 3, 3, 3, 3, 3, 3]
            assert col("joined") == [0, 1, 1, 0, 0, 0, 0, 0, 0, 0]
            assert col("left") == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
            assert col("dau") == [0, 3, 3, 2, 0, 0, 0, 0, 1, 0]
            assert col("wau") == [0, 3, 4, 4, 4, 4, 4, 4, 4, 3]
            assert col("mau") == [0, 3, 4, 4, 4, 4, 4, 4, 4, 4]
            assert col("checkins") == [0, 1, 3, 0, 0, 0, 0, 0, 1, 0]
            assert col("messages") == [0, 2, 1, 2, 0, 0, 0, 0, 0, 0]
            assert col("posters") == [0, 2, 1, 2, 0, 0, 0, 0, 0, 0]
            assert col("reactions") == [0, 0, 0, 0, 0, 0, 0, 0, 1, 0]
            # 10 a check-in, 1 a message long enough (D's late one earns nothing: the
            # activity rule counts a member's messages forward in time).
            assert col("points_issued") == [0, 11, 31, 2, 0, 0, 0, 0, 10, 0]
            assert by_day[day(3)].stickiness == 3 / 4
            assert by_day[day(2)].checkin_rate == 1 / 2

            week = Period(day(2), day(8))
            matrix = await reports.hour_matrix(s, f.GROUP_ID, week)
            nonzero = {(w, h): n for w, row in enumerate(matrix) for h, n in enumerate(row) if n}
            # Monday: A 01h, B 23h, D's late 10h; Tuesday: C 00h, A 10h, B 11h and A's 03:30
            # check-in of the next calendar date (still Tuesday's day after the change);
            # Wednesday: C 04h, D 09h.
            assert nonzero == {
                (0, 1): 1,
                (0, 10): 1,
                (0, 23): 1,
                (1, 0): 1,
                (1, 3): 1,
                (1, 10): 1,
                (1, 11): 1,
                (2, 4): 1,
                (2, 9): 1,
            }
            both = Period(day(2), day(9))
            assert (await reports.hour_matrix(s, f.GROUP_ID, both))[0][10] == 2  # + A on 03-09

            cohorts = await reports.retention_days(s, f.GROUP_ID, both, day(10))
            assert [(c.start, c.size, c.active) for c in cohorts] == [
                (day(2), 1, {1: 1, 7: 1, 14: None, 30: None}),
                (day(3), 1, {1: 0, 7: 0, 14: None, 30: None}),
            ]
            weeks = await reports.retention_weeks(s, f.GROUP_ID, both, day(10))
            assert [(c.start, c.size, c.active[1], c.active[2]) for c in weeks] == [
                (day(2), 2, 1, None)
            ]
            funnel = await reports.funnel(s, f.GROUP_ID, Period(day(1), day(4)))
            assert funnel.steps() == [
                ("joined", 2),
                ("checkin", 2),
                ("streak3", 0),
                ("streak7", 0),
                ("redeem", 0),
            ]
            facts = await reports.members_facts(s, f.GROUP_ID, day(10))
            assert {
                u: (x.last_active_day, x.active_days_30, x.present) for u, x in facts.items()
            } == {
                1: (day(9), 3, True),
                2: (day(3), 2, True),
                3: (day(4), 2, False),
                4: (day(4), 2, True),
            }
            assert facts[1].first_checkin_day == day(2)

            summary = await reports.summary(s, f.GROUP_ID, Period(day(4), day(10)))
            c, p = summary.current, summary.previous
            assert (c.members, c.members_before, c.net, c.joined, c.left) == (3, 3, 0, 0, 1)
            assert (p.members, p.members_before, p.joined) == (3, 0, 2)
            assert (c.dau, c.wau, c.mau) == (3 / 7, 3, 4)
            assert (c.active_members, c.posters, c.messages, c.checkins) == (3, 2, 2, 1)
            assert c.checkin_rate == 1 / 21  # 1 check-in over 7 days of 3 members
            # The previous week's distinct members come from the running WAU, not a pass: the
            # same as the pass over its member days.
            actives, posters, _ = await period_members(s, f.GROUP_ID, p.period.start, p.period.end)
            assert (p.active_members, p.posters) == (actives, posters) == (4, 3)
            assert [(t.name, t.points) for t in summary.top] == [
                ("Ann", 10),
                ("Cy", 1),
                ("Dee", 1),
            ]

            rows = (await s.exec(select(MemberDay).where(MemberDay.user_id == 3))).all()
            assert sorted((r.day, r.active, r.messages, r.checkins) for r in rows) == [
                (day(3), 1, 0, 1),
                (day(4), 1, 1, 0),  # written once, though delivered twice
            ]
            ahead = (
                await s.exec(
                    select(GroupDay.day).where(GroupDay.day > day(9), GroupDay.active > 0)
                )
            ).all()
            assert ahead == []
