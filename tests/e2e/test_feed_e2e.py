"""A content feed through the real protocol: /feed add, and the feed's new items arriving in
the group (served by a local aiohttp server; FEED_ALLOW_PRIVATE lets the bot fetch it)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from aiohttp import web

from devtools.emulator import BotAPIEmulator
from tests.e2e.conftest import ALICE, BOB, GROUP
from tests.e2e.harness import BotProcess

pytestmark = pytest.mark.e2e

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Release notes</title>{entries}</feed>"""
ENTRY = """<entry><id>urn:v{n}</id><title>Version {n} &amp; more</title>
<link href="https://example.com/v{n}"/><updated>2026-11-{n:02d}T10:00:00Z</updated></entry>"""


@pytest.fixture
async def feed_url() -> AsyncIterator[tuple[str, list[int]]]:
    versions = [1, 2]

    async def handler(request: web.Request) -> web.Response:
        entries = "".join(ENTRY.format(n=n) for n in reversed(versions))
        return web.Response(
            body=ATOM.format(entries=entries).encode(), content_type="application/atom+xml"
        )

    app = web.Application()
    app.router.add_get("/atom.xml", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/atom.xml", versions
    finally:
        await runner.cleanup()


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


async def test_a_feed_posts_its_items_in_the_group(
    emu: BotAPIEmulator, db_url: str, feed_url: tuple[str, list[int]]
) -> None:
    url, _versions = feed_url
    bot = BotProcess(emu, db_url, FEED_ALLOW_PRIVATE="true")
    await bot.start()
    try:
        emu.add_bot_to_group(GROUP, ALICE)
        mark = emu.mark()
        emu.send_message(GROUP, BOB, f"/feed add {url}", date=_now())
        refused = await emu.wait_for_message(chat_id=GROUP, after=mark, timeout=15)
        assert refused.plain_text == "Only group administrators can do that."

        mark = emu.mark()
        emu.send_message(GROUP, ALICE, f"/feed add {url} every 1 h", date=_now())
        added = await emu.wait_for_message(chat_id=GROUP, contains="Feed #1", after=mark)
        assert added.plain_text.startswith(f"✅ Feed #1 added: {url}, fetched every hour.")
        post = await emu.wait_for_message(
            chat_id=GROUP, contains="Release notes", after=mark, timeout=20
        )
        assert post.plain_text == ("📰 Release notes\n• Version 1 & more\n• Version 2 & more")
        assert '<a href="https://example.com/v2">Version 2 &amp; more</a>' in post.text

        mark = emu.mark()
        emu.send_message(GROUP, ALICE, "/feed list", date=_now())
        listing = await emu.wait_for_message(chat_id=GROUP, contains="Feeds", after=mark)
        assert "#1 Release notes — every hour" in listing.plain_text
        await asyncio.sleep(1)
        posts = [s for s in emu.sent if s.chat_id == GROUP and "Release notes" in s.plain_text]
        assert len(posts) == 2  # the post and the listing: the items went out once
    finally:
        await bot.stop()
