"""Segments through the real protocol: tag a member, the leader's daily run, /segments with
its buttons (a member page, a CSV), /whois; a member refused."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from core.calendar import day_start_instant, local_day
from devtools.emulator import BotAPIEmulator
from tests.e2e.conftest import ALICE, BOB, CAROL, GROUP
from tests.e2e.harness import BotProcess

pytestmark = pytest.mark.e2e


def yesterday_noon() -> datetime:
    today = local_day(datetime.now(UTC), "Asia/Shanghai")
    return day_start_instant(today - timedelta(days=1), "Asia/Shanghai") + timedelta(hours=12)


async def test_tag_segments_and_whois(emu: BotAPIEmulator, bot_process: BotProcess) -> None:
    emu.add_bot_to_group(GROUP, ALICE)
    day = yesterday_noon()  # the daily run computes the last complete day
    emu.send_message(GROUP, BOB, "/checkin", date=day)
    await emu.wait_for_message(chat_id=GROUP, contains="Bob checked in", timeout=15)
    emu.send_message(GROUP, CAROL, "hello, happy to be here", date=day)
    emu.send_message(GROUP, ALICE, "welcome everyone", date=day)

    mark = emu.mark()
    emu.send_message(GROUP, ALICE, "/tag @bob vip early-bird")
    tagged = await emu.wait_for_message(chat_id=GROUP, after=mark, timeout=15)
    assert tagged.plain_text == "🏷 Bob: added early-bird, vip. Tags: early-bird, vip"

    # The leader classifies the new group within a round or two of its day being due.
    for _ in range(30):
        mark = emu.mark()
        emu.send_message(GROUP, ALICE, "/segments")
        overview = await emu.wait_for_message(
            chat_id=GROUP, contains="Segments", after=mark, timeout=15
        )
        if "stages as of" in overview.plain_text:
            break
        await asyncio.sleep(1)
    assert "stages as of" in overview.plain_text, overview.plain_text
    assert "🔥 Active — 3 · 100.0%" in overview.plain_text
    assert "💎 Core — 1" in overview.plain_text

    emu.press_button_by_label(GROUP, ALICE, "🔥 3")
    await emu.wait_for(lambda: "active — 3 members" in overview.plain_text, timeout=15)
    assert "Bob @bob" in overview.plain_text and "Carol @carol" in overview.plain_text
    mark = emu.mark()
    emu.press_button_by_label(GROUP, ALICE, "⬇️ CSV")
    doc = await emu.wait_for(
        lambda: next((s for s in emu.sent[mark:] if s.document is not None), None), timeout=15
    )
    rows = {r["user_id"]: r for r in csv.DictReader(io.StringIO(doc.document.decode()))}
    assert set(rows) == {str(ALICE), str(BOB), str(CAROL)}
    assert rows[str(BOB)]["tags"] == "early-bird vip" and rows[str(BOB)]["tier"] == "core"

    mark = emu.mark()
    emu.send_message(GROUP, ALICE, "/whois @bob")
    card = await emu.wait_for_message(chat_id=GROUP, contains="🪪", after=mark, timeout=15)
    for line in (
        "Bob @bob",
        "🔥 Streak 1",
        "🧭 Stage: Active",
        "💎 Tier: Core",
        "🏷 early-bird, vip",
    ):
        assert line in card.plain_text, line

    mark = emu.mark()
    emu.send_message(GROUP, CAROL, "/whois @bob")
    refusal = await emu.wait_for_message(chat_id=GROUP, after=mark, timeout=15)
    assert refusal.plain_text == "Only group administrators can do that."
