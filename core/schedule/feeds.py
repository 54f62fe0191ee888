"""Content feeds: a group follows an RSS/Atom or JSON Feed; new items are posted to it.

`/feed add <url> [daily HH:MM | every N h]` stores a feed, planned like a scheduled post (the
runtime fires `run(feed_id, due)` at its `next_run_at`; the first fetch is at once). A run:

1. fetches the feed outside any transaction (the injected `Fetcher`: timeouts, a size limit,
   ETag / Last-Modified sent back, every address checked, see bot/feed_fetch.py);
2. in one transaction keyed `feed:<id>:<due>` (core.jobs.run_once) marks the items it will
   post as seen, moves the feed to its next run and keeps its error streak; only then
3. the runtime posts them (`FeedRun`). Two leaders, a restart, a retry: an occurrence and an
   item are posted once at most.

At most `feed_max_items` items per run. The first fetch posts the newest few and marks the
rest seen (following a feed does not flood the group with its archive); later runs post the
oldest new items first and leave the others for the next run. A failing feed (unreachable, not
a feed, too big, an address refused) is reported to the admins at the first failure of a
streak only; a success ends the streak.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from core.community.groups import GroupService
from core.errors import DomainError
from core.events import BotAdded, EventBus, Transaction
from core.jobs import occurrence_key, run_once
from core.schedule.feed_parse import FeedItem, NotAFeed, parse_feed
from core.schedule.settings import DEFAULT_FEED_ITEMS, FEED_MAX_ITEMS
from core.schedule.when import DAILY, EVERY, InvalidTime, Rule, parse_rule
from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.queries.community import audit
from storage.queries.feedback import staff as staff_rows
from storage.queries.schedule import feeds as rows
from storage.queries.schedule.feeds import Feed

logger = logging.getLogger(__name__)

# (rule, timezone, anchor, after) -> the first occurrence strictly after `after` (UTC), or None.
Planner = Callable[[Rule, str, datetime, datetime], "datetime | None"]

MAX_FEEDS_PER_GROUP = 20
MAX_URL = 2000
MAX_HOURS = 168
DEFAULT_RULE = Rule(EVERY, seconds=3600)

# Kinds of failure (stored in content_feed.last_error; locale keys feed-failed-<kind>).
UNREACHABLE = "unreachable"
NOT_A_FEED = "not_a_feed"
TOO_BIG = "too_big"
BLOCKED = "blocked"


class InvalidFeedUrl(DomainError):
    key = "feed-error-url"


class FeedAddressRefused(DomainError):
    """The host is (or resolves to) a private, loopback, link-local or otherwise non-public
    address: the bot does not fetch inside its own network."""

    key = "feed-error-private"


class InvalidFeedInterval(DomainError):
    key = "feed-error-interval"


class FeedNotFound(DomainError):
    key = "feed-error-not-found"


class FeedExists(DomainError):
    key = "feed-error-exists"


class TooManyFeeds(DomainError):
    key = "feed-error-too-many"


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetch's outcome: `error` (one of the kinds above) or the body (None: 304)."""

    body: bytes | None = None
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    detail: str = ""  # for the log and the admins ("HTTP 404", "timed out")


