"""Several processes as one bot (issue #26), end to end with real processes.

Two `python -m bot` webhook replicas on one PostgreSQL and one Redis, behind HAProxy running the
shipped docs/deploy/haproxy.cfg (TLS with a certificate the emulator trusts, /readyz checks).
The Bot API emulator, with Telegram's rate limits on, delivers a burst of a few thousand
updates from three busy groups and private chats. In one scenario:

- the leader replica is SIGKILLed mid-burst, just before a scheduled post is due, and started
  again: every check-in, grant and redemption is recorded exactly once; the other replica takes
  the lead within 10 s; the post due meanwhile is posted once, the next one on time;
- over everything both replicas sent (the emulator's clock): no second with more than 30
  messages, no group with more than 20 in a minute, no private chat with more than one in a
  second, and no 429;
- one check-in digest per busy group;
- the same update posted to both replicas at the same moment applies once.
"""

from __future__ import annotations

import asyncio
import json
import signal
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from bot.scheduler import plan_next
from core.schedule.posts import Content, PostService
from core.schedule.when import ONCE, Rule
from core.uow import UnitOfWork
from devtools.emulator import BotAPIEmulator, RateLimits
from devtools.load_balancer import LoadBalancer
from storage.db import create_engine, create_session_factory
from storage.tables import Checkin, LedgerEntry, Member, ProcessedUpdate, Redemption
from tests.e2e.harness import BotProcess, free_port
from tests.group_service import group_service
from tests.redis_server import REDIS_URL, unique_prefix, wipe

pytestmark = pytest.mark.e2e

GROUPS = [-1002600000001, -1002600000002, -1002600000003]
ADMINS = [2600001, 2600002, 2600003]
CHECKINS = 420  # per group, in the burst
CHATTER = 120  # plain messages per group (activity points)
GRANTS = 20  # per group
REDEEMERS = 3  # per group
PRIVATE = 30  # people writing to the bot in private, three messages each
DAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
SECRET = "replicas-e2e"
LEADS = "this process leads"
MESSAGE_METHODS = {"sendMessage", "sendDocument", "sendPhoto", "copyMessage"}
LIMITED = MESSAGE_METHODS | {"editMessageText", "setMessageReaction"}


def member(g: int, i: int) -> int:
    return 3_000_000 + g * 100_000 + i


def replica(emu: BotAPIEmulator, db_url: str, port: int, lb: LoadBalancer, name: str, prefix: str):  # type: ignore[no-untyped-def]
    return BotProcess(
        emu,
        db_url,
        niceness=5,
        BOT_MODE="webhook",
        WEBHOOK_URL=lb.url,
        WEBHOOK_LISTEN=f"127.0.0.1:{port}",
        WEBHOOK_SECRET=SECRET,
        REDIS_URL=REDIS_URL,
        REDIS_KEY_PREFIX=prefix,
        REPLICA_NAME=name,
        SHUTDOWN_GRACE_SECONDS="5",
    )


