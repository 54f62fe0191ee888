"""BoundedCache: the one in-process cache, bounded in size and in age (an injectable clock)."""

from __future__ import annotations

import pytest

from core.cache import BoundedCache


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_size_bound_forgets_the_least_recently_written() -> None:
    cache: BoundedCache[str, int] = BoundedCache(3)
    for i, key in enumerate("abcd"):
        cache.put(key, i)
    assert len(cache) == 3 and cache.get("a") is None
    cache.put("b", 10)  # written again: now the newest
    cache.get("c")  # reading does not refresh
    cache.put("e", 4)
    assert [cache.get(k) for k in "bcde"] == [10, None, 3, 4]


def test_entries_expire_ttl_seconds_after_they_were_written() -> None:
    clock = FakeClock()
    cache: BoundedCache[str, str] = BoundedCache(100, 10.0, clock=clock)
    cache.put("old", "x")
    clock.now += 6
    cache.put("new", "y")
    clock.now += 3.9
    assert cache.get("old") == "x" and "old" in cache and len(cache) == 2
    clock.now += 0.1  # "old" is 10 s old
    assert cache.get("old") is None and "old" not in cache and cache.get("new") == "y"
    assert len(cache) == 1
    cache.put("new", "z")  # rewriting restarts its age
    clock.now += 9.9
    assert cache.get("new") == "z"
    clock.now += 0.1
    assert len(cache) == 0 and list(cache.values()) == []


def test_expired_entries_do_not_stay_in_memory() -> None:
    clock = FakeClock()
    cache: BoundedCache[int, int] = BoundedCache(1_000_000, 1.0, clock=clock)
    for i in range(10_000):
        cache.put(i, i)
    clock.now += 1.0
    cache.put(-1, -1)  # any call drops what expired
    assert len(cache._items) == 1  # noqa: SLF001


def test_a_cache_holds_at_least_one_entry() -> None:
    with pytest.raises(ValueError):
        BoundedCache(0)
