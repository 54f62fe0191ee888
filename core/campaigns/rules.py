"""Campaign rules (pure): quiet hours, the holdout draw, the one-line form, the message text."""

from __future__ import annotations

import html
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.errors import DomainError
from core.schedule.when import ONCE, parse_when

MAX_TEXT = 4096  # Telegram's limit for a message's text (after the name is filled in)
MAX_NAME = 64
MAX_POINTS = 10_000


class CampaignError(DomainError):
    key = "campaign-error"


class BadOption(CampaignError):
    key = "campaign-error-option"  # args: option


class NoMessage(CampaignError):
    key = "campaign-error-no-message"


class TextTooLong(CampaignError):
    key = "campaign-error-too-long"  # args: length, max


class BadLink(CampaignError):
    key = "campaign-error-link"


@dataclass(frozen=True, slots=True)
class QuietHours:
    start: time
    end: time

    @property
    def text(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def contains(self, local: time) -> bool:
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end  # across midnight

    def next_allowed(self, now: datetime, timezone: str) -> datetime | None:
        """None if sending is allowed at `now`, else the instant the quiet hours end."""
        here = now.astimezone(ZoneInfo(timezone))
        if not self.contains(here.time()):
            return None
        end = here.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        if end <= here:
            end += timedelta(days=1)
        return end.astimezone(now.tzinfo)


_QUIET = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–~到至]\s*(\d{1,2}):(\d{2})\s*$")


def parse_quiet(text: str) -> QuietHours | None:
    """ "22:00-08:00" -> QuietHours; "off" (关) -> None; anything else: ValueError."""
    value = text.strip().lower()
    if value in ("off", "none", "no", "关", "关闭", "无"):
        return None
    found = _QUIET.match(value)
    if not found:
        raise ValueError(text)
    h1, m1, h2, m2 = (int(g) for g in found.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59 or (h1, m1) == (h2, m2):
        raise ValueError(text)
    return QuietHours(time(h1, m1), time(h2, m2))


def draw_holdout(user_ids: Iterable[int], percent: int, seed: int) -> set[int]:
    """The control group: round(n × percent / 100) members drawn at random (the seed is kept
    with the campaign, so the draw can be checked), from the whole audience."""
    ordered = sorted(set(user_ids))
    size = round(len(ordered) * percent / 100)
    return set(random.Random(seed).sample(ordered, size)) if size else set()


@dataclass(frozen=True, slots=True)
class Options:
    """What the one-line form says besides the audience and the text."""

    button: str = "none"  # none | link | claim
    url: str = ""
    points: int = 0
    at: str = ""  # when, as typed (the group's time), empty: now
    holdout: int | None = None  # percent; None: the group's setting


_OPTION = re.compile(r"^(claim|link|at|holdout|领取|链接|时间|对照)[=:＝：](.+)$", re.IGNORECASE)
_NAMES = {"领取": "claim", "链接": "link", "时间": "at", "对照": "holdout"}


def read_options(words: list[str]) -> tuple[Options, int]:
    """Leading `claim=50`, `link=https://…`, `at=09:00`, `holdout=20` words; (options, words
    used). A word that looks like an option but is not a valid one is an error, not text."""
    found: dict[str, object] = {}
    used = 0
    for word in words:
        match = _OPTION.match(word)
        if not match:
            break
        name = _NAMES.get(match.group(1), match.group(1).lower())
        value = match.group(2)
        if name == "claim":
            if not value.isdecimal() or not 0 < int(value) <= MAX_POINTS:
                raise BadOption(option=word[:40])
            found["button"], found["points"] = "claim", int(value)
        elif name == "link":
            if not re.match(r"^https?://[^\s<>\"]+$", value) or len(value) > 500:
                raise BadLink()
            found["button"], found["url"] = "link", value
        elif name == "holdout":
            if not value.rstrip("%").isdecimal() or int(value.rstrip("%")) > 50:
                raise BadOption(option=word[:40])
            found["holdout"] = int(value.rstrip("%"))
        else:
            found["at"] = value
        used += 1
    return Options(**found), used  # type: ignore[arg-type]


def personal_text(template: str, name: str) -> str:
    """The stored HTML text with {name} (or {名字}) filled in, escaped."""
    who = html.escape(name[:MAX_NAME] or "👋")
    return template.replace("{name}", who).replace("{名字}", who)


def check_text(template: str) -> None:
    if not template.strip():
        raise NoMessage()
    longest = len(personal_text(template, "x" * MAX_NAME))
    if longest > MAX_TEXT:
        raise TextTooLong(length=longest, max=MAX_TEXT)


class BadWhen(DomainError):
    key = "campaign-error-when"


def start_at(value: str, now: datetime, timezone: str) -> datetime | None:
    """When a campaign starts: None for now, else one time (`at=` or the guided step)."""
    if not value or value.lower() in ("now", "现在", "立即"):
        return None
    words = value.replace("T", " ").replace("_", " ").split()
    try:
        rule, used = parse_when(words, now, timezone)
    except DomainError:
        raise BadWhen() from None
    if rule.kind != ONCE or used != len(words) or rule.at is None:
        raise BadWhen()
    return rule.at
