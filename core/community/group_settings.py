"""A group's settings as a plain value, and the in-process cache of them (with expiry)."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from core.community.settings import DAY_START, LANGUAGE, TIMEZONE

T = TypeVar("T")


class GroupSettings:
    """The group (id, title, active) and the value of every declared setting.

    Immutable. `timezone`, `day_start_hour` and `language` are typed attributes (every area needs
    them); any setting is `value(key)`. Rules a feature derives from its settings are built once
    per object with `derived(build)` (a new object, after a change or a reload, builds afresh).
    """

    __slots__ = (
        "group_id",
        "title",
        "is_active",
        "timezone",
        "day_start_hour",
        "language",
        "_values",
        "_derived",
    )

    group_id: int
    title: str
    is_active: bool
    timezone: str
    day_start_hour: int
    language: str

    def __init__(
        self, group_id: int, title: str, values: Mapping[str, Any], is_active: bool = True
    ) -> None:
        setter = object.__setattr__
        setter(self, "group_id", group_id)
        setter(self, "title", title)
        setter(self, "is_active", is_active)
        setter(self, "timezone", values[TIMEZONE])
        setter(self, "day_start_hour", values[DAY_START])
        setter(self, "language", values[LANGUAGE])
        setter(self, "_values", dict(values))
        setter(self, "_derived", {})

    def value(self, key: str) -> Any:
        return self._values[key]

    @property
    def values(self) -> Mapping[str, Any]:
        return dict(self._values)

    def with_value(self, key: str, value: Any) -> GroupSettings:
        if key not in self._values:
            raise KeyError(key)
        return GroupSettings(
            self.group_id, self.title, {**self._values, key: value}, self.is_active
        )

    def derived(self, build: Callable[[GroupSettings], T]) -> T:
        """build(self), computed on first use and kept with this object."""
        try:
            return self._derived[build]  # type: ignore[no-any-return]
        except KeyError:
            result = self._derived[build] = build(self)
            return result

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"GroupSettings is immutable ({name})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GroupSettings):
            return NotImplemented
        return (self.group_id, self.title, self.is_active, self._values) == (
            other.group_id,
            other.title,
            other.is_active,
            other._values,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"GroupSettings(group_id={self.group_id!r}, title={self.title!r}, "
            f"is_active={self.is_active!r}, values={self._values!r})"
        )


class GroupCache:
    """Group settings kept in memory, each for at most `max_age` seconds.

    Other processes (a second bot on the same database, an admin tool) may change a group's
    settings: an entry older than `max_age` is not served, so the next use reloads it. At most
    `max_size` groups are kept; the least recently used go first. `clock` is monotonic seconds.
    """

    def __init__(
        self,
        max_age: float,
        max_size: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_size < 1:
            raise ValueError("max_size must be at least 1")
        self._max_age = max_age
        self._max_size = max_size
        self._clock = clock
        self._items: OrderedDict[int, tuple[float, GroupSettings]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def now(self) -> float:
        return self._clock()

    def get(self, group_id: int) -> GroupSettings | None:
        item = self._items.get(group_id)
        if item is None:
            return None
        if self._clock() - item[0] >= self._max_age:
            del self._items[group_id]  # expired: the caller reloads it
            return None
        self._items.move_to_end(group_id)
        return item[1]

    def put(self, settings: GroupSettings, read_at: float) -> GroupSettings:
        """Keep settings read at `read_at` (from `now()`, taken before the read), unless what is
        cached was read later (a load that raced with a change); returns what is cached."""
        group_id = settings.group_id
        current = self._items.get(group_id)
        if current is not None and current[0] > read_at:
            return current[1]
        self._items[group_id] = (read_at, settings)
        self._items.move_to_end(group_id)
        while len(self._items) > self._max_size:
            self._items.popitem(last=False)
        return settings

    def forget(self, group_id: int) -> None:
        self._items.pop(group_id, None)
