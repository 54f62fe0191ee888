"""Engagement settings (check-in points and streak bonuses; points for chat activity) and the
rules derived from them, computed once per settings object (the hot path asks per event)."""

from __future__ import annotations

from dataclasses import dataclass

from core.community.group_settings import GroupSettings
from core.engagement.rules import ActivityRule, format_milestones, parse_milestones
from core.settings import SettingSpec, SettingsSection, int_spec

CHECKIN_POINTS = "checkin_points"
MILESTONES = "milestones"
ACTIVITY_POINTS = "activity_points"
ACTIVITY_MIN_LENGTH = "activity_min_length"
ACTIVITY_COOLDOWN = "activity_cooldown"
ACTIVITY_DAILY_CAP = "activity_daily_cap"


def parse_milestone_text(text: str) -> str:
    """Streak bonuses in their canonical text ("7:20,30:100", or "none")."""
    return format_milestones(parse_milestones(text)) if text.strip() else "none"


CHECKIN_SETTINGS = SettingsSection(
    "checkin",
    (
        int_spec(
            CHECKIN_POINTS, 0, 10_000, 10, aliases=("points",), choices=("5", "10", "20", "50")
        ),
        SettingSpec(
            key=MILESTONES,
            parse=parse_milestone_text,
            default="7:20,30:100",
            choices=("7:20,30:100", "3:5,7:20,30:100", "7:50,30:200,100:1000", "none"),
            hint="7:20,30:100",
        ),
    ),
)

ACTIVITY_SETTINGS = SettingsSection(
    "activity",
    (
        int_spec(ACTIVITY_POINTS, 0, 100, 1, choices=("0", "1", "2", "5")),
        int_spec(ACTIVITY_MIN_LENGTH, 0, 1000, 5, choices=("0", "5", "10", "20")),
        int_spec(ACTIVITY_COOLDOWN, 0, 86_400, 60, choices=("0", "30", "60", "300")),
        int_spec(ACTIVITY_DAILY_CAP, 0, 10_000, 20, choices=("0", "10", "20", "50")),
    ),
)


@dataclass(frozen=True, slots=True)
class CheckinRule:
    points: int
    milestones: dict[int, int]  # streak day -> bonus


def _checkin_rule(settings: GroupSettings) -> CheckinRule:
    return CheckinRule(
        points=settings.value(CHECKIN_POINTS),
        milestones=parse_milestones(settings.value(MILESTONES)),
    )


def _activity_rule(settings: GroupSettings) -> ActivityRule:
    return ActivityRule(
        points=settings.value(ACTIVITY_POINTS),
        min_length=settings.value(ACTIVITY_MIN_LENGTH),
        cooldown_seconds=settings.value(ACTIVITY_COOLDOWN),
        daily_cap=settings.value(ACTIVITY_DAILY_CAP),
    )


def checkin_rule(settings: GroupSettings) -> CheckinRule:
    """Points per check-in and streak bonuses of the group (built once per settings object)."""
    return settings.derived(_checkin_rule)


def activity_rule(settings: GroupSettings) -> ActivityRule:
    """What a chat message earns in the group (built once per settings object)."""
    return settings.derived(_activity_rule)


def checkin_points(settings: GroupSettings) -> int:
    return checkin_rule(settings).points


def milestone_map(settings: GroupSettings) -> dict[int, int]:
    return checkin_rule(settings).milestones
