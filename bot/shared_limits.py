"""Telegram's sending limits counted across every process of the bot, in Redis.

One Lua script decides each send atomically on the Redis server's clock (`TIME`), so replicas
whose clocks disagree by minutes still count the same windows. Each limit uses the
algorithm that keeps it best when sends leave from several processes:

- overall, `global_per_second`: GCRA (a token bucket kept as one timestamp, the "theoretical
  arrival time") at SHARED_GLOBAL_MARGIN under the limit: 25 a second, evenly spaced, each kind
  allowed a small burst. Telegram counts arrivals, and the time from the grant to the request
  reaching Telegram varies more across processes than within one (each process's event loop is
  busy at different moments): bursts of 30 (the single process's sliding window) then arrive
  bunched into a second with some of the next 30. An even pace bends with that jitter: it
  takes 200 ms of it to put 30 in one second.
- a group, `group_per_minute`: the sliding log of the in-memory limiter (a sorted set of send
  times): exactly 20 in any minute, with bursts, the last `group_answer_reserve` kept for
  answers. A token bucket could not promise "20 in any minute" without giving up either the
  burst (one message every 3 s) or a quarter of the rate; jitter is nothing against a minute.
- a private chat: one a second: the same log, its span widened by LATENCY_ALLOWANCE.

Priorities across replicas: answers (someone waits for them) go before acknowledgements, which
go before bulk sends, whichever replica queued them. Two rules do it:
1. tolerances: an answer may go two intervals ahead of the steady pace, an acknowledgement one,
   bulk none; routine traffic alone never fills what answers may use, so a fresh answer finds
   room at once however much every replica has queued;
2. demand: an answer refused for want of overall capacity marks "answers waiting" until the
   window frees (an acknowledgement refused marks "acknowledgements waiting"); while it stands,
   every replica's less urgent sends are refused and wait.
A 429 seen by any replica pauses the chat for every replica (`pause`). And at most
MAX_IN_FLIGHT requests are out at Telegram at once, across processes: when Telegram answers
slowly (or, in the tests, the emulator's process waits for a core) the requests would all
arrive in one second; the cap keeps that second within the limit.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from bot.outbound import WINDOW_MARGIN, GateUnavailable, Kind, OutboundLimits, Verdict
from bot.redis_link import UNREACHABLE, RedisLink

ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local kind = tonumber(ARGV[1])

local paused = tonumber(redis.call('GET', KEYS[3]) or '0')
if paused > now then return {0, math.ceil(paused - now), 'pause', 0} end

if kind > 0 then
  local d = redis.call('HMGET', KEYS[4], '0', '1')
  local hold = tonumber(d[1] or '0')
  if kind > 1 then hold = math.max(hold, tonumber(d[2] or '0')) end
  if hold > now then return {0, math.ceil(math.min(hold - now, 250)), 'demand', 0} end
end

-- Requests granted and not answered yet, across processes (a stalled Telegram, or one that
-- answers slowly, gets no more than the cap at once: they would all land in one second).
local inflight = KEYS[5]
redis.call('ZREMRANGEBYSCORE', inflight, '-inf', now - tonumber(ARGV[12]))
if redis.call('ZCARD', inflight) >= tonumber(ARGV[11]) then
  return {0, 20, 'in_flight', 0}
end

-- Overall: GCRA. tat is when the next send is due at the steady pace; a kind may go early by
-- its tolerance (answers most, bulk not at all).
local interval, tolerance = tonumber(ARGV[3]), tonumber(ARGV[5])
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
if tat - tolerance > now then
  if kind < 2 then
    local field = tostring(kind)
    local hold = tat - tolerance + tonumber(ARGV[10])
    if hold > tonumber(redis.call('HGET', KEYS[4], field) or '0') then
      redis.call('HSET', KEYS[4], field, hold)
    end
    redis.call('PEXPIRE', KEYS[4], 5000)
  end
  return {0, math.ceil(tat - tolerance - now), 'global', 0}
end

-- A chat: the sliding log of its recent sends (its last `keep` kept for answers).
-- ARGV[6]: the messages this send counts (an album of four photos: 4; 0: not a message).
local load = 0
local count = tonumber(ARGV[6])
if count > 0 then
  local key, limit, span, keep = KEYS[2], tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - span)
  local n = redis.call('ZCARD', key)
  local allowed = math.max(count, limit - keep)
  if n + count > allowed then
    local oldest = n + count - allowed - 1
    local nth = redis.call('ZRANGE', key, oldest, oldest, 'WITHSCORES')
    local free = tonumber(nth[2]) + span
    if free > now then return {0, math.ceil(free - now), 'chat', n} end
  end
  for i = 1, count do redis.call('ZADD', key, now, ARGV[2] .. ':' .. i) end
  redis.call('PEXPIRE', key, math.ceil(span))
  load = n + count
end
local spent = interval * math.max(count, 1)
redis.call('SET', KEYS[1], string.format('%.3f', tat + spent), 'PX',
  math.ceil(tat + spent - now) + 1000)
redis.call('ZADD', inflight, now, ARGV[2])
redis.call('PEXPIRE', inflight, tonumber(ARGV[12]))
return {1, 0, 'ok', load}
"""

