"""A campaign to many members against the emulator's rate limits: `python -m bench --campaign
[--members 10000]`.

The bot runs as a process (`python -m bot`, SQLite) against the Bot API emulator with
Telegram's limits (30 messages/s overall, 20/min per group, 1/s per private chat). The group's
members and their private chats are written to the database in bulk (as if each had written
in the group and started the bot), then an administrator sends `/campaign all …` and confirms.
While it sends, a member checks in in the same group every second; each check-in's answer
(the bot's reply or reaction in the group) is timed.

Reported: the campaign's sending rate (private messages from the first to the last, over
Telegram's 30/s), 429s from the emulator, and the check-in answers' latencies.
"""

from __future__ import annotations

import asyncio
import signal
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from statistics import median
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from devtools.bot_process import BotProcess
from devtools.emulator import BotAPIEmulator, RateLimits
from devtools.emulator.faults import LIMITED_METHODS
from storage.tables import Member, TgUser

GROUP = -1009000000101
ADMIN = 50
FIRST = 100_000
CHECKERS = 400  # members who check in during the campaign (one a second)
ALLOWED = 30.0  # Telegram's messages per second overall


async def _populate(db_url: str, members: int, at: datetime) -> None:
    engine = create_async_engine(db_url)
    async with engine.begin() as conn:
        ids = [FIRST + i for i in range(members)]
        for start in range(0, members, 2000):
            chunk = ids[start : start + 2000]
            await conn.execute(
                sa.insert(TgUser.__table__),
                [
                    {"id": u, "display_name": f"Member {u - FIRST}", "started_at": at}
                    for u in chunk
                ],
            )
            await conn.execute(
                sa.insert(Member.__table__),
                [
                    {"group_id": GROUP, "user_id": u, "first_seen_at": at, "joined_at": at,
                     "last_active_at": at}
                    for u in chunk
                ],
            )  # fmt: skip
    await engine.dispose()


