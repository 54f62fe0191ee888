"""The connection to Redis, for what several processes of one bot must agree on: Telegram's
limits (bot/shared_limits.py) and the busy-group digest (bot/shared_digest.py).

Imported only when REDIS_URL is set: one process needs no Redis, and redis-py is not loaded.
Every key lives under `<prefix>:{<hash of the token>}:` — the hash tag keeps a bot's keys in one
Redis Cluster slot (its scripts touch several), and the token itself is never written anywhere.
A lost connection is not fatal: callers wait and try again; the link logs the change once and
reports it as the `bot_redis_up` metric.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis.asyncio as redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.config import StartupError

logger = logging.getLogger(__name__)

# What "Redis is unreachable right now" looks like (the caller waits and tries again).
UNREACHABLE: tuple[type[BaseException], ...] = (
    RedisConnectionError,
    RedisTimeoutError,
    ConnectionError,
    TimeoutError,
    OSError,
)


class RedisUnavailable(StartupError):
    """Redis could not be reached at start: the message names REDIS_URL (without password)."""


def namespace(token: str, prefix: str) -> str:
    digest = hashlib.sha256(token.encode()).hexdigest()[:16]
    return f"{prefix}:{{{digest}}}"


def redacted(url: str) -> str:
    """The URL without its password (for messages and logs)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


class RedisLink:
    def __init__(
        self,
        client: Any,
        ns: str,
        *,
        on_state: Callable[[bool], None] | None = None,
        on_error: Callable[[], None] | None = None,
        url: str = "",
    ) -> None:
        self.client = client
        self.ns = ns
        self.up = True
        self._on_state = on_state or (lambda _up: None)
        self._on_error = on_error or (lambda: None)
        self._url = redacted(url)
        self._on_state(True)

    @classmethod
    async def connect(
        cls,
        url: str,
        ns: str,
        *,
        timeout: float = 3.0,
        on_state: Callable[[bool], None] | None = None,
        on_error: Callable[[], None] | None = None,
    ) -> RedisLink:
        """Connect and ping; RedisUnavailable (naming REDIS_URL) if Redis does not answer."""
        try:
            client = redis.from_url(
                url,
                socket_connect_timeout=timeout,
                socket_timeout=timeout,
                health_check_interval=15,
            )
        except (ValueError, RedisError) as exc:
            raise RedisUnavailable(f"REDIS_URL={redacted(url)} is not a Redis URL: {exc}") from exc
        try:
            await client.ping()
        except (RedisError, *UNREACHABLE) as exc:
            await client.aclose()
            raise RedisUnavailable(
                f"REDIS_URL={redacted(url)}: Redis does not answer ({exc}). Start Redis, fix "
                "REDIS_URL, or unset it to run a single process without Redis."
            ) from exc
        return cls(client, ns, on_state=on_state, on_error=on_error, url=url)

    def key(self, *parts: object) -> str:
        return ":".join((self.ns, *(str(p) for p in parts)))

    def script(self, source: str) -> Any:
        """A Lua script, run by its SHA (loaded again by redis-py if Redis forgot it)."""
        return self.client.register_script(source)

    def failed(self, exc: BaseException) -> None:
        self._on_error()
        if self.up:
            self.up = False
            logger.warning("Redis at %s unreachable (%r): sends wait for it", self._url, exc)
            self._on_state(False)

    def answered(self) -> None:
        if not self.up:
            self.up = True
            logger.warning("Redis at %s answers again: sends resume", self._url)
            self._on_state(True)

    async def ping(self) -> bool:
        try:
            await self.client.ping()
        except (RedisError, *UNREACHABLE) as exc:
            self.failed(exc)
            return False
        self.answered()
        return True

    async def close(self) -> None:
        try:
            await self.client.aclose()
        except Exception:  # noqa: BLE001
            pass
