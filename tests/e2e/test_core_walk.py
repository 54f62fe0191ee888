"""The bot as a process against the emulator: several members over several simulated days."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from devtools.emulator import BotAPIEmulator
from tests.e2e.conftest import ALICE, BOB, CAROL, GROUP, XIAOMING
from tests.e2e.harness import BotProcess

pytestmark = pytest.mark.e2e

DAY1 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai


async def say(emu: BotAPIEmulator, user: int, text: str, at: datetime, contains: str) -> str:
    mark = emu.mark()
    emu.send_message(GROUP, user, text, date=at)
    sent = await emu.wait_for_message(chat_id=GROUP, contains=contains, after=mark, timeout=30)
    return sent.plain_text


async def test_checkins_over_days_restart_and_429(
    emu: BotAPIEmulator, bot_process: BotProcess, db_url: str
) -> None:
    polls = [c for c in emu.calls if c.method == "getUpdates"]
    # The update types come from the registered routers (sent as JSON text in form data).
    asked = polls[0].params.get("allowed_updates")
    asked = json.loads(asked) if isinstance(asked, str) else asked
    assert asked == [
        "callback_query",
        "chat_join_request",
        "chat_member",
        "message",
        "my_chat_member",
        "poll_answer",
    ]
    mark = emu.mark()
    emu.add_bot_to_group(GROUP, ALICE)
    welcome = await emu.wait_for_message(chat_id=GROUP, after=mark, timeout=15)
    assert "/checkin" in welcome.plain_text

    text = await say(emu, BOB, "/checkin", DAY1, "Bob checked in")
    assert "streak 1 day" in text and "+10 points" in text and "1st today" in text
    text = await say(emu, XIAOMING, "签到", DAY1 + timedelta(minutes=1), "签到成功")
    assert "第 2 位" in text  # a zh-hans member is answered in Chinese
    text = await say(
        emu, CAROL, "/checkin@community_test_bot", DAY1 + timedelta(minutes=2), "Carol"
    )
    assert "3rd today" in text
    text = await say(emu, BOB, "打卡", DAY1 + timedelta(hours=1), "already checked in")
    assert "balance 10" in text

    text = await say(emu, BOB, "/checkin", DAY1 + timedelta(days=1), "Bob checked in")
    assert "streak 2 days" in text and "balance 20" in text
    # 23:30 UTC on day 1 is already day 2 in Asia/Shanghai.
    text = await say(emu, XIAOMING, "打卡", datetime(2026, 3, 2, 23, 30, tzinfo=UTC), "签到成功")
    assert "连续 2 天" in text
    text = await say(emu, BOB, "/checkin", DAY1 + timedelta(days=3), "Bob checked in")
    assert "streak 1 day" in text and "balance 30" in text  # a missed day resets the streak

    # Restart: everything is kept.
    assert await bot_process.stop() == 0
    await bot_process.start()
    text = await say(emu, BOB, "/me", DAY1 + timedelta(days=3, hours=1), "Points:")
    assert "Points: 30" in text and "best 2" in text and "Check-ins: 3" in text

    # A 429 from Telegram: the reply still arrives after retry_after.
    emu.fail_next("sendMessage", error_code=429, retry_after=1)
    text = await say(emu, CAROL, "/checkin", DAY1 + timedelta(days=3), "Carol checked in")
    assert any(c.status == 429 for c in emu.calls)


async def test_redelivered_update_changes_nothing(
    emu: BotAPIEmulator, bot_process: BotProcess
) -> None:
    update = emu.send_message(GROUP, BOB, "/checkin", date=DAY1)
    await emu.wait_for_message(chat_id=GROUP, contains="Bob checked in", timeout=15)
    await emu.wait_confirmed(update["update_id"], timeout=15)
    mark = emu.mark()
    emu.redeliver(update)
    await emu.wait_confirmed(update["update_id"], timeout=15)
    probe = emu.send_message(GROUP, BOB, "/me", date=DAY1 + timedelta(minutes=5))
    me = await emu.wait_for_message(chat_id=GROUP, contains="Points:", after=mark, timeout=15)
    await emu.wait_confirmed(probe["update_id"])
    assert "Points: 10" in me.plain_text
    assert [m for m in emu.sent[mark:] if "checked in" in m.plain_text] == []


async def test_bad_input_and_wrong_chat(emu: BotAPIEmulator, bot_process: BotProcess) -> None:
    emu.start_private(BOB)
    mark = emu.mark()
    emu.send_private(BOB, "/checkin")
    reply = await emu.wait_for_message(chat_id=BOB, after=mark, timeout=15)
    assert "works in a group" in reply.plain_text
    emu.send_private(BOB, "/frobnicate")
    reply = await emu.wait_for_message(chat_id=BOB, contains="/frobnicate", after=mark, timeout=15)
    assert "/help" in reply.plain_text
    emu.send_private(BOB, "/start")
    reply = await emu.wait_for_message(chat_id=BOB, contains="/me", after=mark + 2, timeout=15)
    assert "Hi Bob" in reply.plain_text
    # Commands were published in both languages.
    assert any(key.endswith(":zh") for key in emu.commands) and any(
        key.endswith(":") for key in emu.commands
    )
