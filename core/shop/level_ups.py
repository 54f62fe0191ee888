"""A member reaching a new level: seen in the lifetime earned points before and after each
ledger append (PointsEarned, whatever earned them: check-ins, activity, grants, birthday
bonuses), never by reading anything per member. Spending never lowers a level, so a level is
reached once per member and curve."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.events import DomainEvent, EventBus, PointsEarned, Transaction
from core.shop.levels import LevelCurve, level_curve


@dataclass(frozen=True, slots=True)
class LeveledUp(DomainEvent):
    group_id: int
    user_id: int
    level: int  # the level reached (the highest, when one write crosses several)
    at: datetime


def crossed(curve: LevelCurve, before: int, after: int) -> int | None:
    """The level reached by earning from `before` to `after` points, or None."""
    level = curve.level(after)
    return level if level > curve.level(before) else None


class LevelUps:
    """Subscribes to PointsEarned and publishes LeveledUp in the same transaction."""

    def __init__(self, groups: GroupService) -> None:
        self._groups = groups

    async def on_earned(self, tx: Transaction, event: PointsEarned) -> None:
        curves: dict[int, LevelCurve] = {}
        for group_id, user_id, before, after in event.changes:
            curve = curves.get(group_id)
            if curve is None:
                settings: GroupSettings = await self._groups.settings_for(
                    group_id, session=tx.session
                )
                curve = curves[group_id] = level_curve(settings)
            level = crossed(curve, before, after)
            if level is not None:
                tx.publish(LeveledUp(group_id, user_id, level, event.at))

    def subscribe(self, bus: EventBus) -> None:
        bus.subscribe(PointsEarned, self.on_earned)