async def run(members: int) -> dict[str, Any]:
    emu = BotAPIEmulator(limits=RateLimits())
    await emu.start()
    emu.add_group(GROUP, "Campaign bench")
    emu.add_user(ADMIN, "Admin", language_code="en")
    emu.set_member_status(GROUP, ADMIN, "creator")
    for i in range(members):
        emu.add_user(FIRST + i, f"Member {i}", language_code="en")
        emu.set_member_status(GROUP, FIRST + i, "member")
        emu.start_private(FIRST + i)
    now = datetime.now(UTC).replace(microsecond=0)
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite+aiosqlite:///{Path(tmp) / 'campaign.db'}"
        bot = await BotProcess(emu, db_url).start()
        emu.add_bot_to_group(GROUP, ADMIN)
        await emu.wait_for_message(chat_id=GROUP, timeout=30)
        last = emu.send_message(GROUP, ADMIN, "/settings campaign_quiet off", date=now)
        await emu.wait_confirmed(last["update_id"], timeout=30)
        await bot.stop(signal.SIGTERM)
        await _populate(db_url, members, now)
        bot = await BotProcess(emu, db_url).start()
        try:
            emu.send_message(GROUP, ADMIN, "/campaign all holdout=10 Hello {name}!", date=now)
            preview = await emu.wait_for_message(
                chat_id=GROUP, contains="Campaign preview", timeout=120
            )
            data = preview.reply_markup["inline_keyboard"][0][0]["callback_data"]  # type: ignore[index]
            mark = len(emu.calls)
            emu.press_button(GROUP, ADMIN, preview.message_id, data)
            treated = members + 1 - round((members + 1) * 0.1)
            latencies: list[float] = []

            found: list[float] = []
            seen = [mark]

            def private_sends() -> list[float]:
                """Incremental: the emulator shares this event loop, and a scan of every call
                at each poll would stall it (its requests then arrive in bursts: 429s that
                are the bench's doing)."""
                calls = emu.calls
                for c in calls[seen[0] :]:
                    if (
                        c.status == 200
                        and c.method == "sendMessage"
                        and int(c.params.get("chat_id", 0)) > 0
                    ):
                        found.append(c.at)
                seen[0] = len(calls)
                return found

            async def checkins() -> None:
                for i in range(CHECKERS):
                    if len(private_sends()) >= treated - 1:
                        return
                    user = FIRST + i
                    before = len(emu.calls)
                    pushed = time.monotonic()
                    emu.send_message(GROUP, user, "/checkin", date=datetime.now(UTC))
                    await emu.wait_for(
                        lambda b=before: any(
                            int(c.params.get("chat_id", 0)) == GROUP
                            and c.method in ("sendMessage", "setMessageReaction")
                            for c in emu.calls[b:]
                        ),
                        timeout=60,
                    )
                    latencies.append(time.monotonic() - pushed)
                    await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - pushed)))

            stalls: list[float] = []

            async def probe() -> None:
                """How late this loop (the emulator's) wakes: a late loop handles the requests
                that arrived meanwhile at once, as if they had arrived together."""
                while True:
                    asked = time.monotonic()
                    await asyncio.sleep(0.01)
                    stalls.append(time.monotonic() - asked - 0.01)

            probing = asyncio.create_task(probe())
            checking = asyncio.create_task(checkins())
            await emu.wait_for(lambda: len(private_sends()) >= treated - 1, timeout=members)
            await checking
            probing.cancel()
            sends = private_sends()
        finally:
            await bot.stop(signal.SIGTERM)
            await emu.stop()
    span = sends[-1] - sends[0]
    rate = (len(sends) - 1) / span if span > 0 else 0.0
    throttled = [c for c in emu.calls if c.status == 429]
    kinds = Counter(
        f"{c.method} {'private' if int(c.params.get('chat_id', 0)) > 0 else 'group'}"
        for c in throttled
    )
    everything = [c.at for c in emu.calls if c.status == 200 and c.method in LIMITED_METHODS]
    during = [a for a in everything if sends[0] <= a <= sends[-1]]
    ordered = sorted(latencies)
    limited = [c for c in emu.calls if c.status in (200, 429) and c.method in LIMITED_METHODS]
    windows = []  # for each 429: how long the 30 accepted calls before it took to arrive
    for i, c in enumerate(limited):
        if c.status == 429:
            accepted = [x.at for x in limited[:i] if x.status == 200][-30:]
            windows.append(c.at - accepted[0] if accepted else 0.0)
    return {
        "stall_max": max(stalls, default=0.0),
        "stalls_over_50ms": sum(s > 0.05 for s in stalls),
        "windows": ", ".join(f"{w * 1000:.0f}" for w in windows) or "-",
        "members": members,
        "sent": len(sends),
        "seconds": span,
        "rate": rate,
        "share": rate / ALLOWED,
        "429s": len(throttled),
        "429_kinds": ", ".join(f"{k}: {n}" for k, n in kinds.most_common()) or "none",
        "all_rate": (len(during) - 1) / span if span > 0 else 0.0,
        "checkins": len(latencies),
        "checkin_median": median(ordered) if ordered else 0.0,
        "checkin_p95": ordered[int(len(ordered) * 0.95)] if ordered else 0.0,
        "checkin_max": ordered[-1] if ordered else 0.0,
    }


def report(found: dict[str, Any]) -> None:
    print(
        f"campaign to {found['members']:,.0f} members (SQLite, emulator limits 30/s): "
        f"{found['sent']:,.0f} private messages in {found['seconds']:.1f} s = "
        f"{found['rate']:.1f}/s ({found['share'] * 100:.0f}% of 30/s); 429s: {found['429s']:.0f}"
        f" ({found['429_kinds']}); every rate-limited call meanwhile: {found['all_rate']:.1f}/s"
    )
    print(
        f"check-ins during it: {found['checkins']:.0f} answered, median "
        f"{found['checkin_median'] * 1000:.0f} ms, p95 {found['checkin_p95'] * 1000:.0f} ms, "
        f"max {found['checkin_max'] * 1000:.0f} ms"
    )
    print(
        f"emulator loop: worst wake-up {found['stall_max'] * 1000:.0f} ms late, "
        f"{found['stalls_over_50ms']:.0f} over 50 ms; each 429's window of 30 accepted calls "
        f"(ms): {found['windows']}"
    )
