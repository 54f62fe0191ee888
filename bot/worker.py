"""Heavy work off the event loop and out of the bot's memory: one worker process, on demand.

`Worker.run(fn, *args)` runs `fn(*args)` in a separate process and returns what it returned.
Drawing charts (matplotlib), statistics (statsmodels) and, later, model training (scikit-learn)
go through it, so those libraries are imported in the worker, never in the bot process (whose
resident memory at rest stays under 200 MB), and the event loop keeps answering members while
the work runs.

What may be run: a function defined at module level (pickled by its name; the worker imports
its module), with plain, picklable arguments and result (numbers, strings, dates, tuples, frozen
dataclasses, bytes). Keep such functions in modules that import nothing heavy at module level
and nothing of the bot's runtime (`core/`, not `bot/` or `handlers/`: importing `bot` imports
aiogram), so the worker loads only what the work needs.

The process using it must start the spawn way: `python -m …` (as `python -m bot` and pytest
do), or a script whose work is under `if __name__ == "__main__":` (a spawned process imports
the parent's main script; Python's "safe importing of the main module" rule).

How it behaves:
- One worker process (a `ProcessPoolExecutor` of one, *spawn* context: a fresh interpreter,
  nothing inherited from the bot's event loop, threads or open connections). Calls queue and
  run one at a time, in the order they came.
- Started on the first call (about a second, plus the imports of the first job), shut down
  after `idle_seconds` without work: what it loaded is given back to the system.
- A worker that dies (killed, out of memory, a crash inside a C extension) is replaced; the
  call that was running is tried once more in the new worker, then `WorkerCrashed` is raised.
- A call that takes longer than its `timeout` kills the worker (its work cannot be interrupted
  any other way) and raises `WorkerTimeout`; other calls waiting for that worker are tried in
  a new one.
- An exception raised by `fn` reaches the caller as it was raised (it must be picklable, as
  the built-in ones are).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_IDLE_SECONDS = 300.0


class WorkerError(RuntimeError):
    """The work could not be done in the worker (not an error of the work itself)."""


class WorkerCrashed(WorkerError):
    pass


class WorkerTimeout(WorkerError):
    pass


class Worker:
    def __init__(
        self,
        *,
        idle_seconds: float = DEFAULT_IDLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._idle_seconds = idle_seconds
        self._clock = clock
        self._pool: ProcessPoolExecutor | None = None
        self._busy = 0
        self._last_used = clock()
        self._reaper: asyncio.TimerHandle | None = None
        self._closed = False
        self.started = 0  # worker processes started so far (for tests and logs)

    @property
    def running(self) -> bool:
        return self._pool is not None

    def pids(self) -> list[int]:
        """The worker's process id (empty when none runs)."""
        processes = getattr(self._pool, "_processes", None) or {}
        return [p.pid for p in processes.values() if p.pid is not None]

    async def run(self, fn: Callable[..., T], /, *args: Any, timeout: float | None = None) -> T:
        """`fn(*args)` in the worker process; its result, or the exception it raised."""
        if self._closed:
            raise WorkerError("the worker is closed")
        call = functools.partial(fn, *args)
        loop = asyncio.get_running_loop()
        self._busy += 1
        try:
            for attempt in (1, 2):
                pool = self._ensure_pool()
                started = self._clock()
                try:
                    future = loop.run_in_executor(pool, call)
                    result = await asyncio.wait_for(future, timeout)
                except BrokenProcessPool:
                    self._discard(pool)
                    if self._closed:  # stopped by close(): not a crash to try again after
                        raise WorkerError("the worker was closed") from None
                    if attempt == 2:
                        raise WorkerCrashed(f"the worker died running {_name(fn)}") from None
                    logger.warning("worker died running %s: trying again", _name(fn))
                    continue
                except TimeoutError:
                    logger.warning("%s took longer than %ss: worker killed", _name(fn), timeout)
                    self._kill(pool)
                    raise WorkerTimeout(f"{_name(fn)} took longer than {timeout} s") from None
                logger.debug("%s ran in %.3f s", _name(fn), self._clock() - started)
                return result
            raise AssertionError("unreachable")
        finally:
            self._busy -= 1
            self._last_used = self._clock()
            self._schedule_reaper()

    async def close(self) -> None:
        """Stop the worker: what runs is abandoned (its caller gets WorkerError), the process
        given a second to leave, then killed."""
        self._closed = True
        if self._reaper is not None:
            self._reaper.cancel()
            self._reaper = None
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(_stop, pool, 1.0)

    # ---- the pool -----------------------------------------------------------------------
    def _ensure_pool(self) -> ProcessPoolExecutor:
        if self._closed:
            raise WorkerError("the worker is closed")
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
            self.started += 1
            logger.info("worker process starting")
        return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        """A broken pool is dropped; the next call starts a new one."""
        if self._pool is pool:
            self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def _kill(self, pool: ProcessPoolExecutor) -> None:
        # ProcessPoolExecutor cannot interrupt a running call (Python 3.14 adds
        # kill_workers()); its processes are killed, and the executor, seeing its worker
        # gone, fails what still waits with BrokenProcessPool (tried again in a new one).
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.kill()
        self._discard(pool)

    def _schedule_reaper(self) -> None:
        if self._closed or self._pool is None:
            return
        if self._reaper is not None:
            self._reaper.cancel()
        loop = asyncio.get_running_loop()
        self._reaper = loop.call_later(self._idle_seconds, self._reap)

    def _reap(self) -> None:
        self._reaper = None
        if self._busy or self._pool is None:
            return
        idle = self._clock() - self._last_used
        if idle < self._idle_seconds:
            self._schedule_reaper()
            return
        pool, self._pool = self._pool, None
        logger.info("worker idle for %.0f s: stopped", idle)
        asyncio.get_running_loop().run_in_executor(None, _stop, pool, 5.0)


def _stop(pool: ProcessPoolExecutor, grace: float) -> None:
    """Shut the pool down; a process that does not leave within `grace` seconds is killed."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(1.0)


def _name(fn: Callable[..., Any]) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"
