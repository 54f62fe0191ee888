"""Groups: registration when the bot is added, settings lookups (cached) and changes."""

from __future__ import annotations

from datetime import datetime

from bot.services.errors import UnknownGroup
from bot.services.group_settings import GroupCache, GroupSettings, parse_setting, setting_key_for
from bot.uow import UnitOfWork
from storage.db import SessionFactory
from storage.queries import audit
from storage.queries import groups as group_rows


class GroupService:
    def __init__(
        self, session_factory: SessionFactory, default_timezone: str, default_language: str
    ) -> None:
        self._session_factory = session_factory
        self._cache = GroupCache()
        self._defaults = {"timezone": default_timezone, "language": default_language}

    @property
    def defaults(self) -> dict[str, object]:
        return dict(self._defaults)

    def cached(self, group_id: int) -> GroupSettings | None:
        return self._cache.get(group_id)

    async def settings_for(self, group_id: int, title: str = "") -> GroupSettings:
        """The group's settings; a group the bot never saw being added is registered on the fly."""
        found = self._cache.get(group_id)
        if found is not None:
            return found
        async with self._session_factory() as session:
            row = await group_rows.get(session, group_id)
            if row is None:
                await group_rows.ensure(session, group_id, title, self._defaults)
                await session.commit()
                row = await group_rows.get(session, group_id)
            assert row is not None
            settings = GroupSettings.from_row(row)
        self._cache.put(settings)
        return settings

    async def register(
        self, uow: UnitOfWork, group_id: int, title: str, actor_id: int | None, at: datetime
    ) -> GroupSettings:
        await group_rows.register(uow.session, group_id, title, at, self._defaults)
        if actor_id is not None:
            await audit.record(
                uow.session, group_id=group_id, actor_id=actor_id, action="bot_added", at=at
            )
        await uow.commit()
        self._cache.forget(group_id)
        return await self.settings_for(group_id, title)

    async def deactivate(self, uow: UnitOfWork, group_id: int, at: datetime) -> None:
        await group_rows.deactivate(uow.session, group_id, at)
        await uow.commit()
        self._cache.forget(group_id)

    async def change(
        self, uow: UnitOfWork, group_id: int, actor_id: int, key: str, value: str, at: datetime
    ) -> tuple[str, GroupSettings]:
        """Validate and store one setting; returns (public key, new settings)."""
        column, parsed = parse_setting(key, value)
        current = await self.settings_for(group_id)
        if current is None:
            raise UnknownGroup()
        await group_rows.set_column(uow.session, group_id, column, parsed)
        await audit.record(
            uow.session,
            group_id=group_id,
            actor_id=actor_id,
            action="setting_changed",
            at=at,
            details={
                "key": setting_key_for(column),
                "old": getattr(current, column),
                "new": parsed,
            },
        )
        await uow.commit()
        return setting_key_for(column), self._cache.with_change(current, column, parsed)
