"""A GroupService with the bot's settings sections, as create_app builds it (for service tests)."""

from __future__ import annotations

from typing import Any

from core.community.groups import GroupService
from core.community.settings import COMMUNITY_SETTINGS
from core.settings import SettingsCatalogue
from handlers import features

# As create_app lists them: the community's, then every registered feature's.
SECTIONS = [COMMUNITY_SETTINGS, *(s for f in features() for s in f.settings)]
CATALOGUE = SettingsCatalogue(SECTIONS)


def group_service(session_factory: Any, **options: Any) -> GroupService:
    return GroupService(session_factory, "Asia/Shanghai", "en", sections=SECTIONS, **options)


async def stored_settings(session_factory: Any, group_id: int) -> dict[str, str]:
    """The group's group_setting rows: key -> canonical text (keys at their default are absent)."""
    from sqlmodel import select

    from storage.tables import GroupSetting

    async with session_factory() as s:
        rows = await s.exec(select(GroupSetting).where(GroupSetting.group_id == group_id))
        return {row.key: row.value for row in rows.all()}
