"""/feed through the real Dispatcher: bad input refused with no change; a feed served by a
local aiohttp server posted to the group by the scheduler's job."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from aiogram.methods import SendMessage
from aiohttp import web

from storage.queries.schedule import feeds as rows
from storage.tables import AuditLog, ContentFeed
from tests import factories as f
from tests.app_harness import Harness, running_bot
from tests.test_feeds import rss

ADMIN = f.user(100, "Admin")
MEMBER = f.user(200, "Member")
ADMINS = {(f.GROUP_ID, 100)}


@pytest.fixture
async def feed_server() -> AsyncIterator[tuple[str, list[tuple[str, str]]]]:
    items: list[tuple[str, str]] = [("1", "First <post>")]

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=rss(items, "Local news"), content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/feed.xml", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/feed.xml", items
    finally:
        await runner.cleanup()


async def _feeds(bot: Harness) -> list[rows.Feed]:
    async with bot.app.session_factory() as session:
        return await rows.of_group(session, f.GROUP_ID)


async def test_bad_feed_input_is_refused_and_changes_nothing(db_url: str) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    async with running_bot(db_url, admins=ADMINS) as bot:  # FEED_ALLOW_PRIVATE off
        cases = {
            "/feed add ftp://example.com/feed": "is not a feed address: use an http://",
            "/feed add javascript:alert(1)": "is not a feed address",
            "/feed add http://127.0.0.1:8080/feed": "“127.0.0.1” is a private or local address",
            "/feed add http://10.0.0.7/rss": "“10.0.0.7” is a private or local address",
            "/feed add http://[::1]/rss": "“::1” is a private or local address",
            "/feed add http://169.254.169.254/latest": "is a private or local address",
            "/feed add https://example.com/feed every 0 h": "“0 h” is not a feed schedule",
            "/feed add https://example.com/feed daily 25:00": "“25:00” is not a time",
            "/feed remove 42": "There is no feed #42 in this group.",
            "/feed remove abc": "There is no feed #abc in this group.",
            "/feed": "📰 <b>Content feeds</b>",
            "/feed list": "No feeds yet.",
        }
        for command, expected in cases.items():
            await bot.feed(f.message(ADMIN, command, date=now))
            assert expected in bot.last_text(), (command, bot.last_text())
        await bot.feed(f.message(MEMBER, "/feed add https://example.com/feed", date=now))
        assert bot.last_text() == "Only group administrators can do that."
        async with bot.app.session_factory() as session:
            count = (await session.exec(sa.select(sa.func.count()).select_from(ContentFeed))).one()
        assert count[0] == 0
        zh_admin = f.user(100, "Admin", lang="zh")
        await bot.feed(f.message(zh_admin, "/feed add http://192.168.1.1/rss", date=now))
        assert bot.last_text() == "“192.168.1.1”是内网或本机地址:我只读取公网上的订阅。"
        await bot.feed(f.message(zh_admin, "/feed add https://example.com every 0 h", date=now))
        assert bot.last_text().startswith("“0 h”不是有效的抓取计划")


async def test_a_feed_is_added_fetched_posted_and_removed(
    db_url: str, feed_server: tuple[str, list[tuple[str, str]]]
) -> None:
    url, items = feed_server
    now = datetime.now(UTC).replace(microsecond=0)
    async with running_bot(db_url, admins=ADMINS, feed_allow_private=True) as bot:
        await bot.feed(f.message(ADMIN, f"/feed add {url} every 6 h", date=now))
        assert bot.last_text().startswith(f"✅ Feed #1 added: {url}, fetched every 6 hours.")
        await bot.feed(f.message(ADMIN, f"/feed add {url}", date=now))
        assert bot.last_text() == f"This group follows {url} already."
        [feed] = await _feeds(bot)
        assert feed.next_run_at is not None

        jobs = bot.app.deps["feed_jobs"]
        assert await jobs.fire(feed.id, feed.next_run_at) == (
            True,
            feed.next_run_at + timedelta(hours=6),
        )
        await bot.app.outbox.drain(5)
        posted = [m for m in bot.sent(SendMessage) if m.text.startswith("📰")]
        assert [m.text for m in posted] == [
            '📰 <b>Local news</b>\n• <a href="https://example.com/1">First &lt;post&gt;</a>'
        ]
        assert posted[0].chat_id == f.GROUP_ID

        await bot.feed(f.message(ADMIN, "/feed list", date=now))
        listing = bot.last_text()
        assert listing.startswith("📰 <b>Feeds</b> (1; times in Asia/Shanghai)")
        assert "<b>#1</b> Local news — every 6 hours, next " in listing

        await bot.feed(f.message(ADMIN, "/feed remove 1", date=now))
        assert bot.last_text() == f"🗑 Feed #1 removed ({url})."
        assert await _feeds(bot) == []
        async with bot.app.session_factory() as session:
            actions = (await session.exec(sa.select(AuditLog.action))).scalars().all()
        assert "feed_added" in actions and "feed_removed" in actions


async def test_the_leader_fires_a_new_feed_at_once(
    db_url: str, feed_server: tuple[str, list[tuple[str, str]]]
) -> None:
    url, _items = feed_server
    now = datetime.now(UTC).replace(microsecond=0)
    async with running_bot(db_url, admins=ADMINS, feed_allow_private=True) as bot:
        bot.app.scheduler.start()
        bot.app.posts.start()
        await bot.feed(f.message(ADMIN, f"/feed add {url}", date=now))
        for _ in range(100):
            if any(t.startswith("📰 <b>Local news</b>") for t in bot.texts(f.GROUP_ID)):
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError("the feed's items were not posted")
        [feed] = await _feeds(bot)
        assert feed.runs == 1 and feed.fetched_at is not None and feed.title == "Local news"


async def test_a_failing_feed_is_reported_to_the_admins(db_url: str) -> None:
    from core.schedule.feeds import FeedRun

    async with running_bot(db_url, admins=ADMINS) as bot:
        jobs = bot.app.deps["feed_jobs"]
        for language, expected in (
            (
                "en",
                "⚠️ Feed #3 (https://e.com/a?b=1&amp;c=2) could not be read: not an RSS, Atom "
                "or JSON feed (HTML &lt;page&gt;). I keep trying on its schedule and say "
                "nothing more until it works again.",
            ),
            ("zh", "⚠️ 订阅 #3(https://e.com/a?b=1&amp;c=2)读取失败:不是 RSS、Atom 或 JSON Feed"),
        ):
            run = FeedRun(
                3,
                f.GROUP_ID,
                None,
                language,
                "",
                "https://e.com/a?b=1&c=2",
                failure="not_a_feed",
                detail="HTML <page>",
                report_chat_id=f.GROUP_ID,
            )
            jobs.deliver(run)
            await bot.app.outbox.drain(5)
            assert bot.last_text(f.GROUP_ID).startswith(expected), bot.last_text()
