"""The weekly report in private to each administrator who started the bot: the week against
the one before, the North Star and the goals, four charts, segment movements, the members
most at risk, the best and the worst post, open feedback.

Run by the scheduler's leader (`WeeklyReports.sweep`, one of its rounds; it looks at the
groups at most once a minute). Everything is read and drawn first; then the week's key is
claimed (core/jobs.run_once: exactly once per group and week across restarts and processes);
only the process that claimed it sends. The clock is the app's (tests move it).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram.methods import GetChatAdministrators

from bot.i18n import Locales, Translator
from bot.outbound import Outbox, Priority
from bot.replies import plain, send, send_photos
from core.analytics.periods import Period
from core.calendar import local_day
from core.charts.render import render_all
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.goals import weekly
from core.goals.warm import warm_charts
from core.goals.weekly import Due, WeeklyData
from core.jobs import run_once
from core.segments.ranking import AtRiskRanking
from core.segments.stages import UNCLASSIFIED
from core.shop.redeem import reachable_admins
from core.text import shorten
from core.uow import UnitOfWork
from handlers.analytics import render as stats_render
from handlers.numbers import charts, goals_render
from storage.db import SessionFactory
from storage.queries.segments import refresh as group_rows

logger = logging.getLogger(__name__)

CHECK_EVERY = 60.0
WARM_AHEAD = timedelta(seconds=90)  # the worker is started this long before a report is due
ROUND_BUDGET = 10.0  # seconds of reports in one leader round before the round goes on
RENDER_TIMEOUT = 60.0
NAME = 32
TEXT = 80  # characters of a post shown


class WeeklyReports:
    def __init__(
        self,
        session_factory: SessionFactory,
        report_sessions: SessionFactory,
        groups: GroupService,
        outbox: Outbox,
        locales: Locales,
        worker: Any,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        segments: Any | None = None,
        ranking: Callable[[], AtRiskRanking],
        check_every: float = CHECK_EVERY,
        budget: float = ROUND_BUDGET,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._session_factory = session_factory
        self._report_sessions = report_sessions
        self._groups = groups
        self._outbox = outbox
        self._locales = locales
        self._worker = worker
        self._clock = clock
        self._segments = segments
        self._ranking = ranking
        self._check_every = check_every
        self._budget = budget
        self._monotonic = monotonic
        self._next_check = 0.0
        self._warming: asyncio.Task[None] | None = None

    async def sweep(self) -> int:
        """Send the reports that are due and not sent yet; how many groups got one."""
        if self._monotonic() < self._next_check:
            return 0
        self._next_check = self._monotonic() + self._check_every
        now = self._clock()
        async with self._session_factory() as session:
            ids = await group_rows.active_group_ids(session)
            settings = await self._groups.settings_in(session, ids)
            dues = {
                gid: d
                for gid, group in settings.items()
                if (d := weekly.due(group, now)) is not None
            }
            done = await weekly.done_keys(session, [d.key for d in dues.values()])
        soon = now + WARM_AHEAD
        if any(
            (u := weekly.due(g, soon)) is not None and u.due_at > now for g in settings.values()
        ):
            self._warm_soon()  # a report comes within the minute: its charts find the worker up
        sent = 0
        until = self._monotonic() + self._budget
        for gid, d in dues.items():
            if d.key in done:
                continue
            if self._monotonic() > until:
                # Many groups due at once: the next round goes on (other sweeps get a turn).
                self._next_check = 0.0
                break
            try:
                sent += await self.run(settings[gid], d, now)
            except Exception:  # noqa: BLE001  (one group failing must not stop the others)
                logger.exception("weekly report of group %s failed", gid)
        return sent

    async def run(self, group: GroupSettings, d: Due, now: datetime) -> bool:
        """One group's report: read and draw, claim the week, send. False: not sent here."""
        admins = await self._recipients(group.group_id)
        t = self._locales.get(group.language)
        texts: list[str] = []
        pngs: list[bytes] = []
        if admins:
            # The worker starts (and imports matplotlib) while the numbers are read.
            warming = asyncio.create_task(self._warm())
            async with self._report_sessions() as session:
                data = await weekly.gather(
                    session,
                    group,
                    now,
                    d.period,
                    segments=self._segments,
                    ranking=self._ranking(),
                )
            texts = report_texts(t, data)
            await warming
            pngs = await self._draw(t, data)

        # The week's key alone is the record (processed_key): the claim is the whole work.
        claimed, _ = await run_once(self._session_factory, d.key, _claim_only)
        if not claimed:
            return False
        caption = t("weekly-charts-caption")
        for admin in admins:
            for text in texts:
                send(self._outbox, admin, text, priority=Priority.LOW)
            if pngs:
                send_photos(self._outbox, admin, pngs, caption=caption, priority=Priority.LOW)
        return bool(admins)

    async def preview(self, group: GroupSettings, admin_id: int, now: datetime) -> bool:
        """The report of the last 7 complete days, now, to one administrator (`/goal report`):
        no week is claimed, the Monday report still comes. False: they never started the bot
        (or blocked it), so it cannot be sent."""
        if not await reachable_admins(self._session_factory, [admin_id]):
            return False
        today = local_day(now, group.timezone, group.day_start_hour)
        period = Period(today - timedelta(days=7), today - timedelta(days=1))
        t = self._locales.get(group.language)
        warming = asyncio.create_task(self._warm())
        async with self._report_sessions() as session:
            data = await weekly.gather(
                session, group, now, period, segments=self._segments, ranking=self._ranking()
            )
        await warming
        for text in report_texts(t, data):
            send(self._outbox, admin_id, text, priority=Priority.NORMAL)
        pngs = await self._draw(t, data)
        if pngs:
            caption = t("weekly-charts-caption")
            send_photos(self._outbox, admin_id, pngs, caption=caption, priority=Priority.NORMAL)
        return True

    async def _recipients(self, group_id: int) -> list[int]:
        """The group's administrators (Telegram's list) who started the bot and did not block
        it; an administrator who never started it cannot be written to first."""
        # A failure propagates: the week is not claimed, the next minute tries again.
        found = await self._outbox.send(
            group_id, GetChatAdministrators(chat_id=group_id), counts_as_message=False
        )
        ids = [m.user.id for m in found if not m.user.is_bot] if isinstance(found, list) else []
        return sorted(await reachable_admins(self._session_factory, ids)) if ids else []

    def _warm_soon(self) -> None:
        if self._warming is None or self._warming.done():
            self._warming = asyncio.create_task(self._warm())

    async def _warm(self) -> None:
        try:
            await self._worker.run(warm_charts, timeout=RENDER_TIMEOUT)
        except Exception:  # noqa: BLE001  (drawing will try again, and say so if it fails)
            logger.info("the worker could not be warmed up", exc_info=True)

    async def _draw(self, t: Translator, data: WeeklyData) -> list[bytes]:
        if not data.has_data or not data.series:
            return []
        days = [d.day for d in data.series]
        subtitle = charts.period_subtitle(t, days)
        album = [
            charts.growth_chart(t, days, [d.members for d in data.series], subtitle=subtitle),
            charts.active_chart(
                t,
                days,
                [d.dau for d in data.series],
                [d.wau for d in data.series],
                [d.mau for d in data.series],
                subtitle=subtitle,
            ),
            charts.joins_chart(
                t,
                days,
                [d.joined for d in data.series],
                [d.left for d in data.series],
                subtitle=subtitle,
            ),
            charts.checkins_chart(t, days, [d.checkins for d in data.series], subtitle=subtitle),
        ]
        try:
            drawn = await self._worker.run(render_all, album, timeout=RENDER_TIMEOUT)
        except Exception:  # noqa: BLE001  (the report's numbers go out without pictures)
            logger.exception("weekly charts of group %s could not be drawn", data.group_id)
            return []
        return [png for png in drawn if png is not None]


