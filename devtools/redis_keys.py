"""Removing a prefix's keys from a shared Redis (tests and the bench use prefixes of their own)."""

from __future__ import annotations


async def wipe(url: str, prefix: str) -> None:
    """Delete every key under `prefix:`."""
    import redis.asyncio as redis

    client = redis.from_url(url)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*", count=1000)]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()
