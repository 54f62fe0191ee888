"""A Telegram Bot API emulator (aiohttp on 127.0.0.1) for end-to-end tests and the sandbox."""

from devtools.emulator.faults import RateLimits
from devtools.emulator.server import BotAPIEmulator
from devtools.emulator.world import SentMessage

__all__ = ["BotAPIEmulator", "RateLimits", "SentMessage"]
