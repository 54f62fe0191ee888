"""One busy-group digest across processes (bot/shared_digest.py), on a real Redis: two
"processes" fold check-ins and grants of the same group into one message, edited as it fills."""

from __future__ import annotations

import asyncio
import time
from datetime import date
from typing import Any

from aiogram import Bot

from bot.i18n import Locales
from bot.outbound import OutboundLimits, Outbox
from bot.shared_digest import SharedDigest
from tests.redis_server import shared_link
from tests.test_outbox import ScriptedSession

FAST = OutboundLimits(global_per_second=1000, group_per_minute=1000, private_per_second=1000)
GROUP = -100_300
DAY = date(2026, 3, 2)


class Recorder(ScriptedSession):
    """Telegram as seen by both processes: message ids are shared, every call is recorded."""

    def __init__(self, calls: list[tuple[str, int, str]]) -> None:
        super().__init__()
        self.log = calls

    async def make_request(self, bot: Bot, method: Any, timeout: int | None = None) -> Any:
        text = getattr(method, "text", "")
        self.log.append((type(method).__name__, int(getattr(method, "message_id", 0) or 0), text))
        return await super().make_request(bot, method, timeout)


async def until(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "not in time"
        await asyncio.sleep(0.02)


async def test_two_processes_fold_into_one_message() -> None:
    calls: list[tuple[str, int, str]] = []
    locales = Locales()
    async with shared_link() as link:
        outboxes = [Outbox(Bot("123456:TEST", session=Recorder(calls)), FAST) for _ in range(2)]
        digests = [
            SharedDigest(o, locales, link, edit_interval=0.3, flush_interval=0.05)
            for o in outboxes
        ]
        for outbox in outboxes:
            outbox.start()
        try:
            for i in range(40):  # check-ins reach the two processes in turn
                digests[i % 2].checkin(GROUP, DAY, "en", f"Member {i}", i + 1)
                if i % 10 == 9:
                    await asyncio.sleep(0.1)
            await until(lambda: any("40 checked in" in text for _, _, text in calls))
            # Grants by an administrator: another topic, its own message, members counted once.
            for i in range(6):
                digests[i % 2].points(
                    GROUP, "en", deduct=False, member_id=900 + i % 3, name=f"G{i % 3}", amount=5
                )
            await until(lambda: sum(name == "SendMessage" for name, _, _ in calls) == 2)
            await until(lambda: any("G0" in t and "G2" in t for n, _, t in calls if n != "x"))
            await asyncio.sleep(0.8)  # whatever is still to edit
        finally:
            for digest in digests:
                await digest.close()
            for outbox in outboxes:
                await outbox.stop()
    created = [(n, text) for n, _, text in calls if n == "SendMessage"]
    assert len(created) == 2, created  # one check-in digest, one grant digest
    checkin_edits = [text for n, _, text in calls if n == "EditMessageText" and "checked" in text]
    assert checkin_edits and "40 checked in" in checkin_edits[-1]
    assert "Member 39" in checkin_edits[-1]  # the latest names, from both processes
    grant_texts = [t for n, _, t in calls if "G0" in t]
    assert "3 members" in grant_texts[-1] or "(3" in grant_texts[-1], grant_texts[-1]
    # Edits come at most every edit_interval (0.3 s), not one per check-in.
    assert len(checkin_edits) < 10


async def test_a_new_day_starts_a_new_message() -> None:
    calls: list[tuple[str, int, str]] = []
    async with shared_link() as link:
        outbox = Outbox(Bot("123456:TEST", session=Recorder(calls)), FAST)
        digest = SharedDigest(outbox, Locales(), link, edit_interval=0.2, flush_interval=0.02)
        outbox.start()
        try:
            digest.checkin(GROUP, DAY, "en", "Alice", 1)
            await until(lambda: len(calls) == 1)
            digest.checkin(GROUP, date(2026, 3, 3), "en", "Bob", 1)
            await until(lambda: len(calls) == 2)
        finally:
            await digest.close()
            await outbox.stop()
    assert [n for n, _, _ in calls] == ["SendMessage", "SendMessage"]
    assert "Bob" in calls[1][2] and "Alice" not in calls[1][2]


async def test_a_fold_whose_creator_died_is_created_by_another_process() -> None:
    """The process that won the creation is killed before its message went out; the other
    process never saw an entry of that group, and still sends the digest once the lease ends."""
    calls: list[tuple[str, int, str]] = []
    locales = Locales()
    async with shared_link() as link:
        dead_outbox = Outbox(Bot("123456:TEST", session=Recorder(calls)), FAST)  # never sends
        live_outbox = Outbox(Bot("123456:TEST", session=Recorder(calls)), FAST)
        dead = SharedDigest(dead_outbox, locales, link, flush_interval=0.05, create_lease=0.4)
        live = SharedDigest(
            live_outbox, locales, link, flush_interval=0.05, create_lease=0.4, sweep_every=0.1
        )
        live_outbox.start()
        live.start()
        try:
            dead.checkin(GROUP - 1, DAY, "en", "Orphan", 1)
            await until(lambda: dead_outbox.depth > 0, 5.0)  # it won the creation
            await dead.close()  # killed: its send never happened, nothing recorded
            assert calls == []
            await until(lambda: any("Orphan" in text for _, _, text in calls), 5.0)
            await asyncio.sleep(0.5)  # a sweep or two more: still one message
        finally:
            await live.close()
            await live_outbox.stop()
    assert [n for n, _, _ in calls] == ["SendMessage"]
