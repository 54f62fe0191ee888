"""A fetched feed's items: RSS and Atom through feedparser, JSON Feed (1.0, 1.1) with json.

feedparser copes with the feeds found in the wild (RSS 0.9x to 2.0, Atom 0.3 and 1.0, wrong
encodings, undeclared entities, missing dates) far better than a hand-written XML reader; it
does not read JSON Feed, which is plain JSON and read here.
"""

from __future__ import annotations

import calendar
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from core.errors import DomainError

MAX_TITLE = 200


class NotAFeed(DomainError):
    key = "feed-error-not-a-feed"


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One item: `ident` is its id (guid) or else its link or title; `published` if given."""

    ident: str
    title: str
    link: str
    published: datetime | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        """What marks it seen: a hash of its id and one of its link (either seen: not new)."""
        found = [f"i:{_digest(self.ident)}"]
        if self.link:
            found.append(f"l:{_digest(self.link)}")
        return tuple(found)


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str
    items: list[FeedItem]  # oldest first


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:40]


def _clean(text: object, limit: int = MAX_TITLE) -> str:
    words = " ".join(str(text or "").split())
    return words if len(words) <= limit else words[: limit - 1] + "…"


def _web_link(value: object) -> str:
    link = str(value or "").strip()
    return link if link.lower().startswith(("http://", "https://")) and len(link) <= 2000 else ""


def parse_feed(body: bytes, content_type: str = "") -> ParsedFeed:
    """The feed's title and items, oldest first; NotAFeed if it is neither RSS/Atom nor JSON
    Feed (an HTML page, say)."""
    head = body.lstrip()[:1]
    if "json" in content_type.lower() or head in (b"{", b"["):
        return _json_feed(body)
    return _xml_feed(body)


def _chronological(items: list[FeedItem]) -> list[FeedItem]:
    """Oldest first: by date if every item has one, else the document reversed (feeds list
    the newest first)."""
    if items and all(i.published is not None for i in items):
        return sorted(items, key=lambda i: i.published)  # type: ignore[arg-type,return-value]
    return list(reversed(items))


def _xml_feed(body: bytes) -> ParsedFeed:
    import feedparser  # on first use: only deployments with feeds pay for it

    parsed: Any = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version"):
        raise NotAFeed()
    items = []
    for entry in parsed.entries:
        link = _web_link(entry.get("link"))
        title = _clean(entry.get("title")) or _clean(entry.get("summary")) or link
        ident = str(entry.get("id") or link or title)
        if not ident:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = (
            datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp is not None else None
        )
        items.append(FeedItem(ident, title, link, published))
    return ParsedFeed(_clean(parsed.feed.get("title")), _chronological(items))


def _json_feed(body: bytes) -> ParsedFeed:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise NotAFeed() from None
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(version, str) or not version.startswith("https://jsonfeed.org/version/"):
        raise NotAFeed()
    entries = data.get("items")
    if not isinstance(entries, list):
        raise NotAFeed()
    items = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        link = _web_link(entry.get("url") or entry.get("external_url"))
        title = (
            _clean(entry.get("title"))
            or _clean(entry.get("summary"))
            or _clean(entry.get("content_text"))
            or link
        )
        ident = str(entry.get("id") or link or title)
        if not ident:
            continue
        items.append(FeedItem(ident, title, link, _json_date(entry.get("date_published"))))
    return ParsedFeed(_clean(data.get("title")), _chronological(items))


def _json_date(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        found = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return found.astimezone(UTC) if found.tzinfo is not None else found.replace(tzinfo=UTC)
