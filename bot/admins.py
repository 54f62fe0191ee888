"""Who may administer a group: Telegram's word (getChatMember, cached briefly) or BOT_OWNER_IDS."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from aiogram import Bot
from aiogram.enums import ChatMemberStatus
from aiogram.exceptions import TelegramAPIError

from core.cache import BoundedCache

logger = logging.getLogger(__name__)

ADMIN_STATUSES = {ChatMemberStatus.CREATOR, ChatMemberStatus.ADMINISTRATOR}
# Verdicts are asked for whoever uses an admin command (members trying one included).
MAX_VERDICTS = 10_000


class AdminChecker:
    def __init__(
        self,
        bot: Bot,
        owner_ids: frozenset[int],
        ttl_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        max_verdicts: int = MAX_VERDICTS,
    ) -> None:
        self._bot = bot
        self._owners = owner_ids
        # (chat, user) -> is an administrator; an expired verdict is asked of Telegram again.
        self._cache: BoundedCache[tuple[int, int], bool] = BoundedCache(
            max_verdicts, ttl_seconds, clock=clock
        )

    def is_owner(self, user_id: int) -> bool:
        return user_id in self._owners

    async def is_admin(self, chat_id: int, user_id: int) -> bool:
        if user_id in self._owners:
            return True
        key = (chat_id, user_id)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        try:
            member = await self._bot.get_chat_member(chat_id, user_id)
        except TelegramAPIError as exc:
            logger.warning("getChatMember(%s, %s) failed: %s", chat_id, user_id, exc)
            return False
        verdict = member.status in ADMIN_STATUSES
        self._cache.put(key, verdict)
        return verdict

    def forget(self, chat_id: int, user_id: int) -> None:
        self._cache.pop((chat_id, user_id))

    def __len__(self) -> int:
        return len(self._cache)
