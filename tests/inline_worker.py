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


class SketchWorker:
    """Answers a chart album with a placeholder per chart, drawing nothing (handler tests that
    check what is sent, not the pictures: tests/test_charts.py checks those)."""

    running = True

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    async def run(
        self, fn: Callable[..., Any], /, *args: Any, timeout: float | None = None
    ) -> Any:
        charts = args[0]
        self.calls.append((fn.__name__, len(charts)))
        return [b"\x89PNG placeholder"] * len(charts)

    async def close(self) -> None:
        pass
