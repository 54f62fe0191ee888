"""Feedback settings (shown under /settings): points for feedback and for voting in polls,
and the private "why?" asked of survey detractors."""

from __future__ import annotations

from core.community.group_settings import GroupSettings
from core.schedule.settings import parse_switch
from core.settings import SettingSpec, SettingsSection, int_spec

FEEDBACK_POINTS = "feedback_points"
FEEDBACK_POINTS_DAILY_CAP = "feedback_points_daily_cap"
SURVEY_FOLLOWUP = "survey_followup"
POLL_POINTS = "poll_points"

DEFAULT_DAILY_CAP = 10

FEEDBACK_SETTINGS = SettingsSection(
    "feedback",
    (
        # Points per feedback item (0: none), at most the cap per member and local day.
        int_spec(FEEDBACK_POINTS, 0, 1000, 0, choices=("0", "1", "2", "5", "10")),
        int_spec(
            FEEDBACK_POINTS_DAILY_CAP,
            0,
            10_000,
            DEFAULT_DAILY_CAP,
            choices=("5", "10", "20", "50"),
        ),
        # Detractors (0-6) of an NPS survey are asked once, in private, why.
        SettingSpec(
            key=SURVEY_FOLLOWUP,
            parse=parse_switch,
            default="off",
            choices=("on", "off"),
            hint="on, off",
        ),
        # Points for voting in a poll (once per poll and member; 0: none).
        int_spec(POLL_POINTS, 0, 1000, 0, choices=("0", "1", "2", "5")),
    ),
)


def feedback_points(group: GroupSettings) -> tuple[int, int]:
    """(points per item, cap per member and day) of the group; (0, _) when off."""
    values = group.values
    return (
        int(values.get(FEEDBACK_POINTS, 0)),
        int(values.get(FEEDBACK_POINTS_DAILY_CAP, DEFAULT_DAILY_CAP)),
    )


def survey_followup(group: GroupSettings) -> bool:
    return group.values.get(SURVEY_FOLLOWUP) == "on"


def poll_points(group: GroupSettings) -> int:
    return int(group.values.get(POLL_POINTS, 0))
