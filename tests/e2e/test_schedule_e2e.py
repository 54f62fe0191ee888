"""Scheduled posts through the real protocol: on time, copies of messages, and restarts (a late
post inside the grace period is sent once, one outside it is skipped and reported)."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import pytest

from devtools.emulator import BotAPIEmulator
from tests.e2e.conftest import ALICE, BOB, GROUP
from tests.e2e.harness import BotProcess

pytestmark = pytest.mark.e2e


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _texts(emu: BotAPIEmulator, text: str) -> list[str]:
    return [s.plain_text for s in emu.sent if s.chat_id == GROUP and s.plain_text == text]


async def test_posts_on_time_copies_and_restarts(
    emu: BotAPIEmulator, bot_process: BotProcess, db_url: str
) -> None:
    emu.add_bot_to_group(GROUP, ALICE)

    # On time: "+3s" arrives about 3 s after the command's date.
    mark = emu.mark()
    sent_at = _now()
    emu.send_message(GROUP, ALICE, "/schedule +3s Hello <everyone>", date=sent_at)
    created = await emu.wait_for_message(
        chat_id=GROUP, contains="scheduled", after=mark, timeout=15
    )
    assert created.plain_text.startswith("✅ Post #1 scheduled: once, at ")
    await emu.wait_for(lambda: _texts(emu, "Hello <everyone>"), timeout=15)
    late = time.time() - (sent_at.timestamp() + 3)
    assert -0.5 < late < 3.0  # ~2 s asked; a little slack for a loaded machine

    # A copy of a member's message.
    tip = emu.send_message(GROUP, BOB, "Weekly tip: drink water", date=_now())
    tip_id = tip["message"]["message_id"]
    emu.send_message(GROUP, ALICE, "/schedule +2s", date=_now(), reply_to_message_id=tip_id)
    copy = await emu.wait_for(
        lambda: [c for c in emu.calls if c.method == "copyMessage" and c.status == 200],
        timeout=15,
    )
    assert int(copy[0].params["from_chat_id"]) == GROUP
    assert int(copy[0].params["message_id"]) == tip_id
    assert len(_texts(emu, "Weekly tip: drink water")) == 1

    # Down while a post falls due: sent once when the bot is back (within the 10 min grace).
    mark = emu.mark()
    emu.send_message(GROUP, ALICE, "/schedule +4s After the restart", date=_now())
    await emu.wait_for_message(chat_id=GROUP, contains="Post #3 scheduled", after=mark, timeout=15)
    await bot_process.stop()
    await asyncio.sleep(5)
    assert not _texts(emu, "After the restart")
    await bot_process.start()
    await emu.wait_for(lambda: _texts(emu, "After the restart"), timeout=20)

    # Beyond the grace period (set to 0): skipped, and the admins are told.
    mark = emu.mark()
    emu.send_message(GROUP, ALICE, "/settings post_grace_minutes 0", date=_now())
    await emu.wait_for_message(chat_id=GROUP, contains="Saved", after=mark, timeout=15)
    emu.send_message(GROUP, ALICE, "/schedule +2s Too late", date=_now())
    await emu.wait_for_message(chat_id=GROUP, contains="Post #4 scheduled", after=mark, timeout=15)
    await bot_process.stop()
    await asyncio.sleep(4)
    await bot_process.start()
    report = await emu.wait_for_message(chat_id=GROUP, contains="while I was offline", timeout=20)
    assert report.plain_text.startswith("⏰ Post #4 was due at ")
    await asyncio.sleep(2)
    assert not _texts(emu, "Too late")
    assert len(_texts(emu, "After the restart")) == 1
    assert len(_texts(emu, "Hello <everyone>")) == 1


async def test_a_wave_of_joins_gets_one_welcome(
    emu: BotAPIEmulator, bot_process: BotProcess
) -> None:
    from tests.e2e.conftest import CAROL, XIAOMING

    emu.add_bot_to_group(GROUP, ALICE)
    mark = emu.mark()
    emu.send_message(GROUP, ALICE, "/welcome Welcome {name}! We are {count}.", date=_now())
    await emu.wait_for_message(chat_id=GROUP, contains="Welcome message saved", after=mark)
    for user in (BOB, XIAOMING, CAROL):  # each join comes twice: service message and chat_member
        emu.join(GROUP, user, date=_now())

    def welcomes() -> list[str]:
        return [
            s.plain_text for s in emu.sent if s.chat_id == GROUP and s.text.startswith("Welcome")
        ]

    await emu.wait_for(welcomes, timeout=15)
    await asyncio.sleep(3)
    # Usually one message; on a loaded machine a join may commit after the 2 s fold closed
    # (tests/test_welcome.py checks the fold itself). Never anyone twice, nobody left out.
    found = welcomes()
    assert 1 <= len(found) <= 2, found
    greeted = [
        n for text in found for n in text.split("!")[0].removeprefix("Welcome ").split(", ")
    ]
    assert sorted(greeted) == sorted(["Bob", "小明", "Carol"])
