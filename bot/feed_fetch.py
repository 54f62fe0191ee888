"""Fetching a content feed: only public addresses, bounded in time and size, conditional.

- **Addresses.** The host is resolved here and every address must be public (core.schedule.
  feeds.is_public_address); the request then goes to the address that was checked (the URL's
  host is sent as Host and, for https, as the TLS server name, so the certificate is still
  verified for it): a name that resolves to a public address when checked and to 127.0.0.1
  when fetched (DNS rebinding) reaches nothing inside. Redirects are followed by hand, each
  hop checked the same way. `allow_private` (setting FEED_ALLOW_PRIVATE, for tests and local
  development) lets private and loopback addresses through; the scheme check stays.
- **Time.** Connect and read timeouts, and one deadline for the whole fetch (a server that
  drips one byte a second does not hold a run).
- **Size.** The body is read as a stream and the fetch stops past `max_bytes`.
- **Validators.** The ETag and Last-Modified of the last answer are sent back; 304 = nothing new.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Awaitable, Callable
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from core.schedule.feeds import (
    BLOCKED,
    TOO_BIG,
    UNREACHABLE,
    FeedAddressRefused,
    Fetched,
    InvalidFeedUrl,
    check_url,
    is_public_address,
)

logger = logging.getLogger(__name__)

MAX_BYTES = 2_000_000
MAX_REDIRECTS = 3
DEADLINE_SECONDS = 20.0
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
ACCEPT = (
    "application/feed+json, application/json;q=0.9, application/atom+xml, "
    "application/rss+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
)

# host, port -> addresses (getaddrinfo by default; tests give their own).
Resolver = Callable[[str, int], Awaitable[list[str]]]


async def system_resolver(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    infos = await asyncio.wait_for(
        loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout=5.0
    )
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class AddressGuard:
    """Resolves a URL's host and refuses non-public addresses (unless `allow_private`)."""

    def __init__(self, *, allow_private: bool = False, resolver: Resolver = system_resolver):
        self.allow_private = allow_private
        self._resolve = resolver

    async def addresses(self, url: str) -> list[str]:
        parts = urlsplit(check_url(url))
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        try:
            found = [str(ipaddress.ip_address(host))] if _is_literal(host) else []
            found = found or await self._resolve(host, port)
        except (OSError, TimeoutError, UnicodeError):
            raise FeedAddressRefused(host=host[:60], reason="unresolved") from None
        if not found:
            raise FeedAddressRefused(host=host[:60], reason="unresolved")
        if not self.allow_private and not all(is_public_address(a) for a in found):
            raise FeedAddressRefused(host=host[:60], reason="private")
        return found

    async def __call__(self, url: str) -> None:
        await self.addresses(url)


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _pinned(url: str, address: str) -> tuple[str, str, str]:
    """(the URL with its host replaced by `address`, the Host header, the TLS server name)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    literal = f"[{address}]" if ":" in address else address
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    host_header = parts.netloc.rsplit("@", 1)[-1]
    return (
        urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")),
        host_header,
        host,
    )


class FeedFetcher:
    def __init__(
        self,
        client: httpx.AsyncClient,
        guard: AddressGuard,
        *,
        max_bytes: int = MAX_BYTES,
        deadline: float = DEADLINE_SECONDS,
    ) -> None:
        self._client = client
        self._guard = guard
        self._max = max_bytes
        self._deadline = deadline

    async def __call__(self, url: str, etag: str | None, last_modified: str | None) -> Fetched:
        try:
            return await asyncio.wait_for(self._fetch(url, etag, last_modified), self._deadline)
        except TimeoutError:
            return Fetched(error=UNREACHABLE, detail="timed out")
        except (FeedAddressRefused, InvalidFeedUrl):
            return Fetched(error=BLOCKED, detail="address refused")
        except httpx.HTTPError as exc:
            return Fetched(error=UNREACHABLE, detail=type(exc).__name__)

    async def _fetch(self, url: str, etag: str | None, last_modified: str | None) -> Fetched:
        headers = {"Accept": ACCEPT, "User-Agent": "community-bot feed reader"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _ in range(MAX_REDIRECTS + 1):
            address = (await self._guard.addresses(url))[0]
            target, host, server_name = _pinned(url, address)
            extensions = {"sni_hostname": server_name} if url.lower().startswith("https") else {}
            request = self._client.build_request(
                "GET",
                target,
                headers={**headers, "Host": host},
                timeout=TIMEOUT,
                extensions=extensions,
            )
            response = await self._client.send(request, stream=True, follow_redirects=False)
            try:
                if response.is_redirect and "location" in response.headers:
                    url = check_url(urljoin(url, response.headers["location"]))
                    continue
                return await self._read(response)
            finally:
                await response.aclose()
        return Fetched(error=UNREACHABLE, detail="too many redirects")

    async def _read(self, response: httpx.Response) -> Fetched:
        if response.status_code == 304:
            return Fetched(body=None)
        if response.status_code >= 400:
            return Fetched(error=UNREACHABLE, detail=f"HTTP {response.status_code}")
        declared = response.headers.get("content-length", "")
        if declared.isdecimal() and int(declared) > self._max:
            return Fetched(error=TOO_BIG, detail=f"{int(declared)} bytes")
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > self._max:
                return Fetched(error=TOO_BIG, detail=f"over {self._max} bytes")
        return Fetched(
            body=bytes(body),
            content_type=response.headers.get("content-type", ""),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )
