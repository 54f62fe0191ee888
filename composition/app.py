"""Builds and runs the application. Everything is created here; nothing at import time."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.dispatcher.middlewares.user_context import UserContextMiddleware
from aiogram.enums import ParseMode
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import aiogram_speedups
from bot.admins import AdminChecker
from bot.api_session import BotApiSession
from bot.commands import publish_commands
from bot.config import Settings
from bot.dashboard.menu import publish_menu_button
from bot.digest import Digest
from bot.features import CommandCatalog, Feature
from bot.feed_fetch import AddressGuard, FeedFetcher
from bot.feeds import FeedJobs
from bot.hot_models import build_hot_models
from bot.i18n import Locales
from bot.intake import Poller, UpdateProcessor
from bot.metrics import Metrics
from bot.middlewares import (
    ContextMiddleware,
    DbSessionMiddleware,
    InjectDependencies,
    PublishPresses,
)
from bot.outbound import OutboundLimits, Outbox
from bot.scheduler import PostScheduler, plan_next, scheduler_runtime
from bot.set_aside import SetAside
from bot.update_leases import UpdateLeases
from bot.web import WebhookEndpoint, build_web_app, database_ready, start_server
from bot.worker import Worker
from composition.goals import GoalsProgress
from core.analytics.hours import GroupDayActivity
from core.analytics.overview import AnalyticsOverview
from core.community.directory import MemberDirectory
from core.community.groups import GroupService
from core.community.members import MemberService
from core.community.settings import COMMUNITY_SETTINGS
from core.engagement.member_events import MemberEventBatcher
from core.events import EventBus
from core.schedule.drafts import PostDrafts
from core.schedule.feeds import FeedService
from core.schedule.firing import PostRunner
from core.schedule.posts import PostService
from core.uow import CommittedUpdates
from handlers import features as all_features
from handlers import register_routers
from handlers.dashboard.rewards import PhotoCache
from storage.db import (
    SessionFactory,
    create_engine,
    create_report_engine,
    create_session_factory,
)
from storage.migrate import upgrade

logger = logging.getLogger(__name__)

# Python's default (700, 10, 10) ran ~480 collections in a burst of 3,000 check-ins, 7-8% of
# the burst's time (updates, tasks and queued replies are young objects that mostly survive
# a batch). Collecting the young generation every 50,000 allocations instead: one collection,
# ~25 ms. Cyclic garbage waits a little longer; memory stays bounded.
GC_THRESHOLDS = (50_000, 20, 100)


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    session_factory: SessionFactory
    bot: Bot
    dispatcher: Dispatcher
    outbox: Outbox
    processor: UpdateProcessor
    scheduler: AsyncIOScheduler
    posts: PostScheduler
    http: httpx.AsyncClient
    feed_http: httpx.AsyncClient
    digest: Digest
    metrics: Metrics
    catalog: CommandCatalog
    # Asked of getUpdates and setWebhook: the types the registered routers handle.
    allowed_updates: list[str]
    # The services handlers take by name (InjectDependencies); tests may replace one here.
    deps: dict[str, Any]
    worker: Worker  # charts and statistics off the event loop (also deps["worker"])
    # Where reports read (SQLite: read-only connections of their own; else the engine).
    report_engine: AsyncEngine | None = None
    # Several processes as one bot: the Redis link (REDIS_URL) and the webhook update leases.
    redis: Any = None
    leases: UpdateLeases | None = None

    def cache_sizes(self) -> dict[str, int]:
        """Entries held by each in-process map that outlives an update (all are bounded)."""
        data = self.deps
        return {
            "group settings": data["groups"].cached_groups(),
            "known users (batcher)": data["batcher"].known_users(),
            "admin verdicts": len(data["admins"]),
            "digest folds": len(self.digest),
            **self.outbox.cache_sizes(),
            **self.processor.cache_sizes(),
        }

    async def close(self) -> None:
        await self.processor.drain(timeout=5.0)  # handlers queuing replies after their commit
        await self.posts.stop()
        campaigns = self.deps.get("campaign_runner")
        if campaigns is not None:  # batches in flight recorded before the outbox stops
            await campaigns.stop()
        await self.outbox.drain(timeout=5.0)
        await self.digest.close()
        await self.outbox.stop()
        prediction = self.deps.get("prediction")
        if prediction is not None:
            await prediction.close()  # its run and its worker process
        await self.worker.close()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await self.http.aclose()
        await self.feed_http.aclose()
        await self.bot.session.close()
        if self.leases is not None:
            await self.leases.close()
        if self.redis is not None:
            await self.redis.close()
        await self.engine.dispose()
        if self.report_engine is not None and self.report_engine is not self.engine:
            await self.report_engine.dispose()


async def create_app(
    settings: Settings,
    *,
    bot_session: BaseSession | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    features: Sequence[Feature] | None = None,
) -> App:
    features = all_features() if features is None else features
    aiogram_speedups.install()  # the same dispatch, less CPU per update (see the module)
    engine = create_engine(settings.database_url)
    await upgrade(engine)
    session_factory = create_session_factory(engine)
    report_engine = create_report_engine(settings.database_url, engine)

    if bot_session is None:
        api = (
            TelegramAPIServer.from_base(settings.telegram_api_url)
            if settings.telegram_api_url
            else None
        )
        bot_session = BotApiSession(api=api) if api else BotApiSession()
    bot = Bot(
        settings.token,
        session=bot_session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )
    locales = Locales()
    groups = GroupService(
        session_factory,
        settings.default_timezone,
        settings.default_language,
        # The community's own settings, then each feature's, in the order /settings shows
        # them; a duplicate key fails here.
        sections=[COMMUNITY_SETTINGS, *(s for f in features for s in f.settings)],
        cache_seconds=settings.settings_cache_seconds,
    )
    members = MemberService(session_factory)
    limits = OutboundLimits(
        global_per_second=settings.outbound_global_per_second,
        group_per_minute=settings.outbound_group_per_minute,
        private_per_second=settings.outbound_private_per_second,
    )
    metrics = Metrics(replica=settings.replica)
    # Several processes of one bot agree through Redis on Telegram's limits and the digest.
    link = await _redis_link(settings, metrics) if settings.redis_url else None
    gate = None
    if link is not None:
        from bot.shared_limits import SharedLimits

        gate = SharedLimits(link, limits, settings.replica)
    outbox = Outbox(
        bot,
        limits,
        on_forbidden=lambda chat_id: members.record_blocked(chat_id, clock()),
        on_event=metrics.telegram_event,
        gate=gate,
    )
    metrics.track_queue(lambda: outbox.depth)
    digest: Any = Digest(outbox, locales)
    if link is not None:
        from bot.shared_digest import SharedDigest

        digest = SharedDigest(outbox, locales, link)
    committed = CommittedUpdates()
    set_aside = SetAside(session_factory, metrics.update_set_aside, clock)
    bus = EventBus()
    scheduler = AsyncIOScheduler(timezone=UTC)
    http = httpx.AsyncClient(timeout=15.0)
    # Scheduled posts: the rows are the schedule; the leader's APScheduler fires them.
    post_service = PostService(plan_next)
    post_runner = PostRunner(session_factory, groups, plan_next, clock=clock, bus=bus)
    # Content feeds: planned and fired by the same leader; fetched by their own client (no
    # proxies from the environment, no kept connections: each fetch goes to a checked address).
    feed_http = httpx.AsyncClient(
        trust_env=False, limits=httpx.Limits(max_keepalive_connections=0)
    )
    guard = AddressGuard(allow_private=settings.feed_allow_private)
    feed_service = FeedService(
        session_factory,
        groups,
        plan_next,
        FeedFetcher(feed_http, guard, max_bytes=settings.feed_max_bytes),
        guard,
        clock=clock,
        bus=bus,
    )
    feed_jobs = FeedJobs(feed_service, outbox, locales)
    post_scheduler = scheduler_runtime(
        scheduler, post_runner, engine, outbox, locales, sources=(feed_jobs,)
    )
    post_service.on_change = post_scheduler.changed
    feed_service.on_change = post_scheduler.changed
    metrics.leader.set_function(lambda: 1 if post_scheduler.is_leader else 0)

    admins = AdminChecker(bot, settings.bot_owner_ids, settings.admin_cache_seconds)
    worker = Worker(idle_seconds=settings.worker_idle_seconds)
    # The services handlers take by name. Injected once a handler matched (InjectDependencies);
    # only what filters need is in the dispatcher's workflow_data.
    deps: dict[str, Any] = dict(
        settings=settings,
        session_factory=session_factory,
        # Reports read here: on SQLite never through the writer's one connection.
        report_sessions=create_session_factory(report_engine),
        scheduler=scheduler,
        http=http,
        outbox=outbox,
        groups=groups,
        settings_catalogue=groups.catalogue,  # the sections above, checked: for /settings
        members=members,
        batcher=MemberEventBatcher(session_factory, groups, committed, bus=bus),
        bus=bus,
        set_aside=set_aside,
        locales=locales,
        admins=admins,
        digest=digest,
        clock=clock,
        posts=post_service,
        post_drafts=PostDrafts(post_service),
        post_runner=post_runner,  # fires occurrences (the scheduler's; tests fire by hand)
        feeds=feed_service,
        feed_jobs=feed_jobs,
        post_scheduler=post_scheduler,  # features' leader-only sweeps (Feature.setup)
        # Charts, statistics (and, later, training) run in this worker process, on demand.
        worker=worker,
        # The weekday x hour activity behind "best time to post" (/schedule's ⭐ times): the
        # analytics' group days (an ActivityMatrixSource, core/schedule/best_time.py).
        activity_matrix=GroupDayActivity(groups),
        bot_username="",  # set at start-up from getMe
        # The dashboard's members table (features add columns and filters in their setup), its
        # overview numbers (the analytics' running totals) and goals (the goals feature's
        # progress and outlook: composition/goals.py).
        directory=MemberDirectory(),
        overview=AnalyticsOverview(),
        dashboard_goals=GoalsProgress(),
        dashboard_photos=PhotoCache(bot),
    )
    dispatcher = Dispatcher(
        disable_fsm=True,  # no conversations kept in FSM; saves a middleware on every update
        admins=admins,  # for the permission filters
    )
    _without_user_context(dispatcher)
    dispatcher.update.outer_middleware(DbSessionMiddleware(session_factory, committed, bus))
    dispatcher.update.outer_middleware(
        ContextMiddleware(locales, groups, settings.default_language, clock)
    )
    inject = InjectDependencies(deps)
    for name, observer in dispatcher.observers.items():
        if name != "update":  # not around the router tree: at the handler that matched
            observer.middleware(inject)
    # A press of the bot's buttons in a group reaches the handler's transaction as an event.
    dispatcher.callback_query.middleware(PublishPresses(bus))
    catalog = register_routers(dispatcher, features)
    deps["catalog"] = catalog
    for feature in features:
        if feature.setup is not None:
            feature.setup(bus, deps)

    scheduler.add_job(
        post_scheduler.leader_only(members.prune_processed_updates),
        "interval",
        hours=6,
        kwargs={"clock": clock, "keep": timedelta(days=3)},
        id="prune-processed-updates",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=3600,
    )
    leases = None
    if settings.bot_mode == "webhook" and engine.dialect.name == "postgresql":
        # Webhook replicas: a copy of an update waits for the process that has it.
        leases = UpdateLeases(engine, on_wait=metrics.lease_waits.inc)
        if link is None:
            logger.warning(
                "webhook mode on PostgreSQL without REDIS_URL: Telegram's limits are counted "
                "by this process alone; set REDIS_URL when running more than one"
            )
    processor = UpdateProcessor(
        dispatcher,
        bot,
        session_factory,
        committed,
        concurrency=settings.update_concurrency,
        observe=metrics.observe_update,
        set_aside=set_aside,
        leases=leases,
    )
    return App(
        settings,
        engine,
        session_factory,
        bot,
        dispatcher,
        outbox,
        processor,
        scheduler,
        post_scheduler,
        http,
        feed_http,
        digest,
        metrics,
        catalog,
        dispatcher.resolve_used_update_types(),
        deps,
        worker,
        report_engine,
        link,
        leases,
    )


async def _redis_link(settings: Settings, metrics: Metrics) -> Any:
    """Connected, or StartupError naming REDIS_URL (redis-py is imported only here)."""
    from bot.redis_link import RedisLink, namespace

    assert settings.redis_url is not None
    return await RedisLink.connect(
        settings.redis_url.get_secret_value(),
        namespace(settings.token, settings.redis_key_prefix),
        on_state=metrics.redis_state,
        on_error=metrics.redis_errors.inc,
    )


def _without_user_context(dispatcher: Dispatcher) -> None:
    """aiogram's UserContextMiddleware adds five keys (event_chat, event_from_user, ...) that
    nothing here reads, and a middleware level, to every update: ContextMiddleware resolves the
    chat and the user for what does need them."""
    manager = dispatcher.update.outer_middleware
    for middleware in list(manager):
        if isinstance(middleware, UserContextMiddleware):
            manager.unregister(middleware)


def ready_for_traffic(app: App) -> None:
    """Build what the first burst would otherwise build, then freeze what start-up built."""
    build_hot_models(app.bot.session)
    freeze_after_start()


def freeze_after_start() -> None:
    """What start-up built (locales, routers, compiled statements) lives as long as the process:
    out of the collector's scans, and the young generation collected less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


