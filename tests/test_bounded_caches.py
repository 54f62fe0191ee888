"""Every in-process cache is bounded in size and in age (an injectable clock stands in for time)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from aiogram import Bot
from aiogram.methods import EditMessageText, GetChatMember, SendMessage
from sqlalchemy import update
from sqlmodel import select

from bot.admins import AdminChecker
from bot.digest import Digest
from bot.i18n import Locales
from bot.outbound import OutboundLimits, Outbox
from core.engagement.member_events import MemberEvent, MemberEventBatcher, UserInfo
from devtools.inprocess import InProcessSession
from storage.db import SessionFactory
from storage.tables import TgUser
from tests.group_service import group_service

GROUP = -1001234567890
DAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# ---- administrator verdicts ------------------------------------------------------------------


class CountingSession(InProcessSession):
    def asked(self) -> int:
        return sum(isinstance(c, GetChatMember) for c in self.calls)


async def test_an_expired_admin_verdict_is_asked_of_telegram_again() -> None:
    clock = FakeClock()
    session = CountingSession(admins={(GROUP, 7)})
    checker = AdminChecker(Bot("123456:TEST", session=session), frozenset(), 60.0, clock=clock)
    assert await checker.is_admin(GROUP, 7)
    clock.now += 59.9
    assert await checker.is_admin(GROUP, 7) and session.asked() == 1  # cached
    session.admins.clear()  # demoted in Telegram
    assert await checker.is_admin(GROUP, 7)  # the cached verdict still stands...
    clock.now += 0.1
    assert not await checker.is_admin(GROUP, 7)  # ...until it expires: Telegram is asked again
    assert session.asked() == 2


async def test_admin_verdicts_are_bounded_in_number_and_age() -> None:
    clock = FakeClock()
    session = CountingSession()
    checker = AdminChecker(
        Bot("123456:TEST", session=session), frozenset(), 60.0, clock=clock, max_verdicts=3
    )
    for user_id in range(1, 6):
        assert not await checker.is_admin(GROUP, user_id)
    assert len(checker) == 3
    await checker.is_admin(GROUP, 1)  # forgotten first: asked again
    assert session.asked() == 6
    clock.now += 60.0
    assert len(checker) == 0


# ---- members whose names are stored ----------------------------------------------------------


async def stored_name(session_factory: SessionFactory, user_id: int) -> str:
    async with session_factory() as s:
        return (await s.exec(select(TgUser.display_name).where(TgUser.id == user_id))).one()


async def test_known_users_are_bounded_and_written_again_once_forgotten(
    session_factory: SessionFactory,
) -> None:
    clock = FakeClock()
    groups = group_service(session_factory)
    batcher = MemberEventBatcher(
        session_factory, groups, known_users=2, known_users_ttl=3600.0, clock=clock
    )

    async def seen(user_id: int) -> None:
        user = UserInfo(user_id, None, f"Member {user_id}", "en")
        await batcher.submit(MemberEvent("message", None, GROUP, user, DAY, 3))

    async def tamper(user_id: int) -> None:
        async with session_factory() as s:
            await s.exec(update(TgUser).where(TgUser.id == user_id).values(display_name="stale"))
            await s.commit()

    for user_id in (1, 2, 3):
        await seen(user_id)
    assert batcher.known_users() == 2  # 1 was forgotten first
    for user_id in (1, 2, 3):
        await tamper(user_id)
    await seen(3)  # known: its row is not written again
    await seen(1)  # forgotten: written again
    assert await stored_name(session_factory, 3) == "stale"
    assert await stored_name(session_factory, 1) == "Member 1"
    clock.now += 3600.0
    assert batcher.known_users() == 0
    await seen(3)  # expired: written again
    assert await stored_name(session_factory, 3) == "Member 3"


# ---- folded acknowledgements -----------------------------------------------------------------


async def test_idle_folds_are_forgotten_and_the_next_entry_starts_a_new_message() -> None:
    clock = FakeClock()
    session = InProcessSession()
    limits = OutboundLimits(global_per_second=1000, group_per_minute=1000, private_per_second=1)
    outbox = Outbox(Bot("123456:TEST", session=session), limits)
    outbox.start()
    digest = Digest(
        outbox, Locales(), edit_interval=0.0, idle_after=900.0, max_folds=2, clock=clock
    )
    try:
        for group in (-1, -2, -3):
            digest.checkin(group, date(2026, 3, 2), "en", "Ann", 1)
        assert len(digest) == 2  # -1's fold went first
        digest.points(-3, "en", deduct=False, member_id=5, name="Bo", amount=5)
        assert len(digest) == 2  # a fold per group and topic
        await outbox.drain(2)
        assert len([c for c in session.calls if isinstance(c, SendMessage)]) == 4

        digest.points(-3, "en", deduct=False, member_id=6, name="Cy", amount=5)
        await asyncio.sleep(0.05)
        await outbox.drain(2)
        (edit,) = [c for c in session.calls if isinstance(c, EditMessageText)]
        assert edit.text == "✅ +5 points each to Cy, Bo (2 members)"

        clock.now += 900.0
        assert len(digest) == 0
        session.calls.clear()
        digest.points(-3, "en", deduct=False, member_id=7, name="Di", amount=5)
        await outbox.drain(2)
        (fresh,) = session.calls
        assert (
            isinstance(fresh, SendMessage) and fresh.text == "✅ +5 points each to Di (1 member)"
        )
    finally:
        await digest.close()
        await outbox.stop()
