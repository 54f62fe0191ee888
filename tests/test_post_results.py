"""A/B results of scheduled posts: the counts behind them (views: the members present while a
variant was sent, and voters the bot had not seen) on SQLite and PostgreSQL, the statistics,
and /posts <id> showing rates, the difference and the verdict."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from aiogram.methods import SendChatAction

from bot.scheduler import plan_next
from core.schedule.ab_results import VariantCounts, ab_results
from core.schedule.post_results import variant_counts
from core.schedule.posts import Content, PostService
from core.schedule.when import EVERY, Rule
from core.statistics.proportions import Verdict
from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.queries.community import members
from storage.queries.schedule import posts as rows
from storage.tables import Member
from tests import factories as f
from tests.app_harness import running_bot
from tests.group_service import group_service
from tests.inline_worker import InlineWorker

DAY = timedelta(days=1)
GROUP = -100555
ADMIN = 100
T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


async def _send(session: Any, post: rows.Post, variant: int, at: datetime, outcome: str) -> None:
    occurrence = await rows.add_occurrence(
        session,
        post_id=post.id,
        group_id=post.group_id,
        due_at=at,
        outcome="sending",
        run_at=at,
        variant=variant,
    )
    assert occurrence is not None
    if outcome != "sending":
        await rows.finish_occurrence(session, occurrence, outcome, 1, at)


async def test_views_are_the_members_present_while_a_variant_was_sent(
    session_factory: SessionFactory,
) -> None:
    groups = group_service(session_factory)
    service = PostService(plan_next)
    group = await groups.settings_for(GROUP, "G")
    async with session_factory() as session:
        post = await service.create(
            UnitOfWork(session),
            group,
            ADMIN,
            Rule(EVERY, seconds=86400),
            Content("A || B"),
            None,
            T0,
        )
    async with session_factory() as session:
        # A is sent on days 1 and 3, B on days 2 and 4 (and once more, failed: not a send).
        for variant, day, outcome in (
            (0, 1, "sent"),
            (1, 2, "sent"),
            (0, 3, "sending"),
            (1, 4, "sent"),
            (1, 5, "failed"),
        ):
            await _send(session, post, variant, T0 + day * DAY, outcome)
        await members.mark_joined(session, GROUP, 1, T0 - 10 * DAY)  # there all along
        await members.mark_joined(session, GROUP, 2, T0 - 10 * DAY)
        await members.mark_left(session, GROUP, 2, T0 + DAY / 24)  # gone before any send
        await members.mark_joined(session, GROUP, 3, T0 + 2.5 * DAY)  # A's 2nd and B's
        await members.mark_joined(session, GROUP, 4, T0 + 3.5 * DAY)  # after A's last: B only
        await members.mark_joined(session, GROUP, 5, T0 - DAY)
        await members.mark_left(session, GROUP, 5, T0 + 1.5 * DAY)  # A's first only
        await members.ensure_member(session, GROUP, 6, T0 + 5 * DAY)  # first seen after all
        await members.mark_joined(session, -100777, 8, T0)  # another group's member
        for user, variant in ((1, 0), (1, 1), (5, 0), (7, 0), (4, 1)):  # 7: never seen
            await rows.add_vote(session, post.id, variant, user, GROUP, T0 + 5 * DAY)
        await session.commit()
    async with session_factory() as session:
        stored = await rows.get(session, post.id)
        assert stored is not None
        counts = await variant_counts(UnitOfWork(session), stored)
    assert counts == [
        VariantCounts("A", sends=2, votes=3, views=4),  # members 1, 3, 5 and voter 7
        VariantCounts("B", sends=2, votes=2, views=3),  # members 1, 3, 4
    ]


def test_the_statistics_of_the_variants() -> None:
    two = ab_results([VariantCounts("a", 10, 12, 300), VariantCounts("b", 10, 45, 300)])
    assert two.comparison_confidence == pytest.approx(0.95)
    assert [round(v.rate.rate, 3) for v in two.variants] == [0.04, 0.15]
    [(index, found)] = two.comparisons
    assert index == 1 and found.verdict is Verdict.B_BETTER and found.low > 0
    three = ab_results(
        [VariantCounts("a", 4, 5, 100), VariantCounts("b", 4, 9, 100), VariantCounts("c", 3, 0, 0)]
    )
    assert three.comparison_confidence == pytest.approx(0.975)  # two comparisons
    assert [v for _, v in ((i, c.verdict) for i, c in three.comparisons)] == [
        Verdict.UNCLEAR,
        Verdict.NOT_ENOUGH_DATA,
    ]
    assert three.comparisons[0][1].more_needed is not None
    with pytest.raises(ValueError):
        ab_results([VariantCounts("a", 1, 0, 1)])


async def test_posts_shows_the_ab_results(db_url: str) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    admins = {(f.GROUP_ID, 100)}
    async with running_bot(db_url, admins=admins) as bot:
        worker = bot.app.deps["worker"] = InlineWorker()
        admin = f.user(100, "Admin")
        await bot.feed(f.message(admin, "/schedule every 1h Tip one || Tip <two>", date=now))
        async with bot.app.session_factory() as session:
            [post] = await rows.of_group(session, f.GROUP_ID)
            await session.exec(
                sa.insert(Member),
                params=[
                    {"group_id": f.GROUP_ID, "user_id": 1000 + i, "first_seen_at": now - DAY}
                    for i in range(120)
                ],
            )
            for i in range(4):
                await _send(session, post, i % 2, now + i * timedelta(hours=1), "sent")
            for i in range(6):
                await rows.add_vote(session, post.id, 0, 1000 + i, f.GROUP_ID, now)
            for i in range(30):
                await rows.add_vote(session, post.id, 1, 1000 + i, f.GROUP_ID, now)
            await session.commit()
        await bot.feed(f.message(admin, f"/posts {post.id}", date=now))
        shown = bot.last_text()
        assert worker.calls == ["ab_results"]
        assert "<b>A</b>: sent 2×, 👍 6 of 121 views — <b>5.0%</b> (95% CI 2.3%–10.4%)" in shown
        assert "<b>B</b>: sent 2×, 👍 30 of 121 views — <b>24.8%</b>" in shown
        assert "Tip &lt;two&gt;" in shown  # the variant's text, as typed (escaped)
        assert "B − A: +19.8 points (95% CI +11.1 to +28.6)" in shown
        assert "✅ B does better than A." in shown

        # In Chinese, and with a variant not sent yet.
        zh_admin = f.user(100, "Admin", lang="zh")
        await bot.feed(f.message(zh_admin, "/schedule every 1h 一 || 二 || 三", date=now))
        async with bot.app.session_factory() as session:
            posts = await rows.of_group(session, f.GROUP_ID)
        third = max(p.id for p in posts)
        await bot.feed(f.message(zh_admin, f"/posts {third}", date=now))
        shown = bot.last_text()
        assert "<b>A</b>：尚未发出" in shown and "<b>C</b>：尚未发出" in shown
        assert "B 与 A：数据还不够" in shown
        assert "差值的置信区间为 97.5%：有 2 个版本与 A 比较。" in shown


class FailingWorker:
    running = False  # "typing…" while it would start

    async def run(
        self, fn: Callable[..., Any], /, *args: Any, timeout: float | None = None
    ) -> Any:
        raise TimeoutError("worker stuck")


async def test_posts_shows_the_counts_when_the_statistics_fail(db_url: str) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        bot.app.deps["worker"] = FailingWorker()
        admin = f.user(100, "Admin")
        await bot.feed(f.message(admin, "/schedule every 1h Tip one || Tip two", date=now))
        async with bot.app.session_factory() as session:
            [post] = await rows.of_group(session, f.GROUP_ID)
            await _send(session, post, 0, now, "sent")
            await session.commit()
        await bot.feed(f.message(admin, f"/posts {post.id}", date=now))
        shown = bot.last_text()
        assert "<b>A</b>: sent 1×, 👍 0 of 1 views — <b>?</b>" in shown
        assert "(The statistics could not be computed this time: counts only.)" in shown
        assert [c.action for c in bot.sent(SendChatAction)] == ["typing"]