async def _claim_only(uow: UnitOfWork) -> None:
    return None


def report_texts(t: Translator, data: WeeklyData) -> list[str]:
    """Two messages: the week's numbers; then goals, segments, risk, posts and feedback."""
    title = shorten(data.title, NAME)
    p = data.period
    head = t("weekly-title", group=title, start=p.start.isoformat(), end=p.end.isoformat())
    if not data.has_data:
        return [head + "\n\n" + t("weekly-no-data")]
    star = next((g for g in data.goals if g.north_star), None)
    if star is not None:  # the North Star first, as everywhere
        head += "\n" + goals_render.star_line(t, star)
    first = head + "\n\n" + stats_render.stats_text(t, data.title, data.summary, [])
    lines: list[str] = []
    if data.goals:
        lines.append(t("weekly-goals"))
        for g in data.goals:
            lines += goals_render.goal_lines(t, g)
    else:
        lines.append(t("weekly-no-goals"))
    lines += ["", *segment_lines(t, data)]
    lines += ["", *risk_lines(t, data)]
    lines += ["", *post_lines(t, data)]
    lines += [
        "",
        t("weekly-feedback", open=data.summary.open_feedback, new=data.summary.current.feedback),
    ]
    return [first, "\n".join(lines)]


def segment_lines(t: Translator, data: WeeklyData) -> list[str]:
    ov = data.overview
    if ov is None or ov.computed_day is None:
        return [t("weekly-segments"), t("segments-moves-pending")]
    lines = [t("weekly-segments")]
    for stage in ("new", "active", "returned", "at_risk", "dormant", "churned"):
        change = ov.change("stage", stage)
        lines.append(
            t(
                "weekly-stage",
                stage=t(f"segment-stage-{stage}"),
                count=ov.stages.get(stage, 0),
                change=stats_render.signed(change) if change is not None else "—",
            )
        )
    moves = [m for m in ov.moves if m[0] == "stage" and m[1] != UNCLASSIFIED]
    for _kind, old, new, count in moves[:5]:
        lines.append(
            t(
                "segments-move",
                old=t(f"segment-stage-{old}"),
                new=t(f"segment-stage-{new}"),
                count=count,
            )
        )
    return lines


