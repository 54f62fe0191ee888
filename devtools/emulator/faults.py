"""Failures the bot must survive: errors injected with fail_next, and Telegram's rate limits (a
429 with retry_after once a sliding window is full; an album counts as one message per item)."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from devtools.emulator.errors import ApiError

MESSAGE_METHODS = {"sendMessage", "sendDocument", "sendPhoto", "sendMediaGroup"}
LIMITED_METHODS = MESSAGE_METHODS | {"editMessageText", "setMessageReaction"}


@dataclass(frozen=True)
class RateLimits:
    global_per_second: int = 30
    group_per_minute: int = 20
    private_per_second: int = 1
    private_burst: int = 3


DEFAULT_LIMITS = RateLimits()


@dataclass
class _Fault:
    method: str
    code: int
    description: str
    retry_after: int
    count: int
    chat_id: int | None


class _Windows:
    def __init__(self) -> None:
        self.times: dict[object, deque[float]] = {}

    def check(self, key: object, limit: int, span: float, now: float, count: int = 1) -> int:
        """Seconds to wait (0 when allowed; then the `count` sends are recorded)."""
        q = self.times.setdefault(key, deque())
        while q and q[0] <= now - span:
            q.popleft()
        count = min(count, limit)
        if len(q) + count > limit:
            return max(1, int(q[len(q) + count - limit - 1] + span - now + 0.999))
        q.extend([now] * count)
        return 0


class Faults:
    def __init__(self) -> None:
        self._faults: list[_Fault] = []
        self._windows = _Windows()

    def fail_next(
        self,
        method: str,
        *,
        error_code: int = 429,
        description: str | None = None,
        retry_after: int = 1,
        count: int = 1,
        chat_id: int | None = None,
    ) -> None:
        if description is None:
            description = {
                429: f"Too Many Requests: retry after {retry_after}",
                403: "Forbidden: bot was blocked by the user",
                400: "Bad Request: injected",
            }.get(error_code, "Internal Server Error")
        self._faults.append(_Fault(method, error_code, description, retry_after, count, chat_id))

    def inject(self, method: str, params: dict[str, Any]) -> None:
        for fault in self._faults:
            if fault.method != method or fault.count <= 0:
                continue
            if fault.chat_id is not None and str(fault.chat_id) != str(params.get("chat_id")):
                continue
            fault.count -= 1
            raise ApiError(
                fault.code, fault.description, fault.retry_after if fault.code == 429 else None
            )

    def rate_limit(self, limits: RateLimits | None, method: str, params: dict[str, Any]) -> None:
        if limits is None or method not in LIMITED_METHODS:
            return
        now = time.monotonic()
        media = params.get("media") if method == "sendMediaGroup" else None
        count = len(media) if isinstance(media, list) and media else 1
        wait = self._windows.check("global", limits.global_per_second, 1.0, now, count)
        if not wait and method in MESSAGE_METHODS:
            chat_id = int(params.get("chat_id", 0))
            if chat_id < 0:
                wait = self._windows.check(chat_id, limits.group_per_minute, 60.0, now, count)
            else:
                wait = self._windows.check(
                    chat_id,
                    limits.private_burst,
                    limits.private_burst / limits.private_per_second,
                    now,
                    count,
                )
        if wait:
            raise ApiError(429, f"Too Many Requests: retry after {wait}", wait)
