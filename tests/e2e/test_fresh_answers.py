"""A fresh command is answered in seconds, whatever is queued: 100 grants, then /export.

An administrator rewards 100 members in a row (by replying to their messages or by @username),
then asks for the member list. The group's allowance is 20 messages a minute: answered one by
one, the grants alone would hold the group for five minutes. They are folded into one edited
message once the group is busy, and the export, an answer to a person, goes first.
"""

from __future__ import annotations

import csv
import io
import time
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from devtools.emulator import BotAPIEmulator
from storage.tables import LedgerEntry
from tests.e2e.conftest import ALICE, GROUP
from tests.e2e.harness import BotProcess

pytestmark = pytest.mark.e2e

DAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
GRANTS = 100
FIRST_WINNER = 910_000


async def granted(db_url: str) -> Counter[tuple[int, str | None]]:
    engine = create_async_engine(db_url)
    try:
        async with engine.connect() as db:
            rows = await db.execute(
                select(LedgerEntry.user_id, LedgerEntry.note).where(
                    LedgerEntry.reason == "admin_grant"
                )
            )
            return Counter((user_id, note) for user_id, note in rows)
    finally:
        await engine.dispose()


async def test_export_after_a_burst_of_grants_arrives_within_seconds(
    emu: BotAPIEmulator, bot_process: BotProcess, db_url: str
) -> None:
    emu.add_bot_to_group(GROUP, ALICE)
    await emu.wait_for_message(chat_id=GROUP, timeout=15)  # the greeting
    hellos = []
    for i in range(GRANTS):
        emu.add_user(FIRST_WINNER + i, f"Winner {i}", username=f"winner{i}", language_code="en")
        hellos.append(emu.send_message(GROUP, FIRST_WINNER + i, "hello everyone", date=DAY))
    await emu.wait_confirmed(hellos[-1]["update_id"], timeout=60)

    mark = emu.mark()
    for i, hello in enumerate(hellos):
        if i % 2:
            emu.send_message(
                GROUP,
                ALICE,
                f"/grant 5 w{i}",
                date=DAY,
                reply_to_message_id=hello["message"]["message_id"],
            )
        else:
            emu.send_message(GROUP, ALICE, f"/grant @winner{i} 5 w{i}", date=DAY)
    asked = time.monotonic()
    emu.send_message(GROUP, ALICE, "/export members", date=DAY)
    document = await emu.wait_for(
        lambda: next((s for s in emu.sent[mark:] if s.document is not None), None), timeout=30
    )
    waited = time.monotonic() - asked
    rows = {r["user_id"]: r for r in csv.DictReader(io.StringIO(document.document.decode()))}
    # Handled after every grant (the same administrator, in order): it shows them all.
    assert all(rows[str(FIRST_WINNER + i)]["points"] == "6" for i in range(GRANTS))

    # The grants: a reply each while the group was quiet, then one message edited as it fills.
    replies = [s for s in emu.sent[mark:] if "+5 points to Winner" in s.plain_text]
    folds = [s for s in emu.sent[mark:] if "points each to" in s.plain_text]
    assert len(folds) == 1 and replies, [s.plain_text for s in emu.sent[mark:]]
    folded = GRANTS - len(replies)
    await emu.wait_for(lambda: folds[0].plain_text.endswith(f"({folded} members)"), timeout=30)
    assert folds[0].plain_text.startswith("✅ +5 points each to Winner 99, Winner 98")
    messages = [s for s in emu.sent[mark:] if s.chat_id == GROUP]
    print(
        f"\nexport arrived {waited:.1f} s after the burst of {GRANTS} grants;"
        f" {len(replies)} replies + 1 folded message for the grants"
    )
    assert len(messages) <= 15, "far fewer messages than grants"
    reactions = [r for r in emu.reactions if r[0] == GROUP]
    assert len(reactions) == folded  # each folded grant command still gets a 👍

    # Telegram's limits held: not a single 429.
    assert not [c for c in emu.calls if c.status == 429]
    # Every grant is in the ledger exactly once.
    assert await granted(db_url) == Counter(
        {(FIRST_WINNER + i, f"w{i}"): 1 for i in range(GRANTS)}
    )
