"""Telegram's limits across processes (bot/shared_limits.py): the Lua script on a real Redis,
and Outboxes of several "processes" sharing it."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

import pytest
from aiogram import Bot

from bot.outbound import GateUnavailable, Kind, OutboundLimits, Outbox, Verdict
from bot.redis_link import RedisLink, RedisUnavailable, namespace, redacted
from bot.shared_limits import SharedLimits, numbers
from tests.redis_server import TOKEN, PrivateRedis, shared_link, unique_prefix
from tests.test_outbox import ScriptedSession, message

LIMITS = OutboundLimits(global_per_second=30, group_per_minute=20, private_per_second=1)
GROUP = -100_200


async def ask(limiter: SharedLimits, chat_id: int, kind: Kind, counts: bool = True) -> Verdict:
    """The verdict for the chat, once the overall pace lets this send be asked about."""
    while True:
        verdict = await limiter.acquire(chat_id, kind, counts)
        if verdict.granted:
            await limiter.release(verdict.token)  # answered at once
        if verdict.scope not in ("global", "demand", "in_flight"):
            return verdict
        await asyncio.sleep(verdict.wait)


async def test_a_group_window_keeps_its_last_messages_for_answers() -> None:
    async with shared_link() as link:
        one, two = SharedLimits(link, LIMITS, "a"), SharedLimits(link, LIMITS, "b")
        acks = [await ask((one, two)[i % 2], GROUP, Kind.ACK) for i in range(20)]
        assert [v.granted for v in acks] == [True] * 15 + [False] * 5
        refused = acks[-1]
        assert refused.scope == "chat" and 60 < refused.wait <= 66 and refused.load == 15
        answers = [await ask((two, one)[i % 2], GROUP, Kind.ANSWER) for i in range(6)]
        assert [v.granted for v in answers] == [True] * 5 + [False]
        assert answers[4].load == 20  # the group's sends across both processes
        # Reactions and edits do not count in a chat's window (only the overall one).
        assert (await ask(one, GROUP, Kind.ACK, False)).granted


async def test_a_private_chat_gets_one_a_second_from_all_processes() -> None:
    async with shared_link() as link:
        one, two = SharedLimits(link, LIMITS, "a"), SharedLimits(link, LIMITS, "b")
        assert (await one.acquire(501, Kind.ANSWER, True)).granted
        second = await ask(two, 501, Kind.ANSWER)
        # One a second, widened for the jitter between processes (1.1 s + 400 ms).
        assert not second.granted and second.scope == "chat" and 1.1 < second.wait <= 1.5
        assert (await ask(two, 502, Kind.ANSWER)).granted  # another chat is free


async def test_answers_of_any_process_go_before_routine_sends() -> None:
    # A slow overall pace (3 a second: 450 ms between sends), so that the calls below happen
    # well within one step of it even on a loaded machine; the rules are the same at 30.
    slow = OutboundLimits(global_per_second=3, group_per_minute=20, private_per_second=1)
    step = numbers(slow).global_interval / 1000.0
    async with shared_link() as link:
        bulk_sender, ack_sender, answerer = (
            SharedLimits(link, slow, name) for name in ("bulk", "acks", "answers")
        )
        # An even overall pace; bulk may not go ahead of it, acknowledgements half a send,
        # answers one: routine traffic never takes what a fresh answer may use.
        bulk = [await bulk_sender.acquire(1000 + i, Kind.BULK, True) for i in range(3)]
        assert [v.granted for v in bulk] == [True, False, False]
        assert bulk[1].scope == "global" and bulk[1].wait <= step
        refused_ack = await ack_sender.acquire(2000, Kind.ACK, True)
        assert not refused_ack.granted and refused_ack.wait <= step / 2
        assert (await answerer.acquire(3000, Kind.ANSWER, True)).granted
        refused = await answerer.acquire(3001, Kind.ANSWER, True)
        assert not refused.granted and refused.scope == "global" and refused.wait <= step
        # An answer is waiting: every process's acknowledgements and bulk wait behind it, even
        # once the pace allows a send again.
        await asyncio.sleep(refused.wait)
        ack = await ack_sender.acquire(2100, Kind.ACK, True)
        assert not ack.granted and ack.scope == "demand"
        assert (await answerer.acquire(3100, Kind.ANSWER, True)).granted


async def test_a_429_pauses_the_chat_for_every_process() -> None:
    async with shared_link() as link:
        one, two = SharedLimits(link, LIMITS, "a"), SharedLimits(link, LIMITS, "b")
        await one.pause(GROUP, 3)
        verdict = await two.acquire(GROUP, Kind.ANSWER, True)
        assert not verdict.granted and verdict.scope == "pause" and 2.5 < verdict.wait <= 3.0
        assert (await ask(two, GROUP - 1, Kind.ANSWER)).granted
        await one.pause(GROUP, 1)  # a shorter pause does not shorten the first one
        assert (await ask(two, GROUP, Kind.ANSWER)).wait > 2


async def test_no_more_than_six_requests_in_flight_across_processes() -> None:
    async with shared_link() as link:
        limiters = [SharedLimits(link, LIMITS, name) for name in "ab"]
        granted = []
        for i in range(8):
            verdict = await limiters[i % 2].acquire(8000 + i, Kind.ANSWER, True)
            while verdict.scope == "global":
                await asyncio.sleep(verdict.wait)
                verdict = await limiters[i % 2].acquire(8000 + i, Kind.ANSWER, True)
            granted.append(verdict)
        assert [v.granted for v in granted] == [True] * 6 + [False] * 2
        assert granted[-1].scope == "in_flight"
        await limiters[0].release(granted[0].token)  # Telegram answered one
        verdict = await ask(limiters[1], 8100, Kind.ANSWER)
        assert verdict.granted


async def test_keys_are_under_the_prefix_and_a_hash_of_the_token() -> None:
    prefix = unique_prefix()
    async with shared_link(prefix=prefix) as link:
        await SharedLimits(link, LIMITS).acquire(GROUP, Kind.ANSWER, True)
        keys = [k.decode() async for k in link.client.scan_iter(match=f"{prefix}:*")]
        assert keys and all(k.startswith(namespace(TOKEN, prefix) + ":rl:") for k in keys)
        assert not any("TEST" in k for k in keys)  # never the token itself


class Arrivals(ScriptedSession):
    """Records when each call reached "Telegram" (this process's monotonic clock)."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[tuple[float, int]] = []

    async def make_request(self, bot: Bot, method: Any, timeout: int | None = None) -> Any:
        self.times.append((time.monotonic(), int(method.chat_id)))
        return await super().make_request(bot, method, timeout)


def most_in_any_window(times: list[float], span: float) -> int:
    times = sorted(times)
    best, start = 0, 0
    for end, at in enumerate(times):
        while times[start] <= at - span:
            start += 1
        best = max(best, end - start + 1)
    return best


async def test_two_processes_with_clocks_minutes_apart_send_within_the_limits() -> None:
    """The Redis clock decides: one outbox's clock is five minutes ahead of the other's."""
    async with shared_link() as link:
        sessions = [Arrivals(), Arrivals()]
        skews = [0.0, 300.0]
        outboxes = [
            Outbox(
                Bot("123456:TEST", session=session),
                LIMITS,
                gate=SharedLimits(link, LIMITS, f"p{i}"),
                clock=lambda skew=skew: time.monotonic() + skew,
            )
            for i, (session, skew) in enumerate(zip(sessions, skews, strict=True))
        ]
        for outbox in outboxes:
            outbox.start()
        try:
            direct, group_sends = [], []
            for i in range(40):  # 40 private chats, and a group asked 30 times
                outbox = outboxes[i % 2]
                direct.append(outbox.send(7000 + i, message(7000 + i, f"dm {i}")))
                if i < 30:
                    group_sends.append(outbox.send(GROUP, message(GROUP, f"group {i}")))
            started = time.monotonic()
            await asyncio.wait_for(asyncio.gather(*direct), timeout=10)
            elapsed = time.monotonic() - started
            await asyncio.sleep(0.3)
            assert sum(f.done() for f in group_sends) == 20
        finally:
            for outbox in outboxes:
                await outbox.stop()
        arrivals = [at for s in sessions for at, _ in s.times]
        group = [at for s in sessions for at, chat in s.times if chat == GROUP]
        assert most_in_any_window(arrivals, 1.0) <= 24  # 22 a second, one ahead at most
        assert len(group) == 20  # the rest wait for the group's minute
        assert elapsed >= 2.4  # 60 sends at 22 a second
        per_chat = Counter(chat for s in sessions for _, chat in s.times if chat > 0)
        assert set(per_chat.values()) == {1}


async def test_redis_lost_while_running_sends_wait_and_resume() -> None:
    server = await PrivateRedis().start()
    states: list[bool] = []
    try:
        link = await RedisLink.connect(
            server.url, namespace(TOKEN, unique_prefix()), timeout=0.5, on_state=states.append
        )
        session = Arrivals()
        events: Counter[str] = Counter()
        outbox = Outbox(
            Bot("123456:TEST", session=session),
            LIMITS,
            gate=SharedLimits(link, LIMITS),
            on_event=lambda kind: events.update([kind]),
        )
        outbox.start()
        try:
            assert (await asyncio.wait_for(outbox.send(1, message(1, "before")), 5)) is not None
            server.stop()
            pending = [outbox.send(10 + i, message(10 + i, f"during {i}")) for i in range(5)]
            await asyncio.sleep(1.0)
            assert not any(f.done() for f in pending)  # waiting, not dropped, not failed
            assert events["gate_unavailable"] >= 1 and states[-1] is False
            await server.start()  # same port: Redis is back
            await asyncio.wait_for(asyncio.gather(*pending), timeout=15)
            assert states[-1] is True
        finally:
            await outbox.stop()
            await link.close()
        assert [t for t in session.texts() if t.startswith("during")] == [
            f"during {i}" for i in range(5)
        ]
    finally:
        server.stop()


async def test_unreachable_redis_at_start_is_a_clear_error_naming_redis_url() -> None:
    port = PrivateRedis().port  # nothing listens there
    with pytest.raises(RedisUnavailable) as error:
        await RedisLink.connect(f"redis://:s3cret@127.0.0.1:{port}/0", "x", timeout=0.5)
    text = str(error.value)
    assert "REDIS_URL=redis://:***@127.0.0.1:" in text and "s3cret" not in text
    assert redacted("redis://user:pw@host:1/2") == "redis://user:***@host:1/2"


class FlakyGate:
    """Refuses the first calls as if Redis were down, then grants."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.asked = 0

    async def acquire(
        self, chat_id: int, kind: int, counts_as_message: bool, messages: int = 1
    ) -> Verdict:
        self.asked += 1
        if self.failures:
            self.failures -= 1
            raise GateUnavailable("down")
        return Verdict(True, 0.0, "ok", 1)

    async def release(self, token: str) -> None:
        return None

    async def pause(self, chat_id: int, seconds: float) -> None:
        return None


async def test_an_unavailable_gate_holds_sends_and_backs_off() -> None:
    gate = FlakyGate(failures=3)
    session = Arrivals()
    outbox = Outbox(Bot("123456:TEST", session=session), LIMITS, gate=gate)
    outbox.start()
    try:
        await asyncio.wait_for(outbox.send(5, message(5, "hello")), 5)
    finally:
        await outbox.stop()
    assert gate.asked == 4 and session.texts() == ["hello"]  # 0.25 + 0.5 + 1 s of back-off


def test_redis_is_imported_only_when_redis_url_is_set() -> None:
    """The single process (no REDIS_URL) does not load redis-py: only bot/redis_link.py imports
    it, and the modules built on it are imported inside functions (composition imports them in
    the REDIS_URL branch), never at the top of a module the bot loads."""
    import ast

    from devtools.bot_process import ROOT

    on_redis = {"redis", "bot.redis_link", "bot.shared_limits", "bot.shared_digest"}
    for package in ("bot", "composition", "core", "handlers", "storage"):
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in tree.body:  # top-level statements only
                names: list[str] = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                for name in names:
                    root = name.split(".")[0] if name.startswith("redis") else name
                    if root in on_redis and path.stem not in {
                        "redis_link",
                        "shared_limits",
                        "shared_digest",
                    }:
                        raise AssertionError(f"{path.relative_to(ROOT)} imports {name}")
