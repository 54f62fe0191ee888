"""The worker process (bot/worker.py): work runs in another process, started on first use and
stopped when idle; a dead worker is replaced; a call that hangs is cut off; and drawing an
album and computing A/B statistics there leave matplotlib and statsmodels out of the bot
process."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bot.worker import Worker, WorkerCrashed, WorkerError, WorkerTimeout
from devtools import worker_probe as worker_jobs

ROOT = Path(__file__).resolve().parents[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped) counts as gone.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "State:\tZ" in status.read_text())


async def test_runs_in_another_process_and_passes_errors_back(tmp_path: Path) -> None:
    worker = Worker(idle_seconds=60)
    try:
        assert not worker.running
        child = await worker.run(worker_jobs.pid)
        assert child != os.getpid() and worker.running and worker.started == 1
        assert await worker.run(worker_jobs.add, 2, 3) == 5
        assert await worker.run(worker_jobs.pid) == child  # the same worker, kept
        with pytest.raises(ValueError, match="bad input"):
            await worker.run(worker_jobs.fail, "bad input")
        assert await worker.run(worker_jobs.pid) == child  # an error does not cost the worker

        # Killed while working (out of memory, say): replaced, and the call tried again.
        flag = tmp_path / "died"
        assert await worker.run(worker_jobs.die_once, str(flag)) == "survived"
        assert flag.exists() and worker.started == 2
        assert await worker.run(worker_jobs.pid) != child
    finally:
        await worker.close()


async def test_a_call_that_hangs_is_cut_off_and_the_next_one_runs() -> None:
    worker = Worker(idle_seconds=60)
    try:
        first = await worker.run(worker_jobs.pid)
        started = time.monotonic()
        with pytest.raises(WorkerTimeout):
            await worker.run(worker_jobs.sleep, 60, timeout=0.5)
        assert time.monotonic() - started < 5
        for _ in range(50):
            if not _alive(first):
                break
            await asyncio.sleep(0.1)
        assert not _alive(first)  # killed, not left running
        assert await worker.run(worker_jobs.add, 1, 1) == 2  # a new worker
    finally:
        await worker.close()


async def test_a_worker_that_keeps_dying_is_reported(tmp_path: Path) -> None:
    worker = Worker(idle_seconds=60)
    try:
        with pytest.raises(WorkerCrashed):
            # Each try dies (a fresh flag each time would survive: this one never does).
            await worker.run(os._exit, 3)
        assert worker.started == 2
    finally:
        await worker.close()


async def test_the_worker_stops_when_idle_and_starts_again_on_demand() -> None:
    worker = Worker(idle_seconds=0.3)
    try:
        child = await worker.run(worker_jobs.pid)
        for _ in range(50):
            await asyncio.sleep(0.1)
            if not worker.running and not _alive(child):
                break
        assert not worker.running and not _alive(child)
        assert await worker.run(worker_jobs.pid) != child
        assert worker.started == 2
    finally:
        await worker.close()
    assert not worker.running


ALBUM = textwrap.dedent(
    """
    import bot  # first, as `python -m bot` does
    import asyncio, json, sys, time
    from datetime import date, timedelta

    import composition.app  # every feature's modules, as the bot process imports them
    from bot.i18n import Locales
    from bot.worker import Worker
    from core.charts.render import render_all
    from core.schedule.ab_results import VariantCounts, ab_results
    from handlers.numbers import charts
    from devtools import worker_probe as worker_jobs

    t = Locales().get("zh")
    days = [date(2026, 11, 3) + timedelta(days=i) for i in range(30)]
    album = [
        charts.growth_chart(t, days, [1000 + 3 * i for i in range(30)], partial_last=True),
        charts.active_chart(t, days, [90 + i % 7 for i in range(30)], [300] * 30, [800] * 30),
        charts.joins_chart(t, days, [i % 9 for i in range(30)], [i % 4 for i in range(30)]),
        charts.checkins_chart(t, days, [50 + i for i in range(30)]),
    ]

    async def main():
        worker = Worker()
        started = time.perf_counter()
        first = await worker.run(render_all, album)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        await worker.run(render_all, album)
        warm = time.perf_counter() - started
        ab = await worker.run(ab_results, [VariantCounts("a", 3, 10, 200),
                                           VariantCounts("b", 3, 30, 200)])
        in_worker = await worker.run(worker_jobs.loaded, ("matplotlib", "numpy", "statsmodels"))
        await worker.close()
        here = sorted({m.split(".")[0] for m in sys.modules
                       if m.startswith(("matplotlib", "statsmodels", "scipy", "pandas", "numpy", "sklearn",
                                        "PIL"))})
        print(json.dumps({"sizes": [len(png) for png in first], "cold": cold, "warm": warm,
                          "in_worker": in_worker, "here": here,
                          "verdict": ab.comparisons[0][1].verdict}))

    asyncio.run(main())
    """
)


def test_charts_and_statistics_run_in_the_worker_and_stay_out_of_the_bot() -> None:
    done = subprocess.run(
        [sys.executable, "-c", ALBUM], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(result["sizes"]) == 4 and all(size > 10_000 for size in result["sizes"])
    assert result["in_worker"] == ["matplotlib", "numpy", "statsmodels"]
    assert result["verdict"] == "b_better"  # the A/B statistics, computed there too
    assert result["here"] == []  # the bot process never imports them
    # Four charts: the first album includes starting the worker and importing matplotlib.
    print(f"4-chart album: cold {result['cold']:.2f} s, warm {result['warm']:.2f} s")
    assert result["warm"] < 5.0
    assert result["cold"] < 20.0


async def test_closing_stops_the_work_under_way_and_starts_nothing_new() -> None:
    worker = Worker(idle_seconds=60)
    child = await worker.run(worker_jobs.pid)
    running = asyncio.create_task(worker.run(worker_jobs.sleep, 60))
    await asyncio.sleep(0.2)
    await worker.close()  # a bot shutting down: what runs is abandoned
    with pytest.raises(WorkerError):
        await asyncio.wait_for(running, 10)
    with pytest.raises(WorkerError):
        await worker.run(worker_jobs.pid)
    assert worker.started == 1 and not worker.running and not _alive(child)