async def run_app(settings: Settings, *, stop_event: asyncio.Event | None = None) -> None:
    """Run the bot until stop_event is set (or SIGINT/SIGTERM); finish in-flight work, then exit."""
    stop = stop_event or asyncio.Event()
    _install_signal_handlers(stop)
    app = await create_app(settings)
    web_runner = None
    dashboard_runner = None
    dashboard = None
    try:
        me = await app.bot.get_me()
        app.deps["bot_username"] = me.username or ""
        logger.info("running as @%s (id %s) in %s mode", me.username, me.id, settings.bot_mode)
        await publish_commands(app.bot, app.deps["locales"], app.catalog, settings.bot_owner_ids)
        if settings.dashboard_url:
            from composition.dashboard import build_dashboard

            dashboard = build_dashboard(app)
            text = app.deps["locales"].get(settings.default_language)("dashboard-menu-button")
            await publish_menu_button(app.bot, settings.dashboard_url, text)
        # Start-up objects live for the whole run: keep them out of every cyclic-GC scan.
        ready_for_traffic(app)
        app.outbox.start()
        app.digest.start()  # several processes: takes over digests a killed one left
        app.scheduler.start()
        app.posts.start()  # becomes the leader, or tries every few seconds
        # The dashboard shares the webhook's or the health server when it listens there.
        shared = (
            settings.webhook_listen if settings.bot_mode == "webhook" else settings.health_listen
        )
        listen = settings.dashboard_listen or (
            settings.webhook_listen if settings.bot_mode == "webhook" else None
        )
        if dashboard is not None and listen is None:
            logger.warning("DASHBOARD_URL is set but DASHBOARD_LISTEN is not: nothing serves it")
        if dashboard is not None and listen is not None and listen != shared:
            dashboard_runner = await start_server(
                dashboard.dashboard.build_app(), listen, settings.shutdown_grace_seconds
            )
            logger.info("dashboard at %s, listening on %s", settings.dashboard_url, listen)
        along = dashboard if dashboard is not None and listen == shared else None
        if settings.bot_mode == "webhook":
            web_runner = await _start_webhook(app, settings, along)
            await stop.wait()
            logger.info("stopping: finishing in-flight webhook requests")
            await web_runner.cleanup()  # stops accepting; waits for handlers up to the grace time
            web_runner = None
        else:
            await app.bot.delete_webhook(drop_pending_updates=False)
            if settings.health_listen:
                health = build_web_app(metrics=app.metrics, ready=lambda: _dependencies_ready(app))
                if along is not None:
                    along.dashboard.mount(health)
                web_runner = await start_server(
                    health, settings.health_listen, settings.shutdown_grace_seconds
                )
            await _poll(app, settings, stop)
    finally:
        if web_runner is not None:
            await web_runner.cleanup()
        if dashboard_runner is not None:
            await dashboard_runner.cleanup()
        if dashboard is not None:
            await dashboard.close()
        await app.close()
        logger.info("stopped")


