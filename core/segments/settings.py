"""Segments settings: when a member counts as new, active, dormant, churned or returned, and
how the value tiers are cut; the thresholds derived once per settings object."""

from __future__ import annotations

from dataclasses import dataclass

from core.community.group_settings import GroupSettings
from core.settings import SettingsSection, int_spec

NEW_DAYS = "segment_new_days"
ACTIVE_DAYS = "segment_active_days"
DORMANT_DAYS = "segment_dormant_days"
CHURNED_DAYS = "segment_churned_days"
RETURNED_DAYS = "segment_returned_days"
CORE_PERCENT = "tier_core_percent"
REGULAR_PERCENT = "tier_regular_percent"

SEGMENT_SETTINGS = SettingsSection(
    "segments",
    (
        int_spec(NEW_DAYS, 1, 90, 7, choices=("3", "7", "14", "30")),
        int_spec(ACTIVE_DAYS, 1, 90, 7, choices=("3", "7", "14")),
        int_spec(DORMANT_DAYS, 2, 365, 14, choices=("10", "14", "21")),
        int_spec(CHURNED_DAYS, 2, 365, 30, choices=("30", "60", "90")),
        int_spec(RETURNED_DAYS, 1, 90, 14, choices=("7", "14", "30")),
        int_spec(CORE_PERCENT, 1, 50, 10, choices=("5", "10", "20")),
        int_spec(REGULAR_PERCENT, 0, 90, 30, choices=("20", "30", "40")),
    ),
)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Days without activity (or since joining) at which a member changes stage.

    Checked in this order (core/segments/stages.py), so settings that overlap still give one
    stage: churned from `churned` days without activity, dormant from `dormant`, at risk (the
    baseline) from `active`, new while joined fewer than `new` days ago; returned lasts
    `returned` days.
    """

    new: int = 7
    active: int = 7
    dormant: int = 14
    churned: int = 30
    returned: int = 14
    core_percent: int = 10
    regular_percent: int = 30


def _thresholds(settings: GroupSettings) -> Thresholds:
    return Thresholds(
        new=settings.value(NEW_DAYS),
        active=settings.value(ACTIVE_DAYS),
        dormant=settings.value(DORMANT_DAYS),
        churned=settings.value(CHURNED_DAYS),
        returned=settings.value(RETURNED_DAYS),
        core_percent=settings.value(CORE_PERCENT),
        regular_percent=settings.value(REGULAR_PERCENT),
    )


def thresholds(settings: GroupSettings) -> Thresholds:
    """The group's thresholds (built once per settings object)."""
    return settings.derived(_thresholds)
