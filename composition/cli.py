"""`python -m bot [run|sandbox|migrate]`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from dotenv import load_dotenv
from pydantic import ValidationError

from bot.config import Settings, StartupError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Community-operations bot")
    parser.add_argument(
        "command",
        nargs="?",
        choices=["run", "sandbox", "migrate"],
        help="run (default; the sandbox when BOT_TOKEN is unset), sandbox, migrate",
    )
    args = parser.parse_args(argv)
    load_dotenv()
    try:
        settings = Settings()
    except ValidationError as exc:
        print(f"Configuration error:\n{exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
    command = args.command or ("run" if settings.bot_token else "sandbox")
    if command == "migrate":
        from bot.migrate_cli import migrate

        asyncio.run(migrate(settings))
        return 0
    if command == "sandbox":
        from composition.app import run_app
        from devtools.sandbox import run_sandbox

        asyncio.run(run_sandbox(settings, run_app))
        return 0
    if settings.bot_token is None:
        print(
            "BOT_TOKEN is not set (see .env.example), or use `python -m bot sandbox`.",
            file=sys.stderr,
        )
        return 2
    from composition.app import run_app

    try:
        asyncio.run(run_app(settings))
    except StartupError as exc:
        logging.getLogger("bot").error("%s", exc)
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 3
    return 0
