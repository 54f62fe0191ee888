"""The one in-process cache: bounded in size and in age, so it never grows with every member seen."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """At most `max_size` entries, each forgotten `ttl` seconds after it was last written.

    Entries are kept in the order they were written (a write moves an entry to the end), so
    the expired ones are always the oldest: every call drops them from the front at O(1)
    amortised cost, and when the cache is full the least recently written entry goes first.
    Reading does not refresh an entry: its age is the age of what it says.
    """

    __slots__ = ("_clock", "_items", "_max", "_ttl")

    def __init__(
        self,
        max_size: int,
        ttl: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_size < 1:
            raise ValueError("max_size must be at least 1")
        self._max = max_size
        self._ttl = ttl
        self._clock = clock
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()

    @property
    def max_size(self) -> int:
        return self._max

    @property
    def ttl(self) -> float | None:
        return self._ttl

    def get(self, key: K) -> V | None:
        # On the hot path: only this entry's age is checked; writes drop the expired ones.
        entry = self._items.get(key)
        if entry is None:
            return None
        if self._ttl is not None and entry[0] <= self._clock() - self._ttl:
            del self._items[key]
            return None
        return entry[1]

    def put(self, key: K, value: V) -> None:
        now = self._clock()
        self._expire(now)
        items = self._items
        if key in items:
            items.move_to_end(key)
        items[key] = (now, value)
        while len(items) > self._max:
            items.popitem(last=False)

    def pop(self, key: K) -> V | None:
        entry = self._items.pop(key, None)
        return None if entry is None else entry[1]

    def clear(self) -> None:
        self._items.clear()

    def values(self) -> Iterator[V]:
        """The live values, oldest first."""
        self._expire(self._clock())
        return (value for _, value in list(self._items.values()))

    def __contains__(self, key: object) -> bool:
        self._expire(self._clock())
        return key in self._items

    def __len__(self) -> int:
        self._expire(self._clock())
        return len(self._items)

    def _expire(self, now: float) -> None:
        if self._ttl is None:
            return
        items = self._items
        oldest = now - self._ttl
        while items:
            written = next(iter(items.values()))[0]
            if written > oldest:
                return
            items.popitem(last=False)