async def _dependencies_ready(app: App) -> bool:
    """The database answers, and Redis when the bot uses it (sends wait without it)."""
    if not await database_ready(app.engine):
        return False
    return app.redis is None or await app.redis.ping()


async def _start_webhook(app: App, settings: Settings, dashboard=None):  # type: ignore[no-untyped-def]
    assert settings.webhook_url and settings.webhook_secret
    secret = settings.webhook_secret.get_secret_value()
    state = {"webhook_set": False}

    async def ready() -> bool:
        return state["webhook_set"] and await _dependencies_ready(app)

    web_app = build_web_app(
        metrics=app.metrics,
        ready=ready,
        webhook=WebhookEndpoint(app.bot, app.processor, secret),
        webhook_path=settings.webhook_path,
    )
    if dashboard is not None:  # under DASHBOARD_URL's path, behind the same TLS front
        dashboard.dashboard.mount(web_app)
    runner = await start_server(web_app, settings.webhook_listen, settings.shutdown_grace_seconds)
    await app.bot.set_webhook(
        settings.webhook_url,
        secret_token=secret,
        allowed_updates=app.allowed_updates,
        max_connections=settings.webhook_max_connections,
        drop_pending_updates=False,
    )
    state["webhook_set"] = True
    logger.info(
        "webhook set to %s, listening on %s", settings.webhook_url, settings.webhook_listen
    )
    return runner


async def _poll(app: App, settings: Settings, stop: asyncio.Event) -> None:
    poller = Poller(
        app.bot, app.processor, allowed_updates=app.allowed_updates, timeout=settings.poll_timeout
    )
    polling = asyncio.create_task(poller.run(stop), name="polling")
    stopper = asyncio.create_task(stop.wait())
    await asyncio.wait({polling, stopper}, return_when=asyncio.FIRST_COMPLETED)
    if polling.done():
        stopper.cancel()
        polling.result()  # re-raise a fatal error (bad token, second poller)
        return
    logger.info(
        "stopping: finishing in-flight updates (up to %.0fs)", settings.shutdown_grace_seconds
    )
    try:
        await asyncio.wait_for(asyncio.shield(polling), settings.shutdown_grace_seconds)
    except TimeoutError:
        logger.warning("in-flight updates did not finish in time; they will be redelivered")
        polling.cancel()
        await asyncio.gather(polling, return_exceptions=True)


def _install_signal_handlers(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError, ValueError):
            pass
