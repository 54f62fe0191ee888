"""An update that does not parse is set aside and confirmed; the bot goes on (polling)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from devtools.emulator import BotAPIEmulator
from storage.tables import SetAsideUpdate
from tests.e2e.conftest import ALICE, BOB, GROUP
from tests.e2e.harness import BotProcess

pytestmark = pytest.mark.e2e


async def test_an_unparseable_update_never_stops_the_bot(
    emu: BotAPIEmulator, bot_process: BotProcess, db_url: str
) -> None:
    emu.add_bot_to_group(GROUP, ALICE)
    bad = emu.push_unparseable(
        {"message": {"message_id": "not a number", "chat": {"id": GROUP}, "date": "soon"}}
    )
    mark = emu.mark()
    emu.send_message(GROUP, BOB, "/checkin")
    await emu.wait_for_message(chat_id=GROUP, contains="Bob checked in", after=mark, timeout=20)
    await emu.wait_confirmed(bad["update_id"], timeout=10)
    assert bot_process.process is not None and bot_process.process.returncode is None

    await bot_process.stop()
    await bot_process.start()  # confirmed: the restarted bot does not fetch it again
    mark = emu.mark()
    emu.send_message(GROUP, BOB, "/me")
    await emu.wait_for_message(chat_id=GROUP, contains="Points: 10", after=mark, timeout=20)

    engine = create_async_engine(db_url)
    try:
        async with engine.connect() as db:
            rows = (
                await db.execute(sa.select(SetAsideUpdate.update_id, SetAsideUpdate.payload))
            ).all()
    finally:
        await engine.dispose()
    assert [r[0] for r in rows] == [bad["update_id"]]
    assert '"not a number"' in rows[0][1]
    assert "set aside" in bot_process.log()