async def wait_log(process: BotProcess, text: str, timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while text not in process.log():
        assert time.monotonic() < deadline, f"no {text!r} within {timeout}s:\n{process.log()}"
        await asyncio.sleep(0.1)
    return time.monotonic()


async def poll(predicate: Any, timeout: float, every: float = 0.2) -> Any:
    """Wait until predicate() is truthy, looking every `every` seconds (not on each call the
    bots make, as emu.wait_for does: the scans here would slow the emulator down)."""
    deadline = time.monotonic() + timeout
    while not (found := predicate()):
        assert time.monotonic() < deadline, f"not in {timeout}s"
        await asyncio.sleep(every)
    return found


async def schedule(db_url: str, group_id: int, posts: list[tuple[str, datetime]]) -> None:
    engine = create_engine(db_url)
    try:
        factory = create_session_factory(engine)
        groups = group_service(factory)
        group = await groups.settings_for(group_id)
        service = PostService(plan_next)
        for text, due in posts:
            async with factory() as session:
                await service.create(
                    UnitOfWork(session),
                    group,
                    ADMINS[0],
                    Rule(ONCE, at=due),
                    Content(text),
                    None,
                    datetime.now(UTC),
                )
    finally:
        await engine.dispose()


async def scalar_rows(db_url: str, stmt: Any) -> list[Any]:
    engine = create_async_engine(db_url)
    try:
        async with engine.connect() as db:
            return list((await db.execute(stmt)).all())
    finally:
        await engine.dispose()


def most_in_window(times: list[float], span: float) -> int:
    times = sorted(times)
    best = start = 0
    for end, at in enumerate(times):
        while times[start] <= at - span:
            start += 1
        best = max(best, end - start + 1)
    return best


def confirm_button(emu: BotAPIEmulator, chat: int, user: int) -> tuple[int, str] | None:
    for sent in reversed(emu.sent):
        if sent.chat_id != chat:
            continue
        for row in (sent.reply_markup or {}).get("inline_keyboard", []):
            for button in row:
                if button.get("callback_data", "").startswith(f"sc:{user}:"):
                    return sent.message_id, button["callback_data"]
    return None


async def test_two_replicas_behind_haproxy_are_one_bot(
    tmp_path: Any, pg_database: tuple[str, str]
) -> None:
    _, db_url = pg_database
    prefix = unique_prefix()
    emu = BotAPIEmulator(limits=RateLimits(), files_dir=tmp_path / "files")
    await emu.start()
    ports = [free_port(), free_port()]
    lb = LoadBalancer(tmp_path / "lb", [f"127.0.0.1:{p}" for p in ports])
    emu.webhook_ssl = lb.trust()
    first = replica(emu, db_url, ports[0], lb, "a", prefix)
    second = replica(emu, db_url, ports[1], lb, "b", prefix)
    processes = [first, second]
    t0 = time.monotonic()

    def phase(name: str) -> None:
        print(f"[{time.monotonic() - t0:6.1f}s] {name}")

    try:
        await lb.start()
        for g, (group, admin) in enumerate(zip(GROUPS, ADMINS, strict=True)):
            emu.add_group(group, f"Busy group {g}")
            emu.add_user(admin, f"Admin {g}", username=f"admin{g}", language_code="en")
            emu.set_member_status(group, admin, "creator")
        await asyncio.gather(first.start(), second.start())
        for process in processes:
            await wait_log(process, "webhook set to", 60)
        await poll(lambda: LEADS in first.log() + second.log(), timeout=30)
        leader, other = (first, second) if LEADS in first.log() else (second, first)
        phase("both replicas up")

        # ---- the scene: groups, a reward, members with points --------------------------
        for group, admin in zip(GROUPS, ADMINS, strict=True):
            emu.add_bot_to_group(group, admin)
            emu.send_message(group, admin, "/reward_add 5 100 Sticker", date=DAY)
        for g, group in enumerate(GROUPS):
            for i in range(GRANTS):  # known members: grant targets and redeemers
                emu.add_user(member(g, i), f"M{g}-{i}", language_code="en")
                emu.send_message(group, member(g, i), "/checkin", date=DAY)
        await poll(lambda: emu.pending_updates() == 0, timeout=60)
        await poll(
            lambda: all(
                any("Sticker" in str(s.text) for s in emu.sent if s.chat_id == g) for g in GROUPS
            ),
            timeout=60,
        )
        wall0, mono0 = datetime.now(UTC), time.monotonic()
        # Due a few seconds into the burst (the leader sees posts made elsewhere within 5 s).
        due_first = wall0 + timedelta(seconds=7)
        due_next = due_first + timedelta(seconds=16)
        await schedule(db_url, GROUPS[0], [("post one", due_first), ("post two", due_next)])
        phase("scene set")

        # ---- the burst ----------------------------------------------------------------------
        kinds: dict[int, tuple[str, Any]] = {}
        for g, (group, admin) in enumerate(zip(GROUPS, ADMINS, strict=True)):
            for i in range(CHECKINS):
                if i % 50 == 0:
                    await asyncio.sleep(0)  # the emulator keeps answering meanwhile
                who = member(g, 1000 + i)
                emu.add_user(who, f"C{g}-{i}", language_code="en")
                kinds[emu.send_message(group, who, "签到", date=DAY)["update_id"]] = (
                    "checkin",
                    (group, who),
                )
                if i < CHATTER:
                    talker = member(g, i % GRANTS)
                    emu.send_message(group, talker, f"hello {i}", date=DAY)
                if i % (CHECKINS // GRANTS) == 0 and i // (CHECKINS // GRANTS) < GRANTS:
                    n = i // (CHECKINS // GRANTS)
                    update = emu.send_message(
                        group, admin, f"/grant {member(g, n)} 5 g{g}-{n}", date=DAY
                    )
                    kinds[update["update_id"]] = ("grant", f"g{g}-{n}")
                if i < REDEEMERS:
                    emu.send_message(group, member(g, i), "/redeem 1", date=DAY)
        for p in range(PRIVATE):
            person = 5_000_000 + p
            emu.add_user(person, f"P{p}", language_code="en")
            for text in ("/start", "/help", "/me"):
                emu.send_private(person, text, date=DAY)
        total = emu.pending_updates()
        first_id = min(kinds)

        def confirmed() -> int:
            pending = {u["update_id"] for u in emu._updates}  # noqa: SLF001
            return sum(1 for uid in kinds if uid < emu.confirmed_offset and uid not in pending)

        # SIGKILL the leader mid-burst, a second before the first post is due.
        kill_mono = mono0 + (due_first - wall0).total_seconds() - 1.0
        await poll(lambda: emu.confirmed_offset > first_id + 100, timeout=60, every=0.05)
        await asyncio.sleep(max(0.0, kill_mono - time.monotonic()))
        await leader.stop(signal.SIGKILL)
        killed_at = time.monotonic()
        done_at_kill = confirmed()
        print(
            f"burst of {total} updates; {done_at_kill} of {len(kinds)} tracked confirmed at kill"
        )
        assert 0 < done_at_kill < len(kinds), "the kill should land in the middle of the burst"
        took_over = await wait_log(other, LEADS, 15)
        assert took_over - killed_at < 10.0
        phase("leader killed and taken over")
        restart = asyncio.create_task(leader.start())  # back behind the proxy, not leading

        # Redemptions: each member confirms the confirmation the bot sent.
        for g, group in enumerate(GROUPS):
            for i in range(REDEEMERS):
                who = member(g, i)
                found = await poll(
                    lambda group=group, who=who: confirm_button(emu, group, who), timeout=90
                )
                emu.press_button(group, member(g, i), *found)
        phase("redemptions confirmed")
        await poll(lambda: emu.pending_updates() == 0, timeout=180)
        await poll(lambda: confirmed() == len(kinds), timeout=60, every=0.5)
        phase("burst done")

        await restart
        phase("killed replica back")

        # ---- the same update at both replicas at once -------------------------------------
        twin = emu.hold(emu.send_message(GROUPS[1], ADMINS[1], f"/grant {member(1, 0)} 7 twin"))
        async with aiohttp.ClientSession() as http:

            async def post(port: int) -> int:
                async with http.post(
                    f"http://127.0.0.1:{port}/tg/hook",
                    json=twin,
                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                ) as response:
                    return response.status

            assert await asyncio.gather(*(post(p) for p in ports)) == [200, 200]
            async with http.post(f"http://127.0.0.1:{ports[0]}/tg/hook", json=twin) as response:
                assert response.status == 401  # forged: no secret

        # The posts: the one due around the kill once, the next on time.
        def sent_posts(text: str) -> list[Any]:
            return [c for c in emu.calls if c.params.get("text") == text and c.status == 200]

        await poll(lambda: sent_posts("post two"), timeout=40)
        phase("posts sent")
        await asyncio.sleep(2.0)  # anything late or doubled would show by now
        assert len(sent_posts("post one")) == 1
        (two,) = sent_posts("post two")
        sent_wall = wall0 + timedelta(seconds=two.at - mono0)
        assert abs((sent_wall - due_next).total_seconds()) < 3.0, sent_wall - due_next

        def digests(group: int) -> list[Any]:
            return [
                c
                for c in emu.calls
                if c.method == "sendMessage"
                and int(c.params["chat_id"]) == group
                and "checked in today" in str(c.params.get("text"))
            ]

        # The digests' messages may still wait for their group's minute.
        await poll(lambda: all(digests(g) for g in GROUPS), timeout=70, every=0.5)
        phase("digests sent")
    finally:
        await asyncio.gather(
            *(
                p.stop()
                for p in processes
                if p.process is not None and p.process.returncode is None
            )
        )
        lb.stop()
        await emu.stop()
        await wipe(REDIS_URL, prefix)

    # ---- exactly once ------------------------------------------------------------------
    checkins = Counter(
        (g, u) for g, u in await scalar_rows(db_url, select(Checkin.group_id, Checkin.user_id))
    )
    expected = {v for k, v in kinds.values() if k == "checkin"}
    assert expected <= set(checkins) and all(checkins[key] == 1 for key in expected)
    notes = Counter(
        n
        for (n,) in await scalar_rows(
            db_url, select(LedgerEntry.note).where(LedgerEntry.reason == "admin_grant")
        )
    )
    assert notes == Counter({v: 1 for k, v in kinds.values() if k == "grant"} | {"twin": 1})
    redemptions = Counter(u for (u,) in await scalar_rows(db_url, select(Redemption.user_id)))
    assert redemptions == Counter({member(g, i): 1 for g in range(3) for i in range(REDEEMERS)})
    ledger = (await scalar_rows(db_url, select(func.sum(LedgerEntry.amount))))[0][0]
    balances = (await scalar_rows(db_url, select(func.sum(Member.points))))[0][0]
    assert ledger == balances
    processed = {u for (u,) in await scalar_rows(db_url, select(ProcessedUpdate.update_id))}
    assert set(kinds) | {twin["update_id"]} <= processed

    # ---- Telegram's limits, counted over everything both replicas sent ---------------------
    calls = [c for c in emu.calls if c.method in LIMITED]
    refused = [c for c in emu.calls if c.status == 429]
    if refused:  # what reached the emulator around it, for the failure's reader
        around = [
            (round(c.at - refused[0].at, 4), c.method, c.status)
            for c in emu.calls
            if c.method in LIMITED and abs(c.at - refused[0].at) < 1.5
        ]
        print("calls around the first 429 (seconds, method, status):", json.dumps(around))
    worst = most_in_window([c.at for c in calls if c.status == 200], 1.0)
    assert not refused, (
        f"Telegram answered 429 {len(refused)} times "
        f"({Counter(c.method for c in refused)}); most in a second: {worst}"
    )
    assert most_in_window([c.at for c in calls], 1.0) <= 30
    by_chat: dict[int, list[float]] = defaultdict(list)
    for c in calls:
        if c.method in MESSAGE_METHODS and c.status == 200:
            by_chat[int(c.params["chat_id"])].append(c.at)
    for chat, times in by_chat.items():
        if chat < 0:
            assert most_in_window(times, 60.0) <= 20, chat
        else:
            assert most_in_window(times, 1.0) <= 1, chat
    assert sum(1 for chat in by_chat if chat > 0) >= PRIVATE  # every private chat answered

    # ---- one digest per busy group ---------------------------------------------------------
    for group in GROUPS:
        assert len(digests(group)) == 1, (group, [c.params.get("text") for c in digests(group)])
