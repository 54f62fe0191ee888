"""The numbers through the real protocol: joins, check-ins, chat and a reaction (Telegram sends
message_reaction because the bot is an administrator and asks for it), then /stats with its
album of charts and period buttons (the North Star, a /goal, on top), /atrisk, the weekly
report (/goal report), /retention, /funnel and /compare in private, and /export daily."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from devtools.emulator import BotAPIEmulator
from storage.tables import MemberDay
from tests.e2e.conftest import ALICE, BOB, CAROL, GROUP
from tests.e2e.harness import BotProcess

pytestmark = pytest.mark.e2e

DAY0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai


async def test_stats_and_daily_export(
    emu: BotAPIEmulator, bot_process: BotProcess, db_url: str
) -> None:
    emu.add_bot_to_group(GROUP, ALICE)  # as an administrator
    emu.join(GROUP, CAROL, date=DAY0)  # told twice: a service message and chat_member
    for day in range(3):
        emu.send_message(GROUP, BOB, "签到", date=DAY0 + timedelta(days=day))
    hello = emu.send_message(GROUP, CAROL, "what a lovely community this is", date=DAY0)
    emu.send_message(GROUP, CAROL, "see you all tomorrow then", date=DAY0 + timedelta(days=1))
    reacted = emu.react(
        GROUP, BOB, hello["message"]["message_id"], ["👍"], date=DAY0 + timedelta(hours=1)
    )
    assert reacted is not None
    await emu.wait_confirmed(reacted["update_id"], timeout=20)  # all of it recorded
    asked_at = DAY0 + timedelta(days=3)

    # A goal: the first is the North Star, shown on top of /stats.
    mark = emu.mark()
    emu.send_message(GROUP, ALICE, "/goal set members 6 by 2026-06-30", date=asked_at)
    goal = await emu.wait_for_message(chat_id=GROUP, contains="Goal set", after=mark, timeout=20)
    assert "It is the North Star" in goal.plain_text
    assert "⭐ North Star — Members: 2 of 6 by 2026-06-30" in goal.plain_text

    mark = emu.mark()
    emu.send_message(GROUP, ALICE, "/stats 7d", date=asked_at)
    post = await emu.wait_for_message(
        chat_id=GROUP, contains="last 7 days", after=mark, timeout=20
    )
    text = post.plain_text
    assert text.startswith("⭐ North Star — Members: 2 of 6")
    assert "last 7 days" in text and "joined 1" in text and "Check-ins: 3" in text
    assert "Messages: 2 (new) from 1 member" in text
    assert "Reactions are counted only" not in text  # the bot is an administrator here
    # Its charts follow as one album, drawn in the worker process: seven photos the emulator
    # took as Telegram would (real images of allowed sizes).
    album = await emu.wait_for(
        lambda: (
            found
            if len(found := [s for s in emu.sent[mark:] if s.method == "sendMediaGroup"]) == 7
            else None
        ),
        timeout=60,
    )
    assert all(s.photo for s in album) and album[0].plain_text.startswith("📈 E2E Community")
    emu.press_button_by_label(GROUP, ALICE, "30 days")
    await emu.wait_for(lambda: "last 30 days" in post.plain_text, timeout=20)

    # Who is about to go quiet: no model yet (days of history, not weeks), and it says so.
    mark = emu.mark()
    emu.send_message(GROUP, ALICE, "/atrisk", date=asked_at)
    risk = await emu.wait_for_message(chat_id=GROUP, contains="At risk", after=mark, timeout=20)
    assert "No scores yet" in risk.plain_text and "No model trained yet" in risk.plain_text

    # The weekly report, asked for now (/goal report): in private, to an admin who started the bot.
    mark = emu.mark()
    emu.send_private(ALICE, "/start", date=asked_at)
    emu.send_message(GROUP, ALICE, "/goal report", date=asked_at)
    await emu.wait_for_message(chat_id=GROUP, contains="weekly report", after=mark, timeout=20)
    weekly = await emu.wait_for_message(
        chat_id=ALICE, contains="Weekly report", after=mark, timeout=30
    )
    assert "E2E Community" in weekly.plain_text and "North Star" in weekly.plain_text

    # The cohort reports, in private (the group's 20 messages a minute are spent by now): Carol
    # joined on the first day and spoke the next.
    for command, heading in (
        ("/retention days", "Retention by join day"),
        ("/funnel 7d", "From joining to redeeming"),
        (f"/compare {(DAY0 + timedelta(days=1)).date()} 1", "Before and after"),
    ):
        mark = emu.mark()
        emu.send_private(ALICE, command, date=asked_at)
        shown = await emu.wait_for_message(chat_id=ALICE, contains=heading, after=mark, timeout=30)
        assert "E2E Community" in shown.plain_text, shown.plain_text

    mark = emu.mark()
    emu.send_message(GROUP, ALICE, "/export daily", date=asked_at)
    doc = await emu.wait_for(  # the CSV (the reports' pictures above may still be arriving)
        lambda: next(
            (s for s in emu.sent[mark:] if s.document and b"date," in s.document[:8]), None
        ),
        timeout=20,
    )
    rows = list(csv.DictReader(io.StringIO(doc.document.decode("utf-8"))))
    assert [r["date"] for r in rows] == ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"]
    first = rows[0]
    assert (first["members"], first["joined"], first["dau"], first["checkins"]) == (
        "2",
        "1",
        "2",
        "1",
    )
    assert rows[-1]["dau"] == "1" and rows[-1]["wau"] == "3"  # Alice's commands that day

    engine = create_async_engine(db_url)
    try:
        async with engine.connect() as db:
            found = (
                await db.execute(
                    select(MemberDay.reactions).where(
                        MemberDay.user_id == BOB, MemberDay.reactions > 0
                    )
                )
            ).all()
    finally:
        await engine.dispose()
    assert [r.reactions for r in found] == [1]
