"""The busy-group digest (bot/digest.py) when several processes serve one bot: one message per
group and topic, whichever process each acknowledgement reached.

The fold lives in Redis (a hash per group and topic, and a set of the members it counts). Each
process gathers what it adds for FLUSH_INTERVAL seconds and merges it with one Lua script,
which also decides, on Redis's clock, what this process does next:
- `create`: nobody has sent the message yet: this process sends it (and holds a lease on the
  creation meanwhile, so the others only merge; if it dies, another creates after the lease);
- `edit`: the fold changed since it was last shown and the last edit is `edit_interval` old:
  this process edits it, with everything every process merged so far;
- `wait`: ask again after so long (an edit is not due yet, or a creation is under way);
- `idle`: what the message shows is current.
Every process that merged a change asks again when the next edit is due, so the last entries
are shown even if no more arrive; only the first to ask edits. A fold starts again with a new
period (the check-in day), after `idle_after` seconds without entries (the keys expire), or
past MAX_MEMBERS members, exactly like the single-process fold.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from aiogram.methods import EditMessageText, SendMessage

from bot.digest import (
    MAX_MEMBERS,
    MAX_NOTICES,
    RECENT_NAMES,
    Fold,
    checkin_text,
    deduct_text,
    grant_text,
)
from bot.i18n import Locales, Translator
from bot.outbound import Kind, Outbox, Priority
from bot.redis_link import UNREACHABLE, RedisLink

logger = logging.getLogger(__name__)

FLUSH_INTERVAL = 0.5
# The process creating a fold's message holds a lease on it, renewed while its send waits in
# the outbox (a busy group's window may hold it for a minute); if it dies, another process
# creates the message once the lease runs out.
CREATE_LEASE = 10.0
RENEW_EVERY = 3.0
RETRY_FIRST, RETRY_MAX = 1.0, 10.0
# How often each process looks for folds whose creator died before recording the message.
SWEEP_EVERY = 2.0

OPEN_FOLDS = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 100)
"""

RENDER: dict[str, Callable[[Translator, Fold], str]] = {
    "checkin": checkin_text,
    "grant": grant_text,
    "deduct": deduct_text,
}

MERGE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local h, m, open = KEYS[1], KEYS[2], KEYS[3]
local check = ARGV[17] == '1'
if check and redis.call('EXISTS', h) == 0 then
  redis.call('ZREM', open, ARGV[18])
  return {'idle', 0, '', '', ''}
end
local new_members = cjson.decode(ARGV[8])
local reset = not check and redis.call('HGET', h, 'period') ~= ARGV[1]
if not reset and not check and #new_members > 0 and redis.call('SCARD', m) >= tonumber(ARGV[13]) then
  for _, id in ipairs(new_members) do
    if redis.call('SISMEMBER', m, id) == 0 then reset = true; break end
  end
end
if reset then
  redis.call('DEL', h, m)
  redis.call('HSET', h, 'period', ARGV[1], 'fid', ARGV[16], 'count', 0, 'total', 0,
    'names', '[]', 'amounts', '[]', 'notices', '[]', 'more', 0, 'version', 0, 'shown', 0,
    'last_edit', 0, 'creating', 0, 'msg', 0)
end
local f = redis.call('HMGET', h, 'count', 'total', 'names', 'amounts', 'notices', 'more', 'version')
local before = table.concat({f[1], f[2], f[3], f[4], f[5], f[6]}, '|')
local count, total, more, version = tonumber(f[1]), tonumber(f[2]), tonumber(f[6]), tonumber(f[7])
local amounts, notices = cjson.decode(f[4]), cjson.decode(f[5])
-- Names are [name, order]: a check-in's position, else when it was merged (newest first).
local best = {}
for _, e in ipairs(cjson.decode(f[3])) do best[e[1]] = e[2] end
for i, e in ipairs(cjson.decode(ARGV[7])) do
  local order = e[2]
  if order == 0 then order = now * 1000 - i end
  if best[e[1]] == nil or order > best[e[1]] then best[e[1]] = order end
