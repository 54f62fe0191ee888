"""Administrators through the real protocol: points, settings buttons and exports; members refused."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from devtools.emulator import BotAPIEmulator
from tests.e2e.conftest import ALICE, BOB, CAROL, GROUP
from tests.e2e.harness import BotProcess

pytestmark = pytest.mark.e2e

DAY1 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


async def test_admin_and_member(emu: BotAPIEmulator, bot_process: BotProcess) -> None:
    emu.add_bot_to_group(GROUP, ALICE)
    emu.send_message(GROUP, BOB, "/checkin", date=DAY1)
    await emu.wait_for_message(chat_id=GROUP, contains="Bob checked in", timeout=15)
    hello = emu.send_message(GROUP, CAROL, "hello, happy to be here", date=DAY1)

    # A member cannot grant; an administrator (verified with getChatMember) can, by reply.
    mark = emu.mark()
    emu.send_message(GROUP, BOB, "/grant @bob 1000", date=DAY1)
    refusal = await emu.wait_for_message(chat_id=GROUP, after=mark, timeout=15)
    assert refusal.plain_text == "Only group administrators can do that."
    emu.send_message(
        GROUP,
        ALICE,
        "/grant 25 welcome gift",
        date=DAY1,
        reply_to_message_id=hello["message"]["message_id"],
    )
    granted = await emu.wait_for_message(chat_id=GROUP, contains="+25", after=mark, timeout=15)
    assert "Carol" in granted.plain_text and "Balance: 26" in granted.plain_text
    assert any(c.method == "getChatMember" for c in emu.calls)

    # Settings by buttons: the panel is edited in place.
    mark = emu.mark()
    emu.send_message(GROUP, ALICE, "/settings", date=DAY1)
    panel = await emu.wait_for_message(
        chat_id=GROUP, contains="Settings of", after=mark, timeout=15
    )
    assert "Day starts at: 0:00" in panel.plain_text
    emu.press_button_by_label(GROUP, ALICE, "Day starts at")
    await emu.wait_for(lambda: "Pick a new value" in panel.plain_text, timeout=15)
    emu.press_button_by_label(GROUP, ALICE, "4:00")
    await emu.wait_for(lambda: "Day starts at: 4:00" in panel.plain_text, timeout=15)
    assert panel.plain_text.startswith("✅ Saved: Day starts at → 4:00.")
    answers = await emu.wait_for(
        lambda: [c for c in emu.calls if c.method == "answerCallbackQuery"][1:], timeout=15
    )
    assert answers[0].params["text"] == "✅ Saved: Day starts at → 4:00."
    # Bob presses the same panel: an alert, and nothing changes.
    calls = len(emu.calls)
    emu.press_button_by_label(GROUP, BOB, "Language")
    alert = await emu.wait_for_call("answerCallbackQuery", after=calls, timeout=15)
    assert (
        alert.params.get("show_alert") in (True, "true")
        and "administrators" in alert.params["text"]
    )

    # 03:00 local on day 2 still belongs to day 1 now: Bob has already checked in.
    text_at = DAY1 + timedelta(hours=17)  # 19:00 UTC = 03:00 Asia/Shanghai
    mark = emu.mark()
    emu.send_message(GROUP, BOB, "/checkin", date=text_at)
    answer = await emu.wait_for_message(chat_id=GROUP, after=mark, timeout=15)
    assert "already checked in" in answer.plain_text

    # Export: a CSV document uploaded with multipart, contents match.
    mark = emu.mark()
    emu.send_message(GROUP, ALICE, "/export members", date=text_at)
    doc = await emu.wait_for(
        lambda: next((s for s in emu.sent[mark:] if s.document is not None), None), timeout=15
    )
    assert doc.file_name.endswith(".csv") and doc.method == "sendDocument"
    rows = {r["user_id"]: r for r in csv.DictReader(io.StringIO(doc.document.decode("utf-8")))}
    assert rows[str(BOB)]["points"] == "10" and rows[str(BOB)]["checkins"] == "1"
    assert rows[str(CAROL)]["points"] == "26" and rows[str(CAROL)]["username"] == "carol"
    emu.send_message(GROUP, BOB, "/export ledger", date=text_at)
    refusal = await emu.wait_for_message(
        chat_id=GROUP, contains="administrators", after=mark, timeout=15
    )
    assert not [s for s in emu.sent[mark:] if s.document is not None and s is not doc]


async def test_blocked_member_is_recorded(
    emu: BotAPIEmulator, bot_process: BotProcess, db_url: str
) -> None:
    from sqlalchemy import select
    from sqlalchemy.ext.asyncio import create_async_engine

    from storage.tables import TgUser

    emu.send_private(BOB, "/start")
    await emu.wait_for_message(chat_id=BOB, contains="Hi Bob", timeout=15)
    # Bob asks for help, then blocks the bot before the answer goes out.
    emu.fail_next("sendMessage", error_code=403, chat_id=BOB)
    calls = len(emu.calls)
    emu.send_private(BOB, "/help")
    await emu.wait_for(lambda: [c for c in emu.calls[calls:] if c.status == 403], timeout=15)
    engine = create_async_engine(db_url)
    try:
        for _ in range(50):
            async with engine.connect() as db:
                blocked_at = (
                    await db.execute(select(TgUser.blocked_at).where(TgUser.id == BOB))
                ).scalar_one_or_none()
            if blocked_at is not None:
                break
            await asyncio.sleep(0.1)
    finally:
        await engine.dispose()
    assert blocked_at is not None, "a 403 marks the user as having blocked the bot"
    assert bot_process.process.returncode is None  # and nothing crashed
