"""Group etiquette under load: past the group's pace, reactions and one edited digest, not a reply each."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from devtools.emulator import BotAPIEmulator
from tests.e2e.conftest import ALICE, GROUP
from tests.e2e.harness import BotProcess

pytestmark = pytest.mark.e2e

DAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
MEMBERS = 40


async def test_rush_of_checkins_gets_reactions_and_one_digest(
    emu: BotAPIEmulator, bot_process: BotProcess
) -> None:
    emu.add_bot_to_group(GROUP, ALICE)
    await emu.wait_for_message(chat_id=GROUP, timeout=15)  # the greeting
    mark = emu.mark()
    sent = []
    for i in range(MEMBERS):
        emu.add_user(7000 + i, f"Rush {i}", language_code="en")
        sent.append(emu.send_message(GROUP, 7000 + i, "/checkin", date=DAY))
    await emu.wait_confirmed(sent[-1]["update_id"], timeout=30)

    digest = await emu.wait_for(
        lambda: next((s for s in emu.sent[mark:] if "checked in today" in s.plain_text), None),
        timeout=30,
    )
    # The digest is edited as it fills, until it counts everyone (edits are spaced ~10 s apart).
    await emu.wait_for(
        lambda: digest.plain_text.startswith(f"✅ {MEMBERS} checked in"), timeout=40
    )
    assert digest.edits, "the digest is edited, not re-sent"

    replies = [s for s in emu.sent[mark:] if "checked in" in s.plain_text and s is not digest]
    reactions = [r for r in emu.reactions if r[0] == GROUP]
    assert len(replies) <= 12, "no reply flood past the group's pace"
    assert len(replies) + len(reactions) >= MEMBERS - 2
    assert len([s for s in emu.sent[mark:] if "checked in today" in s.plain_text]) == 1
    # Telegram was never asked to break its per-group message limit. (Reactions share the global
    # 30/s with everything else; a burst may draw a 429 there, which is retried.)
    assert not [c for c in emu.calls if c.status == 429 and c.method == "sendMessage"]
