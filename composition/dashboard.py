"""The dashboard wired to a running app: its pages, its own read connections, and where it is
served (its own server in polling mode, or the webhook's server under DASHBOARD_URL's path)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.dashboard.server import Dashboard
from handlers.dashboard import pages
from storage.db import SessionFactory, create_engine, create_session_factory

STATIC_DIR = Path(__file__).resolve().parents[1] / "handlers" / "dashboard" / "static"
READ_POOL = 2  # PostgreSQL connections for the dashboard's reads (the bot keeps its own)


class RunningApp(Protocol):
    """What the dashboard takes of composition.app.App (named here, so that this module, which
    the app imports, does not import it back)."""

    settings: Settings
    deps: dict[str, Any]
    session_factory: SessionFactory


@dataclass
class DashboardRuntime:
    dashboard: Dashboard
    reads: AsyncEngine

    async def close(self) -> None:
        await self.reads.dispose()


def build_dashboard(app: RunningApp) -> DashboardRuntime:
    settings = app.settings
    assert settings.dashboard_url
    reads = create_engine(settings.database_url, pool_size=READ_POOL)
    dashboard = Dashboard(
        bot_token=settings.token,
        public_url=settings.dashboard_url,
        pages=pages(),
        static_dir=STATIC_DIR,
        deps=app.deps,
        locales=app.deps["locales"],
        admins=app.deps["admins"],
        groups=app.deps["groups"],
        writes=app.session_factory,
        reads=create_session_factory(reads),
        default_language=settings.default_language,
        init_data_max_age=settings.dashboard_init_data_max_age,
        session_seconds=settings.dashboard_session_seconds,
        clock=app.deps["clock"],
    )
    return DashboardRuntime(dashboard, reads)


def mount(runtime: DashboardRuntime, web_app: web.Application) -> None:
    runtime.dashboard.mount(web_app)