# (url, etag, last_modified) -> what the fetch brought.
Fetcher = Callable[[str, "str | None", "str | None"], Awaitable[Fetched]]
# url -> None if it may be fetched; raises InvalidFeedUrl / FeedAddressRefused otherwise.
AddressGuard = Callable[[str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class FeedRun:
    """What the runtime does after a run committed: post `items`, or tell the admins."""

    feed_id: int
    group_id: int
    thread_id: int | None
    language: str
    title: str
    url: str
    items: tuple[FeedItem, ...] = ()
    failure: str | None = None  # set at the first failure of a streak only
    detail: str = ""
    report_chat_id: int | None = None
    next_run_at: datetime | None = None


def check_url(url: str) -> str:
    """An http(s) URL with a host, no credentials, at most MAX_URL long; InvalidFeedUrl else."""
    url = url.strip().strip("<>")
    if len(url) > MAX_URL:
        raise InvalidFeedUrl(url=url[:60])
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (a port out of range raises here)
    except ValueError:
        raise InvalidFeedUrl(url=url[:60]) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidFeedUrl(url=url[:60])
    if parts.username is not None or parts.password is not None:
        raise InvalidFeedUrl(url=url[:60])
    return url


def is_public_address(address: str) -> bool:
    """A globally routable unicast address (not private, loopback, link-local, multicast,
    reserved, shared or unspecified; an IPv4-mapped IPv6 address is judged as its IPv4)."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def parse_feed_schedule(words: list[str]) -> Rule:
    """`daily HH:MM`, `every N h` (or `every Nh`), nothing: every hour."""
    if not words:
        return DEFAULT_RULE
    first = words[0].lower()
    if first in ("daily", "每天") and len(words) == 2:
        match = re.fullmatch(r"(\d{1,2})[:：](\d{2})", words[1])
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise InvalidTime(value=words[1][:20])
        return Rule(DAILY, int(match[1]), int(match[2]))
    if first in ("every", "每") and len(words) in (2, 3):
        spec = "".join(words[1:]).lower()
        match = re.fullmatch(r"(\d{1,4})(h|hours?|小时)?", spec)
        if match and (match[2] or len(words) == 2):
            hours = int(match[1])
            if 1 <= hours <= MAX_HOURS:
                return Rule(EVERY, seconds=hours * 3600)
        raise InvalidFeedInterval(value=" ".join(words[1:])[:20], max=MAX_HOURS)
    raise InvalidFeedInterval(value=" ".join(words)[:20], max=MAX_HOURS)


@dataclass
class _Outcome:
    values: dict[str, object] = field(default_factory=dict)
    items: list[FeedItem] = field(default_factory=list)


class FeedService:
    def __init__(
        self,
        session_factory: SessionFactory,
        groups: GroupService,
        planner: Planner,
        fetch: Fetcher,
        guard: AddressGuard,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        bus: EventBus | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._groups = groups
        self._planner = planner
        self._fetch = fetch
        self._guard = guard
        self._clock = clock
        self._bus = bus
        self.on_change: Callable[[], None] = lambda: None

    # ---- what administrators do ----------------------------------------------------------
    async def add(
        self,
        uow: UnitOfWork,
        group_id: int,
        actor_id: int,
        url: str,
        rule: Rule,
        thread_id: int | None,
        at: datetime,
    ) -> Feed:
        url = check_url(url)
        await self._guard(url)  # before the transaction: a DNS look-up holds no connection
        if await rows.with_url(uow.session, group_id, url) is not None:
            raise FeedExists(url=url[:60])
        if await rows.count_of_group(uow.session, group_id) >= MAX_FEEDS_PER_GROUP:
            raise TooManyFeeds(limit=MAX_FEEDS_PER_GROUP)
        feed_id = await rows.insert(
            uow.session,
            group_id=group_id,
            thread_id=thread_id,
            url=url,
            rule=rule.text,
            created_by=actor_id,
            next_run_at=at,  # the first fetch at once: it marks what the feed has as seen
            at=at,
        )
        await audit.record(
            uow.session,
            group_id=group_id,
            actor_id=actor_id,
            action="feed_added",
            at=at,
            details={"feed": feed_id, "url": url, "rule": rule.text},
        )
        uow.after_commit(self.on_change)
        await uow.commit()
        feed = await rows.get(uow.session, feed_id)
        assert feed is not None
        return feed

    async def on_bot_added(self, tx: Transaction, event: BotAdded) -> None:
        """Back in a group it had left: the feeds that stopped then (a run found the group
        gone and planned nothing) are fetched again now, and on their schedule after that."""
        if await rows.resume_unplanned(tx.session, event.group_id, event.at):
            tx.after_commit(self.on_change)

    async def listing(self, uow: UnitOfWork, group_id: int) -> list[Feed]:
        return await rows.of_group(uow.session, group_id)

    async def remove(
        self, uow: UnitOfWork, group_id: int, actor_id: int, feed_id: int, at: datetime
    ) -> Feed:
        feed = await rows.get(uow.session, feed_id)
        if feed is None or feed.group_id != group_id:
            raise FeedNotFound(id=feed_id)
        await rows.delete(uow.session, feed_id)
        await audit.record(
            uow.session,
            group_id=group_id,
            actor_id=actor_id,
            action="feed_removed",
            at=at,
            details={"feed": feed_id, "url": feed.url},
        )
        uow.after_commit(self.on_change)
        await uow.commit()
        return feed

    # ---- what the scheduler does ----------------------------------------------------------
    async def planned(self) -> list[tuple[int, datetime]]:
        async with self._session_factory() as session:
            return await rows.planned(session)

    async def fingerprint(self) -> tuple[int, datetime | None]:
        async with self._session_factory() as session:
            return await rows.fingerprint(session)

    async def run(self, feed_id: int, due: datetime) -> FeedRun | None:
        """Fetch the feed and run its occurrence due at `due`, once; None if it ran before or
        the feed changed meanwhile (removed, planned for another time)."""
        async with self._session_factory() as session:
            before = await rows.get(session, feed_id)
        if before is None or before.next_run_at != due:
            return None
        fetched = await self._fetch_safely(before)
        parsed = None
        if fetched.error is None and fetched.body is not None:
            try:
                parsed = parse_feed(fetched.body, fetched.content_type)
            except NotAFeed:
                fetched = Fetched(error=NOT_A_FEED, detail="not RSS, Atom or JSON Feed")
            except Exception as exc:  # noqa: BLE001  (a parser bug: a failed run, not a loop)
                logger.exception("feed %s could not be parsed", feed_id)
                fetched = Fetched(error=NOT_A_FEED, detail=type(exc).__name__)

        async def work(uow: UnitOfWork) -> FeedRun | None:
            feed = await rows.get(uow.session, feed_id, for_update=True)
            if feed is None or feed.next_run_at != due:
                return None
            now = self._clock()
            group = (await self._groups.settings_in(uow.session, [feed.group_id])).get(
                feed.group_id
            )
            if group is None or not group.is_active:
                await rows.update(uow.session, feed_id, now, next_run_at=None)
                return None
            rule = parse_rule(feed.rule)
            next_run = self._planner(rule, group.timezone, feed.anchor_at, max(due, now))
            outcome = _Outcome({"next_run_at": next_run})
            failure = None
            if fetched.error is not None:
                outcome.values.update(error_streak=feed.error_streak + 1, last_error=fetched.error)
                failure = fetched.error if feed.error_streak == 0 else None
            else:
                outcome.values.update(error_streak=0, last_error=None, fetched_at=now)
                if parsed is not None:
                    limit = int(group.values.get(FEED_MAX_ITEMS, DEFAULT_FEED_ITEMS))
                    await self._take_new(uow, feed, parsed.items, limit, fetched, outcome, now)
                    if parsed.title:
                        outcome.values["title"] = parsed.title[:255]
            outcome.values["runs"] = feed.runs + 1
            await rows.update(uow.session, feed_id, now, **outcome.values)
            report_chat = None
            if failure is not None:
                report_chat = await staff_rows.staff_chat_of(uow.session, feed.group_id)
            return FeedRun(
                feed_id,
                feed.group_id,
                feed.thread_id,
                group.language,
                str(outcome.values.get("title") or feed.title),
                feed.url,
                tuple(outcome.items),
                failure,
                fetched.detail,
                report_chat or feed.group_id,
                next_run,
            )

        done, result = await run_once(
            self._session_factory, occurrence_key("feed", feed_id, due), work, bus=self._bus
        )
        return result if done else None

    async def _fetch_safely(self, feed: Feed) -> Fetched:
        try:
            await self._guard(feed.url)  # the host may resolve elsewhere than when it was added
        except (FeedAddressRefused, InvalidFeedUrl):
            return Fetched(error=BLOCKED, detail="address refused")
        try:
            return await self._fetch(feed.url, feed.etag, feed.last_modified)
        except Exception as exc:  # noqa: BLE001  (recorded as a failed run; retried on schedule)
            logger.exception("feed %s could not be fetched", feed.id)
            return Fetched(error=UNREACHABLE, detail=type(exc).__name__)

    async def _take_new(
        self,
        uow: UnitOfWork,
        feed: Feed,
        items: list[FeedItem],
        limit: int,
        fetched: Fetched,
        outcome: _Outcome,
        now: datetime,
    ) -> None:
        known = await rows.seen(uow.session, feed.id, (k for i in items for k in i.keys))
        new = [i for i in items if not known.intersection(i.keys)]
        first = feed.fetched_at is None
        if first:
            posted, marked = new[-limit:], new  # the newest few; the archive is passed over
        else:
            posted = marked = new[:limit]  # oldest first; the rest at the next run
        outcome.items = posted
        await rows.add_seen(uow.session, feed.id, (k for i in marked for k in i.keys), now)
        await rows.prune_seen(uow.session, feed.id)
        if len(marked) == len(new):
            # Validators only once everything new was taken: a 304 must not hide the rest.
            outcome.values.update(
                etag=_short(fetched.etag, 255), last_modified=_short(fetched.last_modified, 64)
            )


def _short(value: str | None, limit: int) -> str | None:
    return value if value is not None and len(value) <= limit else None
