"""Content feeds: parsing, address checks, the fetcher against a local server, and the service
(each item once, at most N per run, errors reported once per streak) on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import sqlalchemy as sa
from aiohttp import web

from bot.feed_fetch import AddressGuard, FeedFetcher
from bot.scheduler import plan_next
from core.events import BotAdded, EventBus
from core.schedule.feed_parse import NotAFeed, parse_feed
from core.schedule.feeds import (
    BLOCKED,
    NOT_A_FEED,
    TOO_BIG,
    UNREACHABLE,
    FeedAddressRefused,
    FeedNotFound,
    FeedService,
    Fetched,
    InvalidFeedInterval,
    InvalidFeedUrl,
    check_url,
    is_public_address,
    parse_feed_schedule,
)
from core.schedule.when import DAILY, EVERY, InvalidTime, Rule
from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.queries.schedule import feeds as rows
from storage.tables import FeedSeenItem, ProcessedKey
from tests.group_service import group_service

GROUP = -100777
ADMIN = 100
T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def rss(items: list[tuple[str, str]], title: str = "News &lt;&amp;&gt;") -> bytes:
    """Newest first, as feeds list them: (guid, title); the link is made of the guid's part
    before any "~" (so two guids can share a link)."""
    entries = "".join(
        f"<item><guid>{g}</guid><title>{t}</title>"
        f"<link>https://example.com/{g.split('~')[0]}</link></item>"
        for g, t in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"{entries}</channel></rss>"
    ).encode()


# ---- parsing --------------------------------------------------------------------------------


def test_rss_atom_and_json_feed_items_oldest_first() -> None:
    parsed = parse_feed(rss([("3", "Third"), ("2", "Second"), ("1", "First")]))
    assert parsed.title == "News <&>"
    assert [i.title for i in parsed.items] == ["First", "Second", "Third"]
    assert parsed.items[0].link == "https://example.com/1"

    atom = b"""<?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>
    <entry><id>urn:b</id><title>B</title><link href="https://e.org/b"/>
      <updated>2026-11-02T10:00:00Z</updated></entry>
    <entry><id>urn:a</id><title>A</title><link href="https://e.org/a"/>
      <updated>2026-11-01T10:00:00Z</updated></entry></feed>"""
    parsed = parse_feed(atom)
    assert [(i.ident, i.title, i.link) for i in parsed.items] == [
        ("urn:a", "A", "https://e.org/a"),
        ("urn:b", "B", "https://e.org/b"),
    ]

    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "J",
            "items": [
                {"id": "2", "url": "https://j.org/2", "title": "Two"},
                {"id": "1", "url": "javascript:alert(1)", "content_text": "One, untitled"},
            ],
        }
    ).encode()
    parsed = parse_feed(body, "application/feed+json")
    assert [(i.ident, i.title, i.link) for i in parsed.items] == [
        ("1", "One, untitled", ""),  # only http(s) links are kept
        ("2", "Two", "https://j.org/2"),
    ]


@pytest.mark.parametrize(
    "body",
    [b"<html><body>Hello</body></html>", b"", b'{"hello": 1}', b"{not json", b"just text"],
)
def test_what_is_not_a_feed_is_refused(body: bytes) -> None:
    with pytest.raises(NotAFeed):
        parse_feed(body)


# ---- what admins type -----------------------------------------------------------------------


def test_urls_and_schedules() -> None:
    assert check_url(" https://example.com/feed.xml ") == "https://example.com/feed.xml"
    for bad in (
        "ftp://example.com/f",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "example.com",
        "https://user:pw@example.com/",
        "http://",
        "https://e.com:99999/",
    ):
        with pytest.raises(InvalidFeedUrl):
            check_url(bad)
    assert parse_feed_schedule([]) == Rule(EVERY, seconds=3600)
    assert parse_feed_schedule(["every", "6", "h"]) == Rule(EVERY, seconds=6 * 3600)
    assert parse_feed_schedule(["every", "2h"]) == Rule(EVERY, seconds=7200)
    assert parse_feed_schedule(["daily", "08:30"]) == Rule(DAILY, 8, 30)
    for bad in (["every", "0", "h"], ["every", "200", "h"], ["every", "x"], ["weekly"]):
        with pytest.raises(InvalidFeedInterval):
            parse_feed_schedule(bad)
    with pytest.raises(InvalidTime):
        parse_feed_schedule(["daily", "25:00"])


def test_public_addresses() -> None:
    for public in ("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "1.1.1.1"):
        assert is_public_address(public), public
    for private in (
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.1",
        "172.16.0.1",
        "169.254.169.254",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "100.64.0.1",
        "224.0.0.1",
        "nonsense",
    ):
        assert not is_public_address(private), private


async def test_the_guard_resolves_and_refuses_private_addresses() -> None:
    answers = {"public.test": ["93.184.216.34"], "sneaky.test": ["93.184.216.34", "10.0.0.5"]}

    async def resolver(host: str, port: int) -> list[str]:
        if host not in answers:
            raise OSError("no such host")
        return answers[host]

    guard = AddressGuard(resolver=resolver)
    await guard("https://public.test/feed")
    for url, reason in (
        ("http://sneaky.test/", "private"),
        ("http://nowhere.test/", "unresolved"),
    ):
        with pytest.raises(FeedAddressRefused) as refused:
            await guard(url)
        assert refused.value.args_map["reason"] == reason
    with pytest.raises(FeedAddressRefused):
        await AddressGuard()("http://127.0.0.1:8080/feed")  # the system resolver, a literal
    await AddressGuard(allow_private=True)("http://127.0.0.1:8080/feed")


# ---- the fetcher, against a local server ----------------------------------------------------


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, dict[str, int]]]:
    hits: dict[str, int] = {}
    feed = rss([("2", "Two"), ("1", "One")])

    async def conditional(request: web.Request) -> web.StreamResponse:
        hits["feed"] = hits.get("feed", 0) + 1
        if request.headers.get("If-None-Match") == '"v1"':
            return web.Response(status=304)
        return web.Response(
            body=feed, content_type="application/rss+xml", headers={"ETag": '"v1"'}
        )

    async def huge(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()  # no Content-Length: only the stream shows the size
        await response.prepare(request)
        for _ in range(100):
            await response.write(b"x" * 10_000)
        return response

    async def slow(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(5)
        return web.Response(body=feed)

    async def to_private(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("http://10.0.0.1/feed")

    async def missing(request: web.Request) -> web.StreamResponse:
        return web.Response(status=404)

    app = web.Application()
    app.router.add_get("/feed", conditional)
    app.router.add_get("/huge", huge)
    app.router.add_get("/slow", slow)
    app.router.add_get("/redirect", to_private)
    app.router.add_get("/missing", missing)
    app.router.add_get("/moved", _moved)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}", hits
    finally:
        await runner.cleanup()


async def _moved(request: web.Request) -> web.Response:
    raise web.HTTPMovedPermanently("/feed")


async def test_the_fetcher_is_conditional_bounded_and_checks_redirects(
    server: tuple[str, dict[str, int]],
) -> None:
    base, hits = server
    async with httpx.AsyncClient() as client:
        allow = AddressGuard(allow_private=True)
        fetch = FeedFetcher(client, allow, max_bytes=100_000, deadline=2.0)
        first = await fetch(f"{base}/feed", None, None)
        assert first.error is None and first.etag == '"v1"' and first.body
        assert "rss" in first.content_type
        again = await fetch(f"{base}/feed", first.etag, None)
        assert again.error is None and again.body is None  # 304
        assert hits["feed"] == 2
        moved = await fetch(f"{base}/moved", None, None)
        assert moved.body and moved.etag == '"v1"'  # a redirect within the allowed addresses

        assert (await fetch(f"{base}/huge", None, None)).error == TOO_BIG
        assert (await fetch(f"{base}/slow", None, None)).error == UNREACHABLE
        missing = await fetch(f"{base}/missing", None, None)
        assert (missing.error, missing.detail) == (UNREACHABLE, "HTTP 404")
        closed = await fetch("http://127.0.0.1:1/feed", None, None)
        assert closed.error == UNREACHABLE

        # Without FEED_ALLOW_PRIVATE: the local server is refused, and so is a public name
        # that resolves to it, and a redirect into the private network.
        async def rebinding(host: str, port: int) -> list[str]:
            return ["127.0.0.1"] if host == "rebind.test" else ["93.184.216.34"]

        strict = FeedFetcher(client, AddressGuard(resolver=rebinding), deadline=2.0)
        assert (await strict(f"{base}/feed", None, None)).error == BLOCKED
        port = base.rsplit(":", 1)[1]
        assert (await strict(f"http://rebind.test:{port}/feed", None, None)).error == BLOCKED

        strict_redirect = FeedFetcher(client, _FirstHopOnly(base), deadline=2.0)
        assert (await strict_redirect(f"{base}/redirect", None, None)).error == BLOCKED


class _FirstHopOnly(AddressGuard):
    """Lets the test server through (it is on 127.0.0.1) and checks every other host."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self._base = base

    async def addresses(self, url: str) -> list[str]:
        if url.startswith(self._base):
            return ["127.0.0.1"]
        return await super().addresses(url)


