"""The weekly report, in-process with a moving clock: sent in private to the administrator
who started the bot (the one who never did is skipped), with the week's numbers, the North
Star, segments, the members most at risk, the best and worst post and four charts (real PNGs);
exactly once per group and week through two runs and a "restart"; a new week sends again; the
off switch stops it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from aiogram.methods import SendMediaGroup, SendMessage

from bot.replies import plain
from composition.app import create_app
from core.segments.ranking import at_risk_ranking
from devtools.inprocess import InProcessSession
from handlers.numbers.weekly_report import WeeklyReports
from storage.tables import PostOccurrence, PostVote, ScheduledPost
from tests import factories as f
from tests.app_harness import Harness
from tests.conftest import make_settings
from tests.inline_worker import InlineWorker

SHANGHAI = ZoneInfo("Asia/Shanghai")
ADMIN = f.user(100, "Ada", username="ada")
SILENT_ADMIN = f.user(101, "Sam", username="sam")  # never started the bot
BOB = f.user(200, "Bob", username="bob")
EVE = f.user(300, "Eve", username="eve")


def last_monday_0901() -> datetime:
    local = datetime.now(UTC).astimezone(SHANGHAI)
    monday = local.date() - timedelta(days=local.weekday())
    at = datetime(monday.year, monday.month, monday.day, 9, 1, tzinfo=SHANGHAI)
    if at > local:
        at -= timedelta(days=7)
    return at.astimezone(UTC)


class NoPictures:
    """A worker for the later weeks (the first week's charts are drawn for real): each chart
    has nothing to draw, so the report goes out without an album."""

    async def run(self, fn, /, *args, timeout=None):  # type: ignore[no-untyped-def]
        return [None] * len(args[0]) if args else True


@asynccontextmanager
async def app_at(db_url: str, clock: list[datetime]) -> AsyncIterator[Harness]:
    session = InProcessSession(admins={(f.GROUP_ID, 100), (f.GROUP_ID, 101)})
    app = await create_app(make_settings(db_url), bot_session=session, clock=lambda: clock[0])
    app.outbox.start()
    try:
        yield Harness(app, session)
    finally:
        await app.close()


def reports_of(bot: Harness, clock: list[datetime], worker: InlineWorker) -> WeeklyReports:
    """A WeeklyReports as a process builds it (a new one: a restart, or another process)."""
    deps = bot.app.deps
    return WeeklyReports(
        deps["session_factory"],
        deps["report_sessions"],
        deps["groups"],
        deps["outbox"],
        deps["locales"],
        worker,
        clock=lambda: clock[0],
        segments=deps["segments"],
        ranking=lambda: at_risk_ranking(deps),
        check_every=0.0,
    )


async def _ab_post(bot: Harness, at: datetime) -> int:
    """A post with two variants sent in the week; Bob found B useful."""
    async with bot.app.session_factory() as s:
        post_id = (
            await s.exec(
                sa.insert(ScheduledPost.__table__)
                .values(
                    group_id=f.GROUP_ID,
                    created_by=100,
                    rule="daily 09:00",
                    text="Tip A || Tip B",
                    status="active",
                    anchor_at=at,
                    runs=2,
                    created_at=at,
                    updated_at=at,
                )
                .returning(ScheduledPost.__table__.c.id)
            )
        ).scalar_one()
        for variant, day in ((0, 3), (1, 2)):
            sent = at - timedelta(days=day)
            await s.exec(
                sa.insert(PostOccurrence.__table__).values(
                    post_id=post_id,
                    group_id=f.GROUP_ID,
                    due_at=sent,
                    outcome="sent",
                    missed=0,
                    variant=variant,
                    run_at=sent,
                    sent_at=sent,
                )
            )
        await s.exec(
            sa.insert(PostVote.__table__).values(
                post_id=post_id, variant=1, user_id=200, group_id=f.GROUP_ID, voted_at=at
            )
        )
        await s.commit()
    return int(post_id)


async def test_weekly_report_once_per_week_to_admins_who_started_the_bot(db_url: str) -> None:
    monday = last_monday_0901()
    clock = [datetime.now(UTC)]  # members' actions happen at their messages' dates
    async with app_at(db_url, clock) as bot:
        # Eve chats on the first day only; Bob checks in on each of the last ten days.
        await bot.feed(f.message(EVE, "good morning all", date=monday - timedelta(days=10)))
        for back in range(10, 0, -1):
            await bot.feed(f.message(BOB, "签到", date=monday - timedelta(days=back)))
        await bot.feed(f.message(ADMIN, "/start", chat_id=100, date=monday - timedelta(days=2)))
        await bot.feed(f.message(ADMIN, "/goal set members 4", date=monday - timedelta(hours=1)))
        post_id = await _ab_post(bot, monday - timedelta(hours=2))
        worker = InlineWorker()
        first = reports_of(bot, clock, worker)

        clock[0] = monday - timedelta(minutes=2)  # Monday 08:59 group time: not yet
        group = await bot.app.deps["groups"].settings_for(f.GROUP_ID)
        await bot.app.deps["segments"].refresh(group)  # the leader's daily run, for Sunday
        assert await first.sweep() == 0
        bot.clear()
        clock[0] = monday  # 09:01
        started = time.perf_counter()
        assert await first.sweep() == 1
        await bot.app.outbox.drain(10)
        took = time.perf_counter() - started
        print(f"weekly report with four charts (in-process drawing): {took:.2f} s")

        texts = [plain(t) for t in bot.texts(100)]
        assert len(texts) == 2 and not bot.texts(101)
        week = texts[0]
        start = (monday - timedelta(days=7)).astimezone(SHANGHAI).date()
        end = (monday - timedelta(days=1)).astimezone(SHANGHAI).date()
        assert f"Weekly report · Test Group · {start} – {end}" in week
        assert "Check-ins: 7" in week  # the week; three in the one before
        assert week.index("⭐ North Star — Members: 2 of 4 · ") < week.index("📊")
        rest = texts[1]
        assert "⭐ North Star — Members: 2 of 4" in rest
        assert "Segments" in rest
        assert "At risk: 1 (—)" in rest and "Active: 2 (—)" in rest
        assert "1. Eve — high: no activity for 10 days" in rest and "Bob —" not in rest
        assert f"Best: #{post_id} B “Tip B” — 1 👍 of 2 (50%)" in rest
        assert f"Worst: #{post_id} A “Tip A” — 0 👍 of 2 (0%)" in rest
        assert "Feedback: 0 open, 0 new this week" in rest
        albums = [c for c in bot.session.calls if isinstance(c, SendMediaGroup)]
        assert [a.chat_id for a in albums] == [100] and len(albums[0].media) == 4
        assert all(m.media.data.startswith(b"\x89PNG\r\n\x1a\n") for m in albums[0].media)
        # Started at 08:59 (a report within the minute), then again while the report read.
        assert worker.calls == ["warm_charts", "warm_charts", "render_all"]

        # Once per group and week: again, and from a new instance (a restart, a second
        # process), nothing more is sent.
        bot.clear()
        clock[0] = monday + timedelta(hours=2)
        assert await first.sweep() == 0
        assert await reports_of(bot, clock, worker).sweep() == 0
        await bot.app.outbox.drain(10)
        assert not [c for c in bot.session.calls if getattr(c, "chat_id", None) in (100, 101)]
        worker = NoPictures()  # type: ignore[assignment]

        # /goal report: now, to the one asking, in private (a week's report still comes).
        bot.app.deps["weekly_reports"] = reports_of(bot, clock, NoPictures())  # type: ignore[arg-type]
        asked = monday + timedelta(hours=3)
        await bot.feed(f.message(SILENT_ADMIN, "/goal report", date=asked))
        assert "can't write to you in private yet" in plain(bot.last_text(f.GROUP_ID))
        assert not bot.texts(101)
        await bot.feed(f.message(ADMIN, "/goal report", date=asked))
        assert "sent you the weekly report" in plain(bot.last_text(f.GROUP_ID))
        now_texts = [plain(t) for t in bot.texts(100)]
        assert len(now_texts) == 2 and f"{start} – {end}" in now_texts[0]
        assert await first.sweep() == 0  # the week stays claimed once

        # The next week is a new report, in the group's language; two processes at once
        # send it once.
        await bot.feed(f.message(ADMIN, "/settings language zh", date=monday + timedelta(days=1)))
        clock[0] = monday + timedelta(days=7)
        bot.clear()
        runs = await asyncio.gather(
            reports_of(bot, clock, worker).sweep(), reports_of(bot, clock, worker).sweep()
        )
        assert sorted(runs) == [0, 1]
        await bot.app.outbox.drain(10)
        zh = [plain(t) for t in bot.texts(100)]
        assert len(zh) == 2 and "每周报告 · Test Group" in zh[0] and "北极星" in zh[1]
        await bot.feed(
            f.message(ADMIN, "/settings weekly_report off", date=monday + timedelta(days=8))
        )
        clock[0] = monday + timedelta(days=14)
        bot.clear()
        assert await reports_of(bot, clock, worker).sweep() == 0
        await bot.app.outbox.drain(10)
        assert not [
            c for c in bot.session.calls if isinstance(c, SendMessage) and c.chat_id == 100
        ]
