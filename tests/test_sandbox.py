"""The sandbox: console commands, and `python -m bot` with no token driven through a pipe."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import timedelta

import pytest

from devtools.emulator import BotAPIEmulator
from devtools.sandbox import GROUP_ID, PEOPLE, SandboxConsole
from tests.e2e.harness import ROOT


@pytest.fixture
async def console() -> SandboxConsole:
    emu = BotAPIEmulator(limits=None)
    emu.add_group(GROUP_ID, "Sandbox")
    c = SandboxConsole(emu)
    for person in PEOPLE:
        c.add_person(*person)
    return c


async def test_console_commands(console: SandboxConsole) -> None:
    emu = console.emu
    assert console.prompt() == "[Alice @ group] > "
    assert "小明" in console.handle(":as xiaoming")
    console.handle("签到")
    assert (
        emu._updates[-1]["message"]["from"]["id"] == 1003
        and emu._updates[-1]["message"]["text"] == "签到"
    )
    before = emu.now
    console.handle(":day +3")
    assert emu.now - before == timedelta(days=3)
    assert (
        "administrator" in console.handle(":admin bob")
        and emu.status[(GROUP_ID, 1002)] == "administrator"
    )
    assert "No member" in console.handle(":as nobody")
    assert "Unknown console command" in console.handle(":fly")
    console.handle(":dm")
    console.handle("/me")
    assert emu._updates[-1]["message"]["chat"]["type"] == "private"
    assert "joined" in console.handle(":newuser Dana")
    assert "Usage" in console.handle(":day x")
    with pytest.raises(LookupError):
        emu.press_button_by_label(GROUP_ID, 1001, "Nope")
    assert "Back in the group" in console.handle(":group")
    console.handle(":quit")
    assert console.quit


@pytest.mark.e2e
async def test_run_without_token_starts_the_sandbox(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "TELEGRAM_"))
    }
    env["PYTHONPATH"] = str(ROOT)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(
        proc.communicate("/checkin\n:as xiaoming\n签到\n:quit\n".encode()), 90
    )
    text = out.decode()
    assert proc.returncode == 0, text
    assert "Alice checked in" in text and "签到成功" in text
