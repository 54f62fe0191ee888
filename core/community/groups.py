"""Groups: registration when the bot is added, settings lookups (cached) and changes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from core.community.group_settings import GroupCache, GroupSettings
from core.community.settings import DAY_START, LANGUAGE, TIMEZONE
from core.errors import UnknownGroup
from core.events import BotAdded, GroupCalendarChanged, GroupMoved, SettingChanged
from core.settings import SettingsCatalogue, SettingSpec, SettingsSection
from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.queries.community import audit
from storage.queries.community import groups as group_rows
from storage.queries.community import migration as migration_rows

DEFAULT_CACHE_SECONDS = 5.0
DEFAULT_MAX_CACHED_GROUPS = 50_000


class GroupService:
    """Group settings for every update, from a cache that trusts an entry `cache_seconds`.

    `sections` are the settings every area declares (the composition lists them). A change made
    by another process is seen here once the cached entry expires; changes made here are seen at
    once. One load per group at a time: a burst waits for one read, also when an entry expired.
    """

    def __init__(
        self,
        session_factory: SessionFactory,
        default_timezone: str,
        default_language: str,
        *,
        sections: Sequence[SettingsSection],
        cache_seconds: float = DEFAULT_CACHE_SECONDS,
        max_cached_groups: int = DEFAULT_MAX_CACHED_GROUPS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._session_factory = session_factory
        self.catalogue = SettingsCatalogue(sections)  # a duplicate key fails here, at start-up
        missing = {TIMEZONE, DAY_START, LANGUAGE} - set(self.catalogue.keys)
        if missing:
            raise ValueError(f"the community settings are required (missing {sorted(missing)})")
        self._cache = GroupCache(cache_seconds, max_cached_groups, clock)
        # One load per group at a time: a burst from a group not cached yet waits for one read.
        self._loading: dict[int, asyncio.Future[GroupSettings]] = {}
        self._deployment = {"timezone": default_timezone, "language": default_language}
        self._pinned = self.catalogue.pinned_defaults(self._deployment)

    def cached_groups(self) -> int:
        return len(self._cache)

    @property
    def defaults(self) -> dict[str, Any]:
        """Every setting's value for a group that never changed it."""
        return self.catalogue.defaults(self._deployment)

    def cached(self, group_id: int) -> GroupSettings | None:
        return self._cache.get(group_id)

    async def settings_for(
        self, group_id: int, title: str = "", *, session: AsyncSession | None = None
    ) -> GroupSettings:
        """The group's settings; a group the bot never saw being added is registered on the fly.

        Inside a transaction, pass its session: a group not cached is then read with it, not
        with a second session (SQLite has one connection, which the transaction holds: the
        second would wait for it forever). Such a group must exist (UnknownGroup otherwise).
        """
        if session is not None:
            found = self._cache.get(group_id)
            if found is not None:
                return found
            loaded = await self.settings_in(session, [group_id])
            if group_id not in loaded:
                raise UnknownGroup()
            return loaded[group_id]
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

    async def settings_in(
        self, session: AsyncSession, group_ids: Iterable[int]
    ) -> dict[int, GroupSettings]:
        """Settings of existing groups, read with the caller's session where not cached (no
        second connection while the caller holds one); unknown ids are left out."""
        found: dict[int, GroupSettings] = {}
        missing: list[int] = []
        for group_id in group_ids:
            cached = self._cache.get(group_id)
            if cached is not None:
                found[group_id] = cached
            else:
                missing.append(group_id)
        if missing:
            read_at = self._cache.now()
            for group_id, stored in (await group_rows.load(session, missing)).items():
                found[group_id] = self._cache.put(self._settings_of(stored), read_at)
        return found

    async def _load_once(self, group_id: int, title: str) -> GroupSettings:
        future: asyncio.Future[GroupSettings] = asyncio.get_running_loop().create_future()
        self._loading[group_id] = future
        try:
            read_at = self._cache.now()
            settings = await self._load(group_id, title)
            if self._loading.get(group_id) is future:  # not overtaken by a change meanwhile
                settings = self._cache.put(settings, read_at)
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # waiters get it too; no "never retrieved" warning without any
            raise
        finally:
            if self._loading.get(group_id) is future:
                del self._loading[group_id]
        future.set_result(settings)
        return settings

    async def _load(self, group_id: int, title: str) -> GroupSettings:
        async with self._session_factory() as session:
            # An update still addressed to a group's old id (upgraded to a supergroup).
            moved_to = await migration_rows.new_id_of(session, group_id)
            if moved_to is not None:
                stored = (await group_rows.load(session, [moved_to])).get(moved_to)
                if stored is not None:
                    return self._settings_of(stored)
            stored = (await group_rows.load(session, [group_id])).get(group_id)
            if stored is None:
                now = datetime.now(UTC)
                await group_rows.ensure(session, group_id, title, now, self._pinned)
                await session.commit()
                stored = (await group_rows.load(session, [group_id]))[group_id]
        return self._settings_of(stored)

    def _invalidate(self, group_id: int) -> None:
        """After a change committed here: the next use reads the group again. A load still
        under way may have read the old values: its callers get them, the cache does not."""
        self._cache.forget(group_id)
        self._loading.pop(group_id, None)

    def _settings_of(self, stored: group_rows.StoredGroup) -> GroupSettings:
        values = self.catalogue.load(stored.settings, self._deployment)
        return GroupSettings(stored.id, stored.title, values, stored.is_active)

    async def register(
        self, uow: UnitOfWork, group_id: int, title: str, actor_id: int | None, at: datetime
    ) -> GroupSettings:
        await group_rows.register(uow.session, group_id, title, at, self._pinned)
        if actor_id is not None:
            await audit.record(
                uow.session, group_id=group_id, actor_id=actor_id, action="bot_added", at=at
            )
        uow.publish(BotAdded(group_id, at))
        await uow.commit()
        self._invalidate(group_id)
        return await self.settings_for(group_id, title)

    async def rename(self, uow: UnitOfWork, group_id: int, title: str) -> None:
        """Telegram's new_chat_title: exports and /me show the group's current name."""
        await group_rows.set_title(uow.session, group_id, title)
        await uow.commit()
        self._invalidate(group_id)

    async def migrate(self, uow: UnitOfWork, old_id: int, new_id: int, at: datetime) -> bool:
        """Telegram moved the group to a new chat id (upgraded to a supergroup): carry the
        community over whole, once, whichever of the two service messages comes first."""
        if old_id == new_id or not await migration_rows.record(uow.session, old_id, new_id, at):
            await uow.commit()
            return False
        await migration_rows.move_group(uow.session, old_id, new_id)
        await audit.record(
            uow.session,
            group_id=new_id,
            actor_id=new_id,
            action="group_migrated",
            at=at,
            details={"from": old_id, "to": new_id},
        )
        uow.publish(GroupMoved(new_id, old_id, at))
        await uow.commit()
        self._invalidate(old_id)
        self._invalidate(new_id)
        return True

    async def deactivate(self, uow: UnitOfWork, group_id: int, at: datetime) -> None:
        await group_rows.deactivate(uow.session, group_id, at)
        await uow.commit()
        self._invalidate(group_id)

    async def change(
        self, uow: UnitOfWork, group_id: int, actor_id: int, key: str, value: str, at: datetime
    ) -> tuple[str, GroupSettings]:
        """Validate and store one setting (`key` may be an alias); returns (key, new settings)."""
        spec, parsed = self.catalogue.parse(key, value)
        # The group exists (registered on the fly if need be). Looked up before the use case's
        # session is opened: SQLite has one connection.
        await self.settings_for(group_id)
        # The old value as stored now (another process may have changed it since it was cached).
        stored = await group_rows.setting_text(uow.session, group_id, spec.key)
        old = self.catalogue.value_of(spec, stored, self._deployment)
        # Read with the use case's session, before the write: settings_for may need a second
        # connection, and SQLite has one, held by this session from here on.
        current = (await self.settings_in(uow.session, [group_id]))[group_id]
        await group_rows.put_setting(uow.session, group_id, spec.key, spec.text(parsed), at)
        if spec.key in ("timezone", "day_start"):  # weeks and months now begin elsewhere
            before = (current.timezone, current.day_start_hour)
            after = (parsed, before[1]) if spec.key == "timezone" else (before[0], parsed)
            if before != after:
                uow.publish(GroupCalendarChanged(group_id, before, after, at))  # type: ignore[arg-type]
        if spec.text(parsed) != spec.text(old):
            uow.publish(SettingChanged(group_id, spec.key, old, parsed, at))
        await audit.record(
            uow.session,
            group_id=group_id,
            actor_id=actor_id,
            action="setting_changed",
            at=at,
            details={"key": spec.key, "old": _plain(spec, old), "new": _plain(spec, parsed)},
        )
        await uow.commit()
        self._invalidate(group_id)
        return spec.key, await self.settings_for(group_id)


def _plain(spec: SettingSpec, value: object) -> object:
    """A value as the audit log records it (JSON: numbers and text as they are)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return spec.text(value)