def risk_lines(t: Translator, data: WeeklyData) -> list[str]:
    key = "weekly-risk-baseline" if data.ranking == "baseline" else "weekly-risk-model"
    lines = [t(key, count=len(data.at_risk), model=data.ranking)]
    if not data.at_risk:
        return [*lines, t("weekly-risk-none")]
    for rank, who in enumerate(data.at_risk, 1):
        reasons = t("weekly-risk-separator").join(t(r.key, **r.args) for r in who.reasons)
        chance = (
            t("weekly-risk-chance", value=stats_render.percent(who.probability))
            if who.probability is not None
            else ""
        )
        lines.append(
            t(
                "weekly-risk-line",
                rank=rank,
                name=shorten(who.name, NAME),
                level=t(f"whois-risk-{who.level}"),
                chance=chance,
                reasons=reasons,
            )
        )
    return lines


def post_lines(t: Translator, data: WeeklyData) -> list[str]:
    if data.best is None:
        return [t("weekly-posts"), t("weekly-posts-none")]
    lines = [t("weekly-posts")]
    for key, post in (("weekly-post-best", data.best), ("weekly-post-worst", data.worst)):
        if post is None:
            continue
        lines.append(
            t(
                key,
                id=post.post_id,
                variant=chr(ord("A") + post.variant),
                text=shorten(plain(post.text), TEXT),
                votes=post.votes,
                views=post.views,
                rate=stats_render.percent(post.rate),
            )
        )
    return lines
