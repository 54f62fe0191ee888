"""The whole weekly report on a generated group: `python -m bench.weekly_bench [--members M]
[--days D] [--pg <admin DSN>]` (SQLite, or PostgreSQL; the group of bench/analytics_data.py,
cached).

Times `WeeklyReports.run` for the group at Monday 09:01 after its last week: the reads (the
week against the one before, goals, segments, the members most at risk, posts), four charts
drawn in the worker process (cold: its start and matplotlib's import included; then warm),
the week's key claimed and the messages queued for one administrator (Telegram answered
in-process). The leader's daily segments run is done first and timed apart.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

# The app is imported inside the functions: the worker process is spawned, and a spawned
# process imports the parent's main module again (`python -m bot` is spared that: a package's
# __main__ is not re-imported). Importing the app there would add seconds to its cold start
# that the bot does not pay.

ADMIN = 4242
AT = datetime(2026, 11, 30, 1, 1, tzinfo=UTC)  # Monday 09:01 in Shanghai, the last day generated


async def measure(members: int, days: int, pg: str | None) -> None:
    from bench import analytics_data as data

    if pg is None:
        generated = await data.generate_sqlite(members, days)
        print(f"SQLite group: {generated.totals} (generated in {generated.seconds:.0f} s)")
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(generated.url.removeprefix("sqlite+aiosqlite:///"))
            path = Path(tmp) / "weekly.db"
            shutil.copy(source, path)
            await _measure(f"sqlite+aiosqlite:///{path}")
        return
    template, generated = await data.generate_postgres(pg, members, days)
    print(f"PostgreSQL group: {generated.totals} (generated in {generated.seconds:.0f} s)")
    url = await data.copy_postgres(pg, template, "weekly_bench")
    try:
        await _measure(url)
    finally:
        await data.drop_postgres(pg, "weekly_bench")


async def _measure(url: str) -> None:
    from pydantic import SecretStr

    from bench import analytics_data as data
    from bot.config import Settings
    from composition.app import create_app
    from core.goals import weekly
    from core.segments.ranking import BaselineRanking
    from devtools.inprocess import InProcessSession
    from storage.queries.community.members import set_user_started
    from storage.queries.goals import goals as goal_rows

    settings = Settings(
        bot_token=SecretStr("123456:BENCH"),
        database_url=url,
        default_timezone="Asia/Shanghai",
        outbound_global_per_second=100000.0,
        outbound_group_per_minute=100000.0,
        outbound_private_per_second=100000.0,
    )
    session = InProcessSession(admins={(data.GROUP, ADMIN)})
    app = await create_app(settings, bot_session=session, clock=lambda: AT)
    app.outbox.start()
    try:
        deps = app.deps
        group = await deps["groups"].settings_for(data.GROUP)
        async with deps["session_factory"]() as s:
            await set_user_started(s, ADMIN, AT)
            await goal_rows.put(
                s,
                group_id=data.GROUP,
                metric="dau",
                target=50_000,
                due_day=None,
                start_value=None,
                start_day=AT.date(),
                set_by=ADMIN,
                at=AT,
            )
            await goal_rows.set_star(s, data.GROUP, "dau")
            await s.commit()
        started = time.perf_counter()
        await deps["segments"].refresh(group)
        print(
            f"segments' daily run (not part of the report): {time.perf_counter() - started:.1f} s"
        )
        due = weekly.due(group, AT)
        assert due is not None
        reports = deps["weekly_reports"]
        ranking = deps.get("at_risk_ranking") or BaselineRanking()
        for _ in range(3):
            started, cpu = time.perf_counter(), time.process_time()
            async with deps["report_sessions"]() as s:
                found = await weekly.gather(
                    s, group, AT, due.period, segments=deps["segments"], ranking=ranking
                )
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            print(
                f"the report's reads: {wall:.2f} s wall, {cpu:.2f} s CPU "
                f"({len(found.at_risk)} at risk, {len(found.goals)} goal)"
            )
        for label, key in (("cold worker", due.key), ("warm worker", due.key + "-again")):
            session.calls.clear()
            started, cpu = time.perf_counter(), time.process_time()
            sent = await reports.run(group, replace(due, key=key), AT)
            await app.outbox.drain(30)
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            photos = sum(len(getattr(c, "media", ())) for c in session.calls)
            print(
                f"weekly report, {label}: {wall:.2f} s wall, {cpu:.2f} s CPU in the bot "
                f"process; sent={sent}, {len(session.sent_texts(ADMIN))} texts, {photos} photos"
            )
    finally:
        await app.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--pg", default=None, help="an admin DSN: run on PostgreSQL instead")
    args = parser.parse_args()
    asyncio.run(measure(args.members, args.days, args.pg))


if __name__ == "__main__":
    main()
