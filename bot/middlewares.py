"""Per-update middlewares: the unit of work (and its DB session); who, where, when and in which language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject, Update

from bot.filters import GROUP_TYPES
from bot.i18n import Locales, pick_language
from bot.update_parts import chat_and_user, event_of, event_time, is_real_member, user_info
from core.community.groups import GroupService
from core.engagement.member_events import MemberEvent, MemberEventBatcher
from core.errors import DuplicateUpdate
from core.events import ButtonPressed, EventBus
from core.uow import CommittedUpdates, UnitOfWork
from storage.db import SessionFactory

# Telegram's clock and ours differ by seconds; more than this ahead is a mistake.
FUTURE_TOLERANCE = timedelta(minutes=5)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class DbSessionMiddleware(BaseMiddleware):
    """Gives each update a unit of work; its session opens only if a handler uses it."""

    def __init__(
        self, session_factory: SessionFactory, committed: CommittedUpdates, bus: EventBus
    ) -> None:
        self._session_factory = session_factory
        self._committed = committed
        self._bus = bus

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        update_id = event.update_id if isinstance(event, Update) else None
        uow = UnitOfWork(
            None, update_id, self._committed, factory=self._session_factory, bus=self._bus
        )
        data["uow"] = uow
        data["update_id"] = update_id
        try:
            return await handler(event, data)
        finally:
            await uow.close()


class ContextMiddleware(BaseMiddleware):
    """Adds `group` (settings, for group chats), `t` (translator), `lang` and `event_at`."""

    def __init__(
        self,
        locales: Locales,
        groups: GroupService,
        default_language: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._locales = locales
        self._groups = groups
        self._default = default_language
        self._clock = clock

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        inner = event_of(event)
        chat, user = chat_and_user(inner)
        group = None
        if chat is not None and chat.type in GROUP_TYPES:
            group = await self._groups.settings_for(chat.id, chat.title or "")
        lang = pick_language(
            user.language_code if user else None, group.language if group else None, self._default
        )
        data["group"] = group
        data["lang"] = lang
        data["t"] = self._locales.get(lang)
        data["event_at"] = self._event_at(inner)
        return await handler(event, data)

    def _event_at(self, event: TelegramObject | None) -> datetime:
        """Telegram's date of the event; a date well ahead of now (a clock mistake somewhere)
        is taken as now, so it cannot earn a future day's check-in."""
        now = self._clock()
        at = event_time(event)
        if at is None or at > now + FUTURE_TOLERANCE:
            return now
        return at


class InjectDependencies(BaseMiddleware):
    """Inner middleware on every dispatcher observer: the app's services reach a handler only
    once it matched.

    aiogram copies the keyword data at every level an update passes (router, filter, handler:
    about 25 copies for a check-in), so each key in `workflow_data` cost every update ~3.5 µs
    on the 2-core bench machine. The two dozen services live here instead and are added to the
    data of the one handler that runs; filters get only what `workflow_data` keeps (`admins`).
    The dict is shared: services a feature's setup adds later are injected too.
    """

    def __init__(self, deps: dict[str, Any]) -> None:
        self._deps = deps

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        data.update(self._deps)
        return await handler(event, data)


class TrackAuthorMiddleware(BaseMiddleware):
    """Inner middleware for command routers: whoever uses a command in a group is present.

    Recorded without the update id (touching a member is harmless to repeat); the command's own
    use case records the update. The check-in and chat routers track members themselves.
    """

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if isinstance(event, Message) and data.get("group") is not None:
            user = event.from_user
            if is_real_member(user):
                assert user is not None
                batcher: MemberEventBatcher = data["batcher"]
                await batcher.submit(
                    MemberEvent(
                        "message",
                        None,
                        data["group"].group_id,
                        user_info(user),
                        data["event_at"],
                        0,
                        event.chat.title or "",
                    )
                )
        return await handler(event, data)


class PublishPresses(BaseMiddleware):
    """Inner middleware on callback queries: a member's press of one of the bot's buttons in a
    group is published (ButtonPressed) into the handler's transaction, so whoever counts
    presses does so in it. A handler that commits nothing (turning a page, a refusal it
    answers itself) has the press committed on its own, with the update id: a redelivered
    press counts once either way. A handler that fails records nothing."""

    def __init__(self, bus: EventBus) -> None:
        self._bus = bus

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        group = data.get("group")
        uow: UnitOfWork | None = data.get("uow")
        if (
            group is None
            or uow is None
            or not isinstance(event, CallbackQuery)
            or not is_real_member(event.from_user)
            or not self._bus.wants(ButtonPressed)
        ):
            return await handler(event, data)
        pressed = ButtonPressed(group.group_id, event.from_user.id, data["event_at"])
        uow.publish(pressed)
        result = await handler(event, data)
        if not uow.committed:
            if not uow.pending(pressed):
                uow.publish(pressed)  # the handler rolled back (a refusal it answered)
            try:
                await uow.commit()
            except DuplicateUpdate:
                pass  # a redelivered press: counted the first time
        return result
