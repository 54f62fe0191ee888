"""Webhook mode, health and metrics endpoints, and refusal of bad webhook requests."""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import asyncpg
import pytest

from devtools.emulator import BotAPIEmulator
from tests.conftest import PG_ADMIN_DSN
from tests.e2e.conftest import ALICE, BOB, GROUP
from tests.e2e.harness import ROOT, BotProcess, free_port

pytestmark = pytest.mark.e2e
SECRET = "s3cret_token-1"


@pytest.fixture
async def webhook_bot(emu: BotAPIEmulator, db_url: str) -> AsyncIterator[tuple[BotProcess, str]]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = BotProcess(
        emu,
        db_url,
        BOT_MODE="webhook",
        WEBHOOK_URL=f"{base}/tg/hook",
        WEBHOOK_LISTEN=f"127.0.0.1:{port}",
        WEBHOOK_SECRET=SECRET,
    )
    await process.start()
    try:
        yield process, base
    finally:
        if process.process is not None and process.process.returncode is None:
            await process.stop()


async def test_webhook_delivers_and_refuses_bad_requests(emu: BotAPIEmulator, webhook_bot) -> None:  # type: ignore[no-untyped-def]
    process, base = webhook_bot
    assert emu.webhook is not None and emu.webhook["secret_token"] == SECRET
    assert "chat_member" in emu.webhook["allowed_updates"]
    mark = emu.mark()
    emu.add_bot_to_group(GROUP, ALICE)
    emu.send_message(GROUP, BOB, "/checkin", date=datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    reply = await emu.wait_for_message(
        chat_id=GROUP, contains="Bob checked in", after=mark, timeout=15
    )
    assert "streak 1 day" in reply.plain_text

    fake = {
        "update_id": 999_999,
        "message": {
            "message_id": 1,
            "date": 1772416800,
            "chat": {"id": GROUP, "type": "supergroup", "title": "x"},
            "from": {"id": BOB, "is_bot": False, "first_name": "Bob"},
            "text": "/checkin",
        },
    }
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}/tg/hook", json=fake) as response:
            assert response.status == 401
        async with http.post(
            f"{base}/tg/hook", json=fake, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
        ) as response:
            assert response.status == 401
        async with http.post(
            f"{base}/tg/hook",
            data=b"{not json",
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        ) as response:
            assert response.status == 400
        async with http.post(
            f"{base}/tg/hook",
            json={"nonsense": True},
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        ) as response:
            assert response.status == 400
        # An update with an id that does not parse is kept and taken as delivered (200), or
        # Telegram would send it forever.
        async with http.post(
            f"{base}/tg/hook",
            json={"update_id": 1_000_001, "message": {"message_id": "not a number"}},
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        ) as response:
            assert response.status == 200
        # A valid update for the same member and day would be answered; the refused ones were not.
        mark = emu.mark()
        async with http.post(
            f"{base}/tg/hook",
            json={**fake, "update_id": 1_000_000, "message": {**fake["message"], "text": "/me"}},
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        ) as response:
            assert response.status == 200
        me = await emu.wait_for_message(chat_id=GROUP, contains="Points:", after=mark, timeout=10)
        assert "Points: 10" in me.plain_text and "Check-ins: 1" in me.plain_text

        async with http.get(f"{base}/healthz") as response:
            assert response.status == 200
        async with http.get(f"{base}/readyz") as response:
            assert response.status == 200
        async with http.get(f"{base}/metrics") as response:
            body = await response.text()
        assert 'bot_updates_total{outcome="processed",replica="' in body
        assert re.search(
            r'bot_updates_total\{outcome="set_aside",replica="[^"]+",type="message"\} 1\.0', body
        )
        assert "bot_update_handling_seconds_bucket" in body and "bot_outbound_queue_depth" in body
    assert await process.stop() == 0


async def test_polling_health_and_readiness_follow_the_database(
    emu: BotAPIEmulator, pg_database: tuple[str, str]
) -> None:
    name, url = pg_database
    port = free_port()
    process = BotProcess(emu, url, HEALTH_LISTEN=f"127.0.0.1:{port}")
    try:
        await process.start()
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/readyz") as response:
                assert response.status == 200
            admin = await asyncpg.connect(PG_ADMIN_DSN)
            try:
                # Take the database away: no new connections, existing ones cut.
                await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
                await admin.execute(
                    f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
                )
                async with http.get(f"http://127.0.0.1:{port}/readyz") as response:
                    assert response.status == 503
                async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                    assert response.status == 200  # alive, just not ready
                await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            finally:
                await admin.close()
            async with http.get(f"http://127.0.0.1:{port}/readyz") as response:
                assert response.status == 200
        assert await process.stop() == 0
    finally:
        if process.process is not None and process.process.returncode is None:
            process.process.kill()


async def test_webhook_mode_refuses_to_start_without_secret(tmp_path) -> None:  # type: ignore[no-untyped-def]
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "BOT_TOKEN": "1:x",
            "BOT_MODE": "webhook",
            "WEBHOOK_URL": "https://example.org/hook",
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/x.db",
        },
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 2
    assert b"WEBHOOK_SECRET" in out
