from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from devtools.emulator import BotAPIEmulator, RateLimits
from tests.e2e.harness import BotProcess

GROUP = -1001500000001
ALICE, BOB, XIAOMING, CAROL = 2001, 2002, 2003, 2004


@pytest.fixture
async def emu(tmp_path) -> AsyncIterator[BotAPIEmulator]:  # type: ignore[no-untyped-def]
    emulator = BotAPIEmulator(limits=RateLimits(), files_dir=tmp_path / "files")
    await emulator.start()
    emulator.add_group(GROUP, "E2E Community")
    emulator.add_user(ALICE, "Alice", username="alice", language_code="en")
    emulator.add_user(BOB, "Bob", username="bob", language_code="en")
    emulator.add_user(XIAOMING, "小明", username="xiaoming", language_code="zh-hans")
    emulator.add_user(CAROL, "Carol", username="carol", language_code="en")
    emulator.set_member_status(GROUP, ALICE, "creator")
    for user in (BOB, XIAOMING, CAROL):
        emulator.set_member_status(GROUP, user, "member")
    try:
        yield emulator
    finally:
        await emulator.stop()


@pytest.fixture
async def bot_process(emu: BotAPIEmulator, db_url: str) -> AsyncIterator[BotProcess]:
    process = BotProcess(emu, db_url)
    await process.start()
    try:
        yield process
    finally:
        if process.process is not None and process.process.returncode is None:
            await process.stop()