end
local all = {}
for n, order in pairs(best) do table.insert(all, {n, order}) end
table.sort(all, function(a, b) return a[2] > b[2] end)
local names, shown_names = {}, {}
for i = 1, math.min(#all, tonumber(ARGV[14])) do
  names[i] = all[i]
  shown_names[i] = all[i][1]
end
for _, id in ipairs(new_members) do redis.call('SADD', m, id) end
count = math.max(count, tonumber(ARGV[4]), redis.call('SCARD', m))
total = total + tonumber(ARGV[5])
for _, a in ipairs(cjson.decode(ARGV[6])) do
  local has = false
  for _, b in ipairs(amounts) do if b == a then has = true end end
  if not has and #amounts < 2 then table.insert(amounts, a) end
end
for _, line in ipairs(cjson.decode(ARGV[9])) do
  table.insert(notices, line)
  if #notices > tonumber(ARGV[15]) then table.remove(notices, 1); more = more + 1 end
end
local enames, eamounts, enotices = cjson.encode(names), cjson.encode(amounts), cjson.encode(notices)
if table.concat({count, total, enames, eamounts, enotices, more}, '|') ~= before then
  version = version + 1
end
redis.call('HSET', h, 'count', count, 'total', total, 'names', enames, 'amounts', eamounts,
  'notices', enotices, 'more', more, 'version', version)
if not check then redis.call('HSET', h, 'lang', ARGV[2]) end
redis.call('PEXPIRE', h, ARGV[11])
redis.call('PEXPIRE', m, ARGV[11])
local state = table.concat({count, total, cjson.encode(shown_names), eamounts, enotices, more}, '\\n')
local g = redis.call('HMGET', h, 'msg', 'creating', 'shown', 'last_edit', 'fid', 'lang')
local msg, creating = tonumber(g[1]), tonumber(g[2])
local shown, last = tonumber(g[3]), tonumber(g[4])
if msg == 0 then
  if version == 0 then return {'idle', 0, '', g[5], g[6]} end
  if creating > now then return {'wait', creating - now, '', g[5], g[6]} end
  redis.call('HSET', h, 'creating', now + tonumber(ARGV[12]), 'shown', version)
  -- Until its message is recorded the fold is open: any process's sweep creates it once the
  -- lease runs out (the creator was killed), even if no entry ever reaches that process.
  redis.call('ZADD', open, now + tonumber(ARGV[12]), ARGV[18])
  return {'create', 0, state, g[5], g[6]}
end
if version > shown then
  local due = last + tonumber(ARGV[10])
  if now >= due then
    redis.call('HSET', h, 'shown', version, 'last_edit', now)
    return {'edit', msg, state, g[5], g[6]}
  end
  return {'wait', due - now, '', g[5], g[6]}
end
return {'idle', 0, '', g[5], g[6]}
"""

RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call('HGET', KEYS[1], 'fid') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'msg') ~= '0' then
  return 0
end
redis.call('HSET', KEYS[1], 'creating', now + tonumber(ARGV[2]))
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[3])
return 1
"""

CREATED = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREM', KEYS[2], ARGV[3])
if redis.call('HGET', KEYS[1], 'fid') ~= ARGV[1] then return 0 end
if tonumber(ARGV[2]) > 0 then
  redis.call('HSET', KEYS[1], 'msg', ARGV[2], 'last_edit', now, 'creating', 0)
else
  redis.call('HSET', KEYS[1], 'creating', 0, 'shown', 0)
end
return 1
"""


@dataclass
class _Delta:
    """What this process added to a fold since it last merged."""

    period: str
    language: str
    names: list[tuple[str, int]] = field(default_factory=list)  # newest first: (name, position)
    members: set[int] = field(default_factory=set)
    position: int = 0
    total: int = 0
    amounts: list[int] = field(default_factory=list)  # distinct, up to two
    notices: list[str] = field(default_factory=list)
    entries: int = 0

    def add(self, name: str, member_id: int | None, amount: int, position: int) -> None:
        self.names = ([(name, position)] + [n for n in self.names if n[0] != name])[:RECENT_NAMES]
        if member_id is not None:
            self.members.add(member_id)
        self.position = max(self.position, position)
        self.total += amount
        if amount not in self.amounts and len(self.amounts) < 2:
            self.amounts.append(amount)
        self.entries += 1

    def absorb(self, later: _Delta) -> _Delta:
        """This (unmerged) delta followed by a later one of the same period."""
        if later.period != self.period:
            return later
        for entry in reversed(later.names):
            self.names = ([entry] + [n for n in self.names if n[0] != entry[0]])[:RECENT_NAMES]
        self.members |= later.members
        self.position = max(self.position, later.position)
        self.total += later.total
        for amount in later.amounts:
            if amount not in self.amounts and len(self.amounts) < 2:
                self.amounts.append(amount)
        self.notices += later.notices
        self.entries += later.entries
        self.language = later.language
        return self


def _period(value: Hashable) -> str:
    return value.isoformat() if isinstance(value, date) else "" if value is None else str(value)


def _list(raw: str) -> list[Any]:
    value = json.loads(raw)
    return value if isinstance(value, list) else []  # Redis's cjson writes [] as {}


class SharedDigest:
    """Same calls as bot.digest.Digest; the fold is shared through Redis (see the module)."""

    def __init__(
        self,
        outbox: Outbox,
        locales: Locales,
        link: RedisLink,
        *,
        edit_interval: float = 10.0,
        idle_after: float = 900.0,
        notice_delay: float = 1.0,
        flush_interval: float = FLUSH_INTERVAL,
        create_lease: float = CREATE_LEASE,
        sweep_every: float = SWEEP_EVERY,
    ) -> None:
        self._outbox = outbox
        self._locales = locales
        self._link = link
        self._interval = edit_interval
        self._idle = idle_after
        self._notice_delay = notice_delay
        self._flush_interval = flush_interval
        self._lease = create_lease
        self._merge = link.script(MERGE)
        self._created = link.script(CREATED)
        self._renew = link.script(RENEW)
        self._open_folds = link.script(OPEN_FOLDS)
        self._sweep_every = sweep_every
        self._sweeper: asyncio.Task[None] | None = None
        self._pending: dict[tuple[int, str], _Delta] = {}
        self._timers: dict[tuple[int, str], asyncio.Task[None]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._retry = RETRY_FIRST

    # ---- what is folded (as bot.digest.Digest) ----------------------------------------
    def checkin(self, group_id: int, day: date, language: str, name: str, position: int) -> None:
        self._add(group_id, "checkin", day, language).add(name, None, 0, position)
        self._schedule((group_id, "checkin"), self._flush_interval)

    def points(
        self,
        group_id: int,
        language: str,
        *,
        deduct: bool,
        member_id: int,
        name: str,
        amount: int,
    ) -> None:
        topic = "deduct" if deduct else "grant"
        self._add(group_id, topic, None, language).add(name, member_id, amount, 0)
        self._schedule((group_id, topic), self._flush_interval)

    def notice(self, group_id: int, day: date, language: str, line: str) -> None:
        """A badge or level line of the day's check-in digest. A notice alone waits
        `notice_delay` (the check-in that earned it usually follows and opens the digest)."""
        delta = self._add(group_id, "checkin", day, language)
        delta.notices.append(line)
        delay = self._flush_interval if delta.entries else self._notice_delay
        self._schedule((group_id, "checkin"), delay)

    def __len__(self) -> int:
        return len(self._pending) + len(self._timers)

    def start(self) -> None:
        """Sweep for orphaned folds (see OPEN_FOLDS) from now until close()."""
        if self._sweeper is None:
            self._sweeper = asyncio.create_task(self._sweep())

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(self._sweep_every)
            try:
                due = await self._open_folds(keys=[self._link.key("dg", "open")])
            except UNREACHABLE as exc:
                self._link.failed(exc)
                continue
            for raw in due:
                group, _, topic = (raw.decode() if isinstance(raw, bytes) else raw).partition(":")
                if topic in RENDER:
                    self._schedule((int(group), topic), 0)  # a check: creates it if still due

    async def close(self) -> None:
        sweeper = [self._sweeper] if self._sweeper is not None else []
        tasks = [t for t in (*sweeper, *self._timers.values(), *self._tasks) if not t.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # ---- merging ----------------------------------------------------------------------
    def _add(self, group_id: int, topic: str, period: Hashable, language: str) -> _Delta:
        key = (group_id, topic)
        wanted = _period(period)
        delta = self._pending.get(key)
        if delta is None or delta.period != wanted:  # a new day: yesterday's last half-second
            delta = self._pending[key] = _Delta(wanted, language)  # goes to a new fold
        delta.language = language
        return delta

    def _schedule(self, key: tuple[int, str], delay: float) -> None:
        if key in self._timers:
            return
        task = asyncio.create_task(self._flush_later(key, delay))
        self._timers[key] = task

    async def _flush_later(self, key: tuple[int, str], delay: float) -> None:
        try:
            await asyncio.sleep(delay)
            again = await self._flush(key)
        finally:
            self._timers.pop(key, None)
        if key in self._pending:
            again = self._flush_interval if again is None else min(again, self._flush_interval)
        if again is not None:
            self._schedule(key, again)

    async def _flush(self, key: tuple[int, str]) -> float | None:
        """Merge what is pending (or nothing: a check); returns when to check again."""
        group_id, topic = key
        delta = self._pending.pop(key, None)
        period = delta.period if delta is not None else None
        try:
            action, arg, state, fid, lang = await self._merge(
                keys=[
                    self._link.key("dg", group_id, topic),
                    self._link.key("dg", group_id, topic, "m"),
                    self._link.key("dg", "open"),
                ],
                args=[*self._merge_args(topic, delta), f"{group_id}:{topic}"],
            )
        except UNREACHABLE as exc:
            self._link.failed(exc)
            if delta is not None:  # merged later, with whatever comes meanwhile
                later = self._pending.get(key)
                self._pending[key] = delta.absorb(later) if later is not None else delta
            wait, self._retry = self._retry, min(self._retry * 2, RETRY_MAX)
            return wait
        self._link.answered()
        self._retry = RETRY_FIRST
        action = action.decode() if isinstance(action, bytes) else action
        if action == "wait":
            return int(arg) / 1000.0
        if action in ("create", "edit"):
            language = (lang.decode() if isinstance(lang, bytes) else lang) or (
                delta.language if delta is not None else "en"
            )
            text = self._render(topic, language, state, period)
            if action == "create":
                self._send_new(key, text, fid)
            else:
                self._edit(group_id, int(arg), text)
            return self._interval  # then show what merged meanwhile, if anything
        return None

    def _merge_args(self, topic: str, delta: _Delta | None) -> list[Any]:
        d = delta or _Delta("", "en")
        return [
            d.period,
            d.language,
            topic,
            d.position,
            d.total,
            json.dumps(d.amounts),
            json.dumps(d.names, ensure_ascii=False),
            json.dumps(sorted(d.members)),
            json.dumps(d.notices, ensure_ascii=False),
            int(self._interval * 1000),
            int(self._idle * 1000),
            int(self._lease * 1000),
            MAX_MEMBERS,
            RECENT_NAMES,
            MAX_NOTICES,
            secrets.token_hex(8),
            "1" if delta is None else "0",  # nothing to merge: only what to do next
        ]

    def _render(self, topic: str, language: str, state: bytes | str, period: str | None) -> str:
        raw = state.decode() if isinstance(state, bytes) else state
        count, total, names, amounts, notices, more = raw.split("\n")
        render = RENDER[topic]
        fold = Fold(
            period=period,
            language=language,
            render=render,
            count=int(float(count)),
            names=_list(names),
            total=int(float(total)),
            amounts={int(a) for a in _list(amounts)},
            notices=_list(notices),
            more_notices=int(float(more)),
        )
        return render(self._locales.get(language), fold)

    # ---- the message -------------------------------------------------------------------
    def _send_new(self, key: tuple[int, str], text: str, fid: bytes | str) -> None:
        group_id = key[0]
        future = self._outbox.send(
            group_id,
            SendMessage(chat_id=group_id, text=text),
            kind=Kind.ACK,
            priority=Priority.NORMAL,
        )
        task = asyncio.create_task(self._record_created(key, future, fid))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _record_created(
        self, key: tuple[int, str], sent: asyncio.Future[Any], fid: bytes | str
    ) -> None:
        group_id, topic = key
        hash_key = self._link.key("dg", group_id, topic)
        while True:
            try:
                message = await asyncio.wait_for(asyncio.shield(sent), RENEW_EVERY)
                message_id = int(getattr(message, "message_id", 0) or 0)
                break
            except TimeoutError:  # still queued: keep the lease
                try:
                    await self._renew(
                        keys=[hash_key, self._link.key("dg", "open")],
                        args=[fid, int(self._lease * 1000), f"{group_id}:{topic}"],
                    )
                except UNREACHABLE as exc:
                    self._link.failed(exc)
            except Exception:  # noqa: BLE001  (refused: another process, or this one, creates it)
                message_id = 0
                break
        for attempt in range(5):
            try:
                await self._created(
                    keys=[hash_key, self._link.key("dg", "open")],
                    args=[fid, message_id, f"{group_id}:{topic}"],
                )
                return
            except UNREACHABLE as exc:
                self._link.failed(exc)
                await asyncio.sleep(RETRY_FIRST * (attempt + 1))
        logger.warning("digest of %s: could not record its message %s", group_id, message_id)

    def _edit(self, group_id: int, message_id: int, text: str) -> None:
        self._outbox.send(
            group_id,
            EditMessageText(chat_id=group_id, message_id=message_id, text=text),
            kind=Kind.ACK,
            priority=Priority.LOW,
            counts_as_message=False,
        )
