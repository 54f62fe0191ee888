"""A group's settings as a plain value, the rules for changing them, and an in-process cache."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.engagement.rules import ActivityRule, format_milestones, parse_milestones
from core.errors import InvalidSetting, UnknownSetting


@dataclass(frozen=True)
class GroupSettings:
    group_id: int
    title: str
    timezone: str
    day_start_hour: int
    language: str
    checkin_points: int
    milestones: str
    activity_points: int
    activity_min_length: int
    activity_cooldown_seconds: int
    activity_daily_cap: int
    is_active: bool = True

    @cached_property
    def milestone_map(self) -> dict[int, int]:
        return parse_milestones(self.milestones)

    @cached_property
    def activity_rule(self) -> ActivityRule:
        return ActivityRule(
            points=self.activity_points,
            min_length=self.activity_min_length,
            cooldown_seconds=self.activity_cooldown_seconds,
            daily_cap=self.activity_daily_cap,
        )

    @classmethod
    def from_row(cls, row: object) -> GroupSettings:
        return cls(
            **{f.name: getattr(row, "id" if f.name == "group_id" else f.name) for f in fields(cls)}
        )


def _int_in(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        text = text.strip()
        if not text.lstrip("-").isdecimal() or len(text) > 9:
            raise ValueError(text)
        value = int(text)
        if not low <= value <= high:
            raise ValueError(text)
        return value

    parse.hint = f"{low}–{high}"  # type: ignore[attr-defined]
    return parse


def _timezone(text: str) -> str:
    text = text.strip()
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(text) from exc
    if "/" not in text and text not in ("UTC",):
        raise ValueError(text)
    return text


_timezone.hint = "Asia/Shanghai, Europe/Berlin, UTC"  # type: ignore[attr-defined]


def _language(text: str) -> str:
    value = text.strip().lower()
    if value in ("zh", "cn", "中文", "zh-hans", "zh-cn"):
        return "zh"
    if value in ("en", "english"):
        return "en"
    raise ValueError(text)


_language.hint = "zh, en"  # type: ignore[attr-defined]


def _milestones(text: str) -> str:
    return format_milestones(parse_milestones(text)) if text.strip() else "none"


_milestones.hint = "7:20,30:100"  # type: ignore[attr-defined]

# Public setting key -> (column, parser). Keys are what admins type after /settings.
SETTINGS: dict[str, tuple[str, Callable[[str], object]]] = {
    "timezone": ("timezone", _timezone),
    "day_start": ("day_start_hour", _int_in(0, 23)),
    "language": ("language", _language),
    "checkin_points": ("checkin_points", _int_in(0, 10_000)),
    "milestones": ("milestones", _milestones),
    "activity_points": ("activity_points", _int_in(0, 100)),
    "activity_min_length": ("activity_min_length", _int_in(0, 1000)),
    "activity_cooldown": ("activity_cooldown_seconds", _int_in(0, 86_400)),
    "activity_daily_cap": ("activity_daily_cap", _int_in(0, 10_000)),
}
SETTING_ALIASES = {
    "tz": "timezone",
    "daystart": "day_start",
    "lang": "language",
    "points": "checkin_points",
}


def resolve_key(word: str) -> str:
    """The public setting key an admin meant (aliases, any case); UnknownSetting otherwise."""
    key = SETTING_ALIASES.get(word.lower(), word.lower())
    if key not in SETTINGS:
        raise UnknownSetting(key=key[:32], keys=", ".join(SETTINGS))
    return key


def parse_setting(key: str, value: str) -> tuple[str, object]:
    """Validate an admin's `/settings <key> <value>`; returns (column, parsed value)."""
    key = resolve_key(key)
    column, parser = SETTINGS[key]
    try:
        return column, parser(value)
    except ValueError:
        raise InvalidSetting(key=key, value=value[:64], hint=parser.hint) from None  # type: ignore[attr-defined]


def setting_key_for(column: str) -> str:
    return next(key for key, (col, _) in SETTINGS.items() if col == column)


class GroupCache:
    """Group settings kept in memory; this process is the only writer, so it invalidates itself."""

    def __init__(self) -> None:
        self._items: dict[int, GroupSettings] = {}

    def get(self, group_id: int) -> GroupSettings | None:
        return self._items.get(group_id)

    def put(self, settings: GroupSettings) -> None:
        self._items[settings.group_id] = settings

    def forget(self, group_id: int) -> None:
        self._items.pop(group_id, None)

    def with_change(self, settings: GroupSettings, column: str, value: object) -> GroupSettings:
        changed = replace(settings, **{column: value})
        self.put(changed)
        return changed


# What the /settings buttons offer for each key (admins can type any valid value instead).
SETTING_CHOICES: dict[str, tuple[str, ...]] = {
    "timezone": (
        "Asia/Shanghai",
        "Asia/Hong_Kong",
        "Asia/Taipei",
        "Asia/Singapore",
        "Asia/Tokyo",
        "Europe/London",
        "Europe/Berlin",
        "America/New_York",
        "America/Los_Angeles",
        "UTC",
    ),
    "day_start": ("0", "2", "4", "5", "6"),
    "language": ("zh", "en"),
    "checkin_points": ("5", "10", "20", "50"),
    "milestones": ("7:20,30:100", "3:5,7:20,30:100", "7:50,30:200,100:1000", "none"),
    "activity_points": ("0", "1", "2", "5"),
    "activity_min_length": ("0", "5", "10", "20"),
    "activity_cooldown": ("0", "30", "60", "300"),
    "activity_daily_cap": ("0", "10", "20", "50"),
}


def setting_value(settings: GroupSettings, key: str) -> object:
    return getattr(settings, SETTINGS[key][0])
