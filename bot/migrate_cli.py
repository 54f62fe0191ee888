"""`python -m bot migrate`: apply the schema migrations and exit."""

from __future__ import annotations

import logging

from bot.config import Settings
from storage.db import create_engine
from storage.migrate import upgrade

logger = logging.getLogger(__name__)


async def migrate(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        logger.info("database is at the latest schema")
    finally:
        await engine.dispose()
