"""Pure point and streak rules, free of I/O so they can be tested directly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

MAX_MILESTONES = 20
MAX_STREAK_MILESTONE = 3650
MAX_BONUS = 100_000


def next_streak(last_checkin_day: date | None, streak: int, today: date) -> int:
    """Consecutive days build a streak; any missed day starts again at 1."""
    if last_checkin_day is not None and last_checkin_day == today - timedelta(days=1):
        return streak + 1
    return 1


def parse_milestones(text: str) -> dict[int, int]:
    """'7:20,30:100' -> {7: 20, 30: 100}. Raises ValueError on anything else."""
    result: dict[int, int] = {}
    text = text.strip()
    if text in ("", "-", "none", "off"):
        return result
    for part in text.replace("，", ",").replace("：", ":").replace(" ", "").split(","):
        if not part:
            continue
        day_text, sep, bonus_text = part.partition(":")
        if not sep or not day_text.isdecimal() or not bonus_text.isdecimal():
            raise ValueError(part)
        day, bonus = int(day_text), int(bonus_text)
        if not 1 <= day <= MAX_STREAK_MILESTONE or not 0 <= bonus <= MAX_BONUS or day in result:
            raise ValueError(part)
        result[day] = bonus
    if len(result) > MAX_MILESTONES:
        raise ValueError(text)
    return dict(sorted(result.items()))


def format_milestones(milestones: dict[int, int]) -> str:
    return ",".join(f"{day}:{bonus}" for day, bonus in sorted(milestones.items())) or "none"


def milestone_bonus(milestones: dict[int, int], streak: int) -> int:
    return milestones.get(streak, 0)


@dataclass(frozen=True, slots=True)
class ActivityRule:
    points: int
    min_length: int
    cooldown_seconds: int
    daily_cap: int


@dataclass(frozen=True, slots=True)
class ActivityState:
    day: date | None
    today: int
    last_at: datetime | None


def activity_credit(
    rule: ActivityRule, state: ActivityState, text_length: int, at: datetime, today: date
) -> int:
    """Points a chat message earns: long enough, outside the cooldown, under the daily cap."""
    if rule.points <= 0 or text_length < rule.min_length:
        return 0
    if state.last_at is not None and (at - state.last_at).total_seconds() < rule.cooldown_seconds:
        return 0
    earned_today = state.today if state.day == today else 0
    return max(0, min(rule.points, rule.daily_cap - earned_today))


def ordinal_en(n: int) -> str:
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
