"""Telegram's sending limits counted across every process of the bot, in Redis.

One Lua script decides each send atomically on the Redis server's clock (`TIME`), so replicas
whose clocks disagree by minutes still count the same windows. It is the in-memory limiter's
algorithm (bot/outbound.py `_Window`) moved into Redis: a sliding log of recent sends per window
(a sorted set of send times), with the same spans, margin and reserves:

- overall: `global_per_second` in any second (x WINDOW_MARGIN);
- a group: `group_per_minute` in any minute, the last `group_answer_reserve` kept for answers;
- a private chat: `private_per_second` (one a second).

A sliding log and not a token bucket (GCRA): a bucket of capacity C refilled at r lets
C + r*W through a window W, so to promise "20 in any minute" it must give up either the burst
(one message every 3 s for a group) or a quarter of the rate; the log allows exactly the limit
in every window, with bursts, like the single process does. Each window holds at most its limit
of entries (20, 30, 1) and expires with its span.

Priorities across replicas: answers (someone waits for them) go before acknowledgements, which
go before bulk sends, whichever replica queued them. Two rules do it:
1. reserves: acknowledgements may use only part of the overall window and bulk less, so a
   fresh answer finds room at once however much routine traffic every replica has queued;
2. demand: an answer refused for want of overall capacity marks "answers waiting" until the
   window frees (an acknowledgement refused marks "acknowledgements waiting"); while it stands,
   every replica's less urgent sends are refused and wait.
A 429 seen by any replica pauses the chat for every replica (`pause`).
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

local function free_at(key, limit, span, keep)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - span)
  local n = redis.call('ZCARD', key)
  local allowed = math.max(1, limit - keep)
  if n < allowed then return now, n end
  local nth = redis.call('ZRANGE', key, n - allowed, n - allowed, 'WITHSCORES')
  return tonumber(nth[2]) + span, n
end

local paused = tonumber(redis.call('GET', KEYS[3]) or '0')
if paused > now then return {0, math.ceil(paused - now), 'pause', 0} end

if kind > 0 then
  local d = redis.call('HMGET', KEYS[4], '0', '1')
  local hold = tonumber(d[1] or '0')
  if kind > 1 then hold = math.max(hold, tonumber(d[2] or '0')) end
  if hold > now then return {0, math.ceil(math.min(hold - now, 250)), 'demand', 0} end
end

local gfree = free_at(KEYS[1], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]))
if gfree > now then
  if kind < 2 then
    local field = tostring(kind)
    local hold = gfree + tonumber(ARGV[10])
    if hold > tonumber(redis.call('HGET', KEYS[4], field) or '0') then
      redis.call('HSET', KEYS[4], field, hold)
    end
    redis.call('PEXPIRE', KEYS[4], 5000)
  end
  return {0, math.ceil(gfree - now), 'global', 0}
end

local load = 0
if ARGV[6] == '1' then
  local span = tonumber(ARGV[8])
  local cfree, n = free_at(KEYS[2], tonumber(ARGV[7]), span, tonumber(ARGV[9]))
  if cfree > now then return {0, math.ceil(cfree - now), 'chat', n} end
  redis.call('ZADD', KEYS[2], now, ARGV[2])
  redis.call('PEXPIRE', KEYS[2], math.ceil(span))
  load = n + 1
end
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[4])))
return {1, 0, 'ok', load}
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


def _window(limit: float, span: float) -> tuple[int, float]:
    """(sends allowed, span in ms) as the in-memory _Window computes them."""
    count = max(1, int(limit)) if limit >= 1 else 1
    seconds = (span if limit >= 1 else span / limit) * WINDOW_MARGIN
    return count, seconds * 1000.0


@dataclass(frozen=True)
class _Numbers:
    global_limit: int
    global_span: float
    group_limit: int
    group_span: float
    private_limit: int
    private_span: float
    group_reserve: int
    global_keep: tuple[int, int, int]  # by kind: answers, acknowledgements, bulk


def numbers(limits: OutboundLimits) -> _Numbers:
    global_limit, global_span = _window(limits.global_per_second, 1.0)
    group_limit, group_span = _window(limits.group_per_minute, 60.0)
    private_limit, private_span = _window(limits.private_per_second, 1.0)
    return _Numbers(
        global_limit,
        global_span,
        group_limit,
        group_span,
        private_limit,
        private_span,
        limits.group_answer_reserve,
        (0, limits.global_reserve(Kind.ACK), limits.global_reserve(Kind.BULK)),
    )


class SharedLimits:
    """The Outbox's gate when several processes send for one bot token (see the module)."""

    def __init__(self, link: RedisLink, limits: OutboundLimits, replica: str = "") -> None:
        self._link = link
        self._n = numbers(limits)
        self._acquire = link.script(ACQUIRE)
        self._pause = link.script(PAUSE)
        self._global = link.key("rl", "global")
        self._demand = link.key("rl", "demand")
        # Members of the sorted sets must be unique across replicas and restarts.
        self._member = f"{replica}:{id(self):x}:"
        self._seq = itertools.count()

    async def acquire(self, chat_id: int, kind: int, counts_as_message: bool) -> Verdict:
        n = self._n
        if chat_id < 0:
            limit, span = n.group_limit, n.group_span
            keep = n.group_reserve if kind != Kind.ANSWER else 0
        else:
            limit, span, keep = n.private_limit, n.private_span, 0
        try:
            granted, wait_ms, scope, load = await self._acquire(
                keys=[
                    self._global,
                    self._link.key("rl", "chat", chat_id),
                    self._link.key("rl", "pause", chat_id),
                    self._demand,
                ],
                args=[
                    int(kind),
                    f"{self._member}{next(self._seq)}",
                    n.global_limit,
                    n.global_span,
                    n.global_keep[min(int(kind), 2)],
                    1 if counts_as_message else 0,
                    limit,
                    span,
                    keep,
                    DEMAND_SLACK_MS,
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
        )

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
