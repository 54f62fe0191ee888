"""Kill the bot in the middle of a burst (SIGKILL or SIGTERM, polling or webhook): nothing lost, nothing doubled.

1,500 members check in and an administrator makes 100 grants. Once part of the burst is
confirmed to the emulator (that is, to "Telegram"), the bot process is stopped. At that instant
every confirmed update must already have its effects in the database. Then the bot starts
again, Telegram redelivers what was not confirmed, and in the end every check-in and every
grant is recorded exactly once.
"""

from __future__ import annotations

import signal
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from devtools.emulator import BotAPIEmulator
from storage.tables import Checkin, LedgerEntry, Member, ProcessedUpdate
from tests.e2e.conftest import ALICE, GROUP
from tests.e2e.harness import BotProcess, free_port

pytestmark = pytest.mark.e2e

CHECKINS, GRANTS = 1500, 100
DAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
FIRST_MEMBER, FIRST_TARGET = 100_000, 900_000


def bot_for(emu: BotAPIEmulator, db_url: str, mode: str) -> BotProcess:
    if mode == "polling":
        return BotProcess(emu, db_url)
    port = free_port()
    return BotProcess(
        emu,
        db_url,
        BOT_MODE="webhook",
        WEBHOOK_URL=f"http://127.0.0.1:{port}/hook",
        WEBHOOK_LISTEN=f"127.0.0.1:{port}",
        WEBHOOK_SECRET="crash-test",
    )


async def recorded(db_url: str) -> tuple[Counter[int], Counter[str], set[int], dict[int, int]]:
    """(check-ins per member, grant notes, processed update ids, points per grant target)."""
    engine = create_async_engine(db_url)
    try:
        async with engine.connect() as db:
            checkins = Counter(
                (await db.execute(select(Checkin.user_id).where(Checkin.group_id == GROUP)))
                .scalars()
                .all()
            )
            notes = Counter(
                (
                    await db.execute(
                        select(LedgerEntry.note).where(LedgerEntry.reason == "admin_grant")
                    )
                )
                .scalars()
                .all()
            )
            processed = set((await db.execute(select(ProcessedUpdate.update_id))).scalars().all())
            targets = dict(
                (
                    await db.execute(
                        select(Member.user_id, Member.points).where(Member.user_id >= FIRST_TARGET)
                    )
                ).all()
            )
            ledger_sum = (
                await db.execute(select(func.coalesce(func.sum(LedgerEntry.amount), 0)))
            ).scalar_one()
            member_sum = (
                await db.execute(select(func.coalesce(func.sum(Member.points), 0)))
            ).scalar_one()
    finally:
        await engine.dispose()
    assert ledger_sum == member_sum  # balances always equal the ledger
    return checkins, notes, processed, targets


# Every pair of (database, signal, intake mode) once: four runs, not all eight (the suite's
# time budget; each run is a 1,600-update burst against a real process).
@pytest.mark.parametrize(
    ("db_url", "sig", "mode"),
    [
        ("sqlite", signal.SIGKILL, "webhook"),
        ("sqlite", signal.SIGTERM, "polling"),
        ("postgresql", signal.SIGKILL, "polling"),
        ("postgresql", signal.SIGTERM, "webhook"),
    ],
    ids=[
        "sqlite-SIGKILL-webhook",
        "sqlite-SIGTERM-polling",
        "pg-SIGKILL-polling",
        "pg-SIGTERM-webhook",
    ],
    indirect=["db_url"],
)
async def test_stop_in_the_middle_of_a_burst(
    emu: BotAPIEmulator, db_url: str, mode: str, sig: int
) -> None:
    bot = await bot_for(emu, db_url, mode).start()
    try:
        emu.add_bot_to_group(GROUP, ALICE)
        # The members who will receive grants are known to the bot before the burst.
        for i in range(GRANTS):
            emu.add_user(FIRST_TARGET + i, f"Target {i}", language_code="en")
            last = emu.send_message(GROUP, FIRST_TARGET + i, "hello everyone", date=DAY)
        await emu.wait_for(lambda: emu.pending_updates() == 0, timeout=60)
        await emu.wait_for(
            lambda: emu.confirmed_offset > last["update_id"] or mode == "webhook", timeout=30
        )

        kinds: dict[int, tuple[str, int]] = {}  # update id -> ("checkin", member) | ("grant", i)
        for i in range(CHECKINS):
            member = FIRST_MEMBER + i
            emu.add_user(member, f"Member {i}", language_code="en")
            update = emu.send_message(GROUP, member, "/checkin", date=DAY + timedelta(seconds=i))
            kinds[update["update_id"]] = ("checkin", member)
            if i % (CHECKINS // GRANTS) == 0:
                n = i // (CHECKINS // GRANTS)
                update = emu.send_message(
                    GROUP, ALICE, f"/grant {FIRST_TARGET + n} 5 g{n}", date=DAY
                )
                kinds[update["update_id"]] = ("grant", n)
        first = min(kinds)

        def confirmed() -> set[int]:
            pending = {u["update_id"] for u in emu._updates}  # noqa: SLF001
            return {uid for uid in kinds if uid < emu.confirmed_offset and uid not in pending}

        await emu.wait_for(lambda: emu.confirmed_offset > first + 300, timeout=60)
        code = await bot.stop(sig, timeout=25)  # SIGTERM: 20 s grace for updates + 5 s for replies
        if sig == signal.SIGTERM:
            assert code == 0, bot.log()
        done = confirmed()
        assert 300 <= len(done) < len(kinds), "the stop should land in the middle of the burst"

        # Whatever Telegram was told is done, is done.
        checkins, notes, processed, _ = await recorded(db_url)
        assert done <= processed
        for uid in done:
            kind, who = kinds[uid]
            if kind == "checkin":
                assert checkins[who] == 1
            else:
                assert notes[f"g{who}"] == 1

        await bot.start()
        await emu.wait_for(lambda: emu.pending_updates() == 0, timeout=120)
        await emu.wait_for(lambda: len(confirmed()) == len(kinds), timeout=60)
        await bot.stop()

        checkins, notes, processed, targets = await recorded(db_url)
        assert set(kinds) <= processed
        assert len(checkins) == CHECKINS and set(checkins.values()) == {1}
        assert notes == Counter({f"g{n}": 1 for n in range(GRANTS)})
        assert targets == {
            FIRST_TARGET + n: 1 + 5 for n in range(GRANTS)
        }  # 1 activity point + grant
    finally:
        if bot.process is not None and bot.process.returncode is None:
            await bot.stop(signal.SIGKILL)
