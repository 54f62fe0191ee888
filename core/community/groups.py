"""Groups: registration when the bot is added, settings lookups (cached) and changes."""

from __future__ import annotations

import asyncio
from datetime import datetime

from core.community.group_settings import GroupCache, GroupSettings, parse_setting, setting_key_for
from core.engagement import period_totals
from core.errors import UnknownGroup
from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.queries.community import audit
from storage.queries.community import groups as group_rows


class GroupService:
    def __init__(
        self, session_factory: SessionFactory, default_timezone: str, default_language: str
    ) -> None:
        self._session_factory = session_factory
        self._cache = GroupCache()
        # One load per group at a time: a burst from a group not cached yet waits for one read.
        self._loading: dict[int, asyncio.Future[GroupSettings]] = {}
        self._defaults = {"timezone": default_timezone, "language": default_language}

    @property
    def defaults(self) -> dict[str, object]:
        return dict(self._defaults)

    def cached(self, group_id: int) -> GroupSettings | None:
        return self._cache.get(group_id)

    async def settings_for(self, group_id: int, title: str = "") -> GroupSettings:
        """The group's settings; a group the bot never saw being added is registered on the fly."""
        while (found := self._cache.get(group_id)) is None:
            loading = self._loading.get(group_id)
            if loading is None:
                return await self._load_once(group_id, title)
            try:
                return await asyncio.shield(loading)
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if not loading.cancelled() or (task is not None and task.cancelling()):
                    raise  # this caller was cancelled, not (only) the load
                # The loading caller was cancelled: the next round loads (or waits) again.
        return found

    async def _load_once(self, group_id: int, title: str) -> GroupSettings:
        future: asyncio.Future[GroupSettings] = asyncio.get_running_loop().create_future()
        self._loading[group_id] = future
        try:
            settings = await self._load(group_id, title)
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # waiters get it too; no "never retrieved" warning without any
            raise
        finally:
            del self._loading[group_id]
        future.set_result(settings)
        return settings

    async def _load(self, group_id: int, title: str) -> GroupSettings:
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
        if column in ("timezone", "day_start_hour"):  # weeks and months now begin elsewhere
            old = (current.timezone, current.day_start_hour)
            new = (parsed, old[1]) if column == "timezone" else (old[0], parsed)
            await period_totals.recount_for_new_calendar(uow.session, group_id, old, new, at)  # type: ignore[arg-type]
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
