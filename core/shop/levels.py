"""Levels from lifetime earned points (spending never lowers a level), per-group curve and titles."""

from __future__ import annotations

from dataclasses import dataclass

from core.community.group_settings import GroupSettings
from core.settings import SettingSpec, SettingsSection

LEVEL_THRESHOLDS = "level_thresholds"
LEVEL_TITLES = "level_titles"
ANNOUNCE = "announce_badges"
ANNOUNCE_CHOICES = ("group", "dm", "off")
MAX_LEVELS = 20
MAX_THRESHOLD = 10_000_000
MAX_TITLE = 24
DEFAULT_TITLES = "default"  # the localized titles (level-title-N)
# Ten points a day for check-ins (the default) and a 20-point bonus on day 7: level 2 after
# about a week of daily check-ins, sooner for members who also chat.
DEFAULT_THRESHOLDS = "0,70,300,1000,3000"


def parse_thresholds(text: str) -> str:
    """Points needed for level 1, 2, …: "0,70,300" (starts at 0, strictly increasing)."""
    parts = [p.strip() for p in text.replace(" ", ",").split(",") if p.strip()]
    if not parts or any(not p.isdecimal() or len(p) > 8 for p in parts):
        raise ValueError(text)
    values = [int(p) for p in parts]
    if values[0] != 0:
        values = [0, *values]
    if len(values) > MAX_LEVELS or values[-1] > MAX_THRESHOLD:
        raise ValueError(text)
    if any(b <= a for a, b in zip(values, values[1:], strict=False)):
        raise ValueError(text)
    return ",".join(str(v) for v in values)


def parse_announce(text: str) -> str:
    value = text.strip().lower()
    if value not in ANNOUNCE_CHOICES:
        raise ValueError(text)
    return value


def parse_titles(text: str) -> str:
    """Titles of level 1, 2, … separated by commas (，too), or "default"."""
    text = text.strip()
    if text.lower() in ("", DEFAULT_TITLES):
        return DEFAULT_TITLES
    names = [n.strip() for n in text.replace("，", ",").split(",")]
    if len(names) > MAX_LEVELS or any(not n or len(n) > MAX_TITLE for n in names):
        raise ValueError(text)
    return ",".join(names)


SHOP_SETTINGS = SettingsSection(
    "shop",
    (
        SettingSpec(
            key=LEVEL_THRESHOLDS,
            parse=parse_thresholds,
            default=DEFAULT_THRESHOLDS,
            aliases=("levels",),
            choices=(DEFAULT_THRESHOLDS, "0,50,200,500,1500", "0,100,500,2000,5000"),
            hint="0,70,300,1000,3000",
        ),
        SettingSpec(
            key=LEVEL_TITLES,
            parse=parse_titles,
            default=DEFAULT_TITLES,
            aliases=("titles",),
            choices=(DEFAULT_TITLES, "新人,活跃成员,核心成员,社区之星,传奇"),
            hint="Newcomer,Regular,Core,Star,Legend",
        ),
        SettingSpec(
            key=ANNOUNCE,
            parse=parse_announce,
            default="group",
            choices=ANNOUNCE_CHOICES,
            hint="group, dm, off",
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class LevelCurve:
    thresholds: tuple[int, ...]  # points for level 1 (0), 2, …
    titles: tuple[str, ...]  # admins' titles; empty: the localized ones

    def level(self, earned: int) -> int:
        return sum(1 for t in self.thresholds if earned >= t) or 1

    def progress(self, earned: int) -> Progress:
        level = self.level(earned)
        floor = self.thresholds[level - 1]
        if level >= len(self.thresholds):
            return Progress(level, earned, floor, None)
        return Progress(level, earned, floor, self.thresholds[level])

    def title(self, level: int) -> str | None:
        """The admins' title for the level, or None (then the localized one)."""
        if 0 < level <= len(self.titles):
            return self.titles[level - 1]
        return None


@dataclass(frozen=True, slots=True)
class Progress:
    level: int
    earned: int
    floor: int  # points where this level began
    next_at: int | None  # points for the next level; None at the top

    def bar(self, width: int = 10) -> str:
        if self.next_at is None:
            return "▰" * width
        done = (self.earned - self.floor) * width // (self.next_at - self.floor)
        return "▰" * done + "▱" * (width - done)


def _curve(settings: GroupSettings) -> LevelCurve:
    thresholds = tuple(int(v) for v in str(settings.value(LEVEL_THRESHOLDS)).split(","))
    titles = str(settings.value(LEVEL_TITLES))
    return LevelCurve(thresholds, () if titles == DEFAULT_TITLES else tuple(titles.split(",")))


def level_curve(settings: GroupSettings) -> LevelCurve:
    return settings.derived(_curve)
