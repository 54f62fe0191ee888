"""The bot as a process for the end-to-end tests (shared with bench/)."""

from devtools.bot_process import BOT_ID, ROOT, TOKEN, BotProcess, free_port

__all__ = ["BOT_ID", "ROOT", "TOKEN", "BotProcess", "free_port"]