RELEASE = """
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
"""

PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local till = now + tonumber(ARGV[1])
if till > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], string.format('%.3f', till), 'PX', math.ceil(till - now))
end
return 1
"""

# After the overall window frees, how long a waiting answer keeps routine sends back (it takes
# its slot within a round trip).
DEMAND_SLACK_MS = 50
# The overall pace across processes: this share of global_per_second (22 of Telegram's 30),
# so that a second holds the pace, a send ahead of it and every request in flight.
SHARED_GLOBAL_MARGIN = 1.35
# Requests sent and not answered yet, across processes; an answer frees its slot (a process
# that died frees its own after IN_FLIGHT_EXPIRY_MS).
MAX_IN_FLIGHT = 6
IN_FLIGHT_EXPIRY_MS = 10_000
# Sends to one private chat from several processes: added to the one-second span.
LATENCY_ALLOWANCE_MS = 400.0
# How far ahead of the steady pace each kind may send, in intervals: answers, acks, bulk.
TOLERANCE = (1, 0.5, 0)


def _window(limit: float, span: float) -> tuple[int, float]:
    """(sends allowed, span in ms) as the in-memory _Window computes them."""
    count = max(1, int(limit)) if limit >= 1 else 1
    seconds = (span if limit >= 1 else span / limit) * WINDOW_MARGIN
    return count, seconds * 1000.0


@dataclass(frozen=True)
class _Numbers:
    global_interval: float  # ms between sends at the steady overall pace
    global_tolerance: tuple[float, float, float]  # ms ahead of it, by kind
    group_limit: int
    group_span: float
    private_limit: int
    private_span: float
    group_reserve: int


def numbers(limits: OutboundLimits) -> _Numbers:
    interval = 1000.0 * SHARED_GLOBAL_MARGIN / limits.global_per_second
    group_limit, group_span = _window(limits.group_per_minute, 60.0)
    private_limit, private_span = _window(limits.private_per_second, 1.0)
    return _Numbers(
        interval,
        tuple(interval * n for n in TOLERANCE),  # type: ignore[arg-type]
        group_limit,
        group_span,
        private_limit,
        private_span + LATENCY_ALLOWANCE_MS,
        limits.group_answer_reserve,
    )


class SharedLimits:
    """The Outbox's gate when several processes send for one bot token (see the module)."""

    def __init__(self, link: RedisLink, limits: OutboundLimits, replica: str = "") -> None:
        self._link = link
        self._n = numbers(limits)
        self._acquire = link.script(ACQUIRE)
        self._pause = link.script(PAUSE)
        self._release = link.script(RELEASE)
        self._global = link.key("rl", "global")
        self._demand = link.key("rl", "demand")
        self._in_flight = link.key("rl", "in_flight")
        # Members of the sorted sets must be unique across replicas and restarts.
        self._member = f"{replica}:{id(self):x}:"
        self._seq = itertools.count()

    async def acquire(
        self, chat_id: int, kind: int, counts_as_message: bool, messages: int = 1
    ) -> Verdict:
        n = self._n
        if chat_id < 0:
            limit, span = n.group_limit, n.group_span
            keep = n.group_reserve if kind != Kind.ANSWER else 0
        else:
            limit, span, keep = n.private_limit, n.private_span, 0
        member = f"{self._member}{next(self._seq)}"
        try:
            granted, wait_ms, scope, load = await self._acquire(
                keys=[
                    self._global,
                    self._link.key("rl", "chat", chat_id),
                    self._link.key("rl", "pause", chat_id),
                    self._demand,
                    self._in_flight,
                ],
                args=[
                    int(kind),
                    member,
                    n.global_interval,
                    0,
                    n.global_tolerance[min(int(kind), 2)],
                    messages if counts_as_message else 0,
                    limit,
                    span,
                    keep,
                    DEMAND_SLACK_MS,
                    MAX_IN_FLIGHT,
                    IN_FLIGHT_EXPIRY_MS,
                ],
            )
        except UNREACHABLE as exc:
            self._link.failed(exc)
            raise GateUnavailable(str(exc)) from exc
        self._link.answered()
        return Verdict(
            bool(granted),
            int(wait_ms) / 1000.0,
            scope.decode() if isinstance(scope, bytes) else str(scope),
            int(load),
            member if granted else "",
        )

    async def release(self, token: str) -> None:
        """The granted request was answered (or failed): its in-flight slot is free."""
        try:
            await self._release(keys=[self._in_flight], args=[token])
        except UNREACHABLE as exc:  # it expires by itself
            self._link.failed(exc)

    async def pause(self, chat_id: int, seconds: float) -> None:
        """Telegram answered 429 for this chat: every replica waits `seconds` before the next."""
        try:
            await self._pause(
                keys=[self._link.key("rl", "pause", chat_id)],
                args=[math.ceil(seconds * 1000)],
            )
        except UNREACHABLE as exc:
            self._link.failed(exc)
            raise GateUnavailable(str(exc)) from exc
