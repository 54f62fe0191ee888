"""/atrisk, the /whois risk, the members export and the segments' at-risk stage through the
real Dispatcher, after the leader's run: on PostgreSQL in the real worker process (spawned:
numpy and scikit-learn load there, ~15 s on the loaded machine), on SQLite in a thread with its
arguments and result pickled as for the worker (the same code, for less time)."""

from __future__ import annotations

import asyncio
import csv
import io
import pickle
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bench import predict_data
from core.calendar import local_day
from core.prediction import scores
from core.prediction.run import GroupCalendar, RunSummary
from storage.tables import MemberRisk, MemberSegment, TgUser
from tests import factories as f
from tests.app_harness import Harness, running_bot

G = f.GROUP_ID
ADMIN = f.user(100, "Ada", username="ada")
EVE = f.user(300, "Eve", username="eve")


class ThreadWorker:
    started = 1

    async def run(
        self, fn: Callable[..., Any], /, *args: Any, timeout: float | None = None
    ) -> Any:
        result = await asyncio.to_thread(fn, *pickle.loads(pickle.dumps(args)))
        return pickle.loads(pickle.dumps(result))


async def say(bot: Harness, who: dict, text: str) -> str:
    bot.clear()
    await bot.feed(f.message(who, text, date=datetime.now(UTC)))
    return bot.last_text()


async def test_atrisk_and_whois_after_the_leaders_run(db_url: str) -> None:
    now = datetime.now(UTC)
    today = local_day(now, "Asia/Shanghai")
    days = 12 * 7
    act = predict_data.activity(250, days, today - timedelta(days=days), seed=11)
    async with running_bot(db_url, admins={(G, 100)}) as bot:
        async with bot.app.session_factory() as s:
            await predict_data.write(s, G, act, first_user=1000)
            await s.commit()
        assert "No scores yet" in await say(bot, ADMIN, "/atrisk")

        service = bot.app.deps["prediction"]
        if not db_url.startswith("postgresql"):
            service.worker = ThreadWorker()
        calendars, due = await service.calendars()
        assert calendars == [GroupCalendar(G, "Asia/Shanghai", 0)] and due
        summary = await service.run_now()
        assert isinstance(summary, RunSummary) and summary.trained and summary.scored > 0
        assert service.worker.started == 1
        assert (await service.calendars())[1] is False  # scored for the last complete day

        async with bot.app.session_factory() as s:
            scored = (
                (await s.exec(sa.select(MemberRisk).order_by(MemberRisk.p_active).limit(1)))
                .scalars()
                .one()
            )
            await s.execute(
                sa.insert(MemberSegment.__table__).values(
                    group_id=G,
                    user_id=scored.user_id,
                    stage="active",
                    stage_since=today,
                    tier="core",
                )
            )
            await s.execute(
                sa.insert(TgUser.__table__).values(
                    id=scored.user_id, display_name="Lin", username="lin"
                )
            )
            await s.commit()

        text = await say(bot, ADMIN, "/atrisk")
        assert "At risk · Bench" in text
        assert f"1. 💎 Lin (@lin) — {round(100 * scored.p_active)}% likely active" in text
        async with bot.app.session_factory() as s:
            q = await scores.quality(s, G)
        assert "Measured on the latest 2 weeks held out" in text
        assert f"AUC {q.auc_model:.3f} (baseline {q.auc_baseline:.3f})" in text
        assert f"Brier {q.brier_model:.3f} (baseline {q.brier_baseline:.3f})" in text
        assert ("ranks better than days since last activity" in text) == (scored.source == "model")
        assert "2." not in text  # one valuable member is scored

        card = await say(bot, ADMIN, "/whois @lin")
        assert f"Chance active in the next 7 days: {round(100 * scored.p_active)}%" in card

        bot.clear()
        await bot.feed(f.message(ADMIN, "/export members", date=datetime.now(UTC)))
        exported = {
            r["user_id"]: r
            for r in csv.DictReader(io.StringIO(bot.documents()[-1].document.data.decode()))
        }
        assert exported[str(scored.user_id)]["risk"] == f"{1 - scored.p_active:.2f}"
        assert exported["100"]["risk"] == ""  # the admin: not scored

        # In private: the one group the admin administers, at once; a member learns nothing.
        bot.clear()
        await bot.feed(f.message(ADMIN, "/atrisk 5", chat_id=100, date=datetime.now(UTC)))
        private = bot.last_text(100)
        assert "At risk · Bench" in private and "1. 💎 Lin (@lin)" in private
        bot.clear()
        await bot.feed(f.message(EVE, "/atrisk", chat_id=300, date=datetime.now(UTC)))
        assert "You administer no group I know" in bot.last_text(300)

        # The segments' at-risk stage: the baseline rule, or the model's chance under 50 %.
        group = await bot.app.deps["groups"].settings_for(G)
        await bot.app.deps["segments"].refresh(group)
        async with bot.app.session_factory() as s:
            stages = dict(
                (
                    await s.exec(
                        sa.select(MemberSegment.user_id, MemberSegment.stage).where(
                            MemberSegment.group_id == G
                        )
                    )
                ).all()
            )
            risks = (await s.exec(sa.select(MemberRisk))).scalars().all()
        flagged = [r for r in risks if r.source == "model" and r.p_active < 0.5]
        if scored.source == "model":
            assert flagged
        assert "active" not in {stages[r.user_id] for r in flagged}  # at risk instead
        assert any(stages[r.user_id] == "at_risk" for r in flagged) == bool(flagged)

        # Bad input and members: a clear answer, nothing revealed.
        assert "A number from 1 to 50" in await say(bot, ADMIN, "/atrisk lots")
        assert "A number from 1 to 50" in await say(bot, ADMIN, "/atrisk 500")
        assert await say(bot, EVE, "/atrisk") == "Only group administrators can do that."
