"""Redis for the tests: the shared server on 127.0.0.1:6379 with a key prefix of the test's own
(removed afterwards), or a private redis-server a test may stop and start again."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from devtools.bot_process import free_port
from devtools.redis_keys import wipe

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TOKEN = "123456:TEST"


def unique_prefix() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


@asynccontextmanager
async def shared_link(url: str = REDIS_URL, prefix: str | None = None) -> AsyncIterator[Any]:
    """A RedisLink on the shared server under a prefix of its own, wiped at the end."""
    from bot.redis_link import RedisLink, namespace

    prefix = prefix or unique_prefix()
    link = await RedisLink.connect(url, namespace(TOKEN, prefix))
    try:
        yield link
    finally:
        await link.close()
        await wipe(url, prefix)


class PrivateRedis:
    """A redis-server of the test's own (no persistence), to stop and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> PrivateRedis:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed (make test installs it)"
        self.process = subprocess.Popen(  # noqa: ASYNC220  (returns at once)
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis.asyncio as redis

        for _ in range(100):
            client = redis.from_url(self.url)
            try:
                await client.ping()
                return self
            except Exception:  # noqa: BLE001
                await asyncio.sleep(0.05)
            finally:
                await client.aclose()
        raise AssertionError("private redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