# ---- the service ----------------------------------------------------------------------------


class FakeFeed:
    """What the fetcher returns, changed by the test; counts the fetches."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []
        self.error: str | None = None
        self.fetches = 0
        self.validators: list[tuple[str | None, str | None]] = []

    async def __call__(self, url: str, etag: str | None, modified: str | None) -> Fetched:
        self.fetches += 1
        self.validators.append((etag, modified))
        if self.error is not None:
            return Fetched(error=self.error, detail="HTTP 503")
        if etag == f"v{len(self.items)}":
            return Fetched(body=None)
        return Fetched(body=rss(self.items), etag=f"v{len(self.items)}")


async def no_check(url: str) -> None:
    return None


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def _service(session_factory: SessionFactory, source: FakeFeed) -> tuple[FeedService, Clock]:
    groups = group_service(session_factory)
    await groups.settings_for(GROUP, "G")
    clock = Clock(T0)
    return FeedService(session_factory, groups, plan_next, source, no_check, clock=clock), clock


async def _add(service: FeedService, session_factory: SessionFactory, rule: Rule) -> rows.Feed:
    async with session_factory() as session:
        return await service.add(
            UnitOfWork(session), GROUP, ADMIN, "https://example.com/feed", rule, None, T0
        )


async def _feed(session_factory: SessionFactory, feed_id: int) -> rows.Feed:
    async with session_factory() as session:
        found = await rows.get(session, feed_id)
    assert found is not None
    return found


async def test_first_fetch_posts_the_newest_then_only_new_items_once(
    session_factory: SessionFactory,
) -> None:
    source = FakeFeed()
    service, clock = await _service(session_factory, source)
    source.items = [(str(n), f"Item {n}") for n in range(12, 0, -1)]  # 12 items, newest first
    feed = await _add(service, session_factory, Rule(EVERY, seconds=3600))
    assert feed.next_run_at == T0  # the first fetch at once

    run = await service.run(feed.id, T0)
    assert run is not None and run.failure is None
    assert [i.title for i in run.items] == [f"Item {n}" for n in range(8, 13)]  # 5 newest
    assert run.title == "News <&>" and run.next_run_at == T0 + timedelta(hours=1)
    assert await service.run(feed.id, T0) is None  # the same occurrence again: nothing
    async with session_factory() as session:
        seen = (await session.exec(sa.select(sa.func.count()).select_from(FeedSeenItem))).one()
        keys = (await session.exec(sa.select(ProcessedKey.key))).scalars().all()
    assert seen[0] == 24  # all 12 passed over or posted (id and link of each)
    assert keys == [f"feed:{feed.id}:{T0.isoformat()}"]

    # Nothing new: the validator comes back (304), nothing posted.
    due = T0 + timedelta(hours=1)
    clock.now = due
    run = await service.run(feed.id, due)
    assert run is not None and run.items == ()
    assert source.validators[-1] == ("v12", None)

    # Seven new items: five now, oldest first; the other two at the next run.
    source.items = [(str(n), f"Item {n}") for n in range(19, 0, -1)]
    due += timedelta(hours=1)
    clock.now = due
    run = await service.run(feed.id, due)
    assert run is not None and [i.title for i in run.items] == [f"Item {n}" for n in range(13, 18)]
    due += timedelta(hours=1)
    clock.now = due
    run = await service.run(feed.id, due)
    assert run is not None and [i.title for i in run.items] == ["Item 18", "Item 19"]
    assert source.validators[-1] == ("v12", None)  # the leftover run was not hidden by a 304

    # An item whose guid changed but whose link did not is not new.
    source.items = [("19~edited", "Item 19 (edited)"), ("20", "Item 20"), *source.items[1:]]
    source.items = [source.items[1], source.items[0], *source.items[2:]]
    due += timedelta(hours=1)
    clock.now = due
    run = await service.run(feed.id, due)
    assert run is not None and [i.title for i in run.items] == ["Item 20"]


async def test_the_item_limit_is_a_setting(session_factory: SessionFactory) -> None:
    source = FakeFeed()
    service, _clock = await _service(session_factory, source)
    async with session_factory() as session:
        await service._groups.change(UnitOfWork(session), GROUP, ADMIN, "feed_max_items", "2", T0)
    source.items = [(str(n), f"Item {n}") for n in range(5, 0, -1)]
    feed = await _add(service, session_factory, Rule(DAILY, 8, 0))
    run = await service.run(feed.id, T0)
    assert run is not None and [i.title for i in run.items] == ["Item 4", "Item 5"]
    assert run.next_run_at == datetime(2026, 12, 2, 0, 0, tzinfo=UTC)  # 08:00 in Shanghai


async def test_errors_are_reported_once_per_streak(session_factory: SessionFactory) -> None:
    source = FakeFeed()
    service, clock = await _service(session_factory, source)
    feed = await _add(service, session_factory, Rule(EVERY, seconds=3600))
    due = T0
    reports = []
    for error in (UNREACHABLE, UNREACHABLE, NOT_A_FEED, None, TOO_BIG, TOO_BIG):
        source.error = error
        source.items = [("1", "One")]
        clock.now = due
        run = await service.run(feed.id, due)
        assert run is not None
        reports.append(run.failure)
        due = run.next_run_at or due
    assert reports == [UNREACHABLE, None, None, None, TOO_BIG, None]
    stored = await _feed(session_factory, feed.id)
    assert (stored.error_streak, stored.last_error) == (2, TOO_BIG)
    assert stored.next_run_at == T0 + timedelta(hours=6)  # failures keep the schedule


async def test_concurrent_runs_of_one_occurrence_post_once(
    session_factory: SessionFactory,
) -> None:
    source = FakeFeed()
    service, _clock = await _service(session_factory, source)
    source.items = [("1", "One"), ("2", "Two")]
    feed = await _add(service, session_factory, Rule(EVERY, seconds=3600))
    runs = await asyncio.gather(*(service.run(feed.id, T0) for _ in range(4)))
    posted = [r for r in runs if r is not None]
    assert len(posted) == 1 and len(posted[0].items) == 2


async def test_remove_and_unknown_ids(session_factory: SessionFactory) -> None:
    source = FakeFeed()
    service, _clock = await _service(session_factory, source)
    feed = await _add(service, session_factory, Rule(EVERY, seconds=3600))
    async with session_factory() as session:
        with pytest.raises(FeedNotFound):
            await service.remove(UnitOfWork(session), -100999, ADMIN, feed.id, T0)
    async with session_factory() as session:
        await service.remove(UnitOfWork(session), GROUP, ADMIN, feed.id, T0)
    async with session_factory() as session:
        with pytest.raises(FeedNotFound):
            await service.remove(UnitOfWork(session), GROUP, ADMIN, feed.id, T0)
    assert await service.run(feed.id, T0) is None  # a job still planned for it does nothing
    assert source.fetches == 0


def test_items_are_posted_escaped() -> None:
    from bot.feeds import items_text
    from bot.i18n import Locales
    from core.schedule.feed_parse import FeedItem
    from core.schedule.feeds import FeedRun

    item = FeedItem("1", "x<y & z", 'https://e.com/?a=1&b="2"')
    run = FeedRun(1, GROUP, None, "en", "A <b>&", "https://e.com/feed", (item,))
    assert items_text(run, Locales()) == (
        "📰 <b>A &lt;b&gt;&amp;</b>\n"
        '• <a href="https://e.com/?a=1&amp;b=&quot;2&quot;">x&lt;y &amp; z</a>'
    )


async def test_a_feed_stopped_while_the_bot_was_away_resumes_when_it_is_back(
    session_factory: SessionFactory,
) -> None:
    source = FakeFeed()
    service, clock = await _service(session_factory, source)
    bus = EventBus()
    bus.subscribe(BotAdded, service.on_bot_added)
    changes: list[str] = []
    service.on_change = lambda: changes.append("re-planned")
    source.items = [("1", "Item 1")]
    feed = await _add(service, session_factory, Rule(EVERY, seconds=3600))
    changes.clear()
    async with session_factory() as session:
        await service._groups.deactivate(UnitOfWork(session), GROUP, T0)  # the bot was removed
    assert await service.run(feed.id, T0) is None  # the group is gone: nothing planned
    assert (await _feed(session_factory, feed.id)).next_run_at is None

    back = T0 + timedelta(days=3)
    clock.now = back
    async with session_factory() as session:
        await service._groups.register(UnitOfWork(session, bus=bus), GROUP, "G", ADMIN, back)
    assert (await _feed(session_factory, feed.id)).next_run_at == back
    assert changes == ["re-planned"]  # the leader plans it again
    source.items = [("2", "Item 2"), ("1", "Item 1")]
    run = await service.run(feed.id, back)  # its first fetch: nothing was posted before
    assert run is not None and [i.title for i in run.items] == ["Item 1", "Item 2"]

    async with session_factory() as session:  # added again while its feeds run: no change
        await service._groups.register(UnitOfWork(session, bus=bus), GROUP, "G", ADMIN, back)
    assert (await _feed(session_factory, feed.id)).next_run_at == back + timedelta(hours=1)
    assert changes == ["re-planned"]
