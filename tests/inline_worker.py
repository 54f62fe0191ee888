"""A stand-in for bot.worker.Worker that runs the work in this process (handler tests: no
process to start; the worker process itself is tested in tests/test_worker.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class InlineWorker:
    running = True

    def __init__(self) -> None:
        self.calls: list[str] = []

    async def run(
        self, fn: Callable[..., Any], /, *args: Any, timeout: float | None = None
    ) -> Any:
        self.calls.append(fn.__name__)
        return fn(*args)

    async def close(self) -> None:
        pass
