"""The test suite. `bot` is imported first, as in the bot process: importing `aiogram.types`
before it builds all ~900 Telegram types at once (bot/lazy_models.py), 5 s per process on a
slow machine: every pytest worker and every test program paid it."""

import bot  # noqa: F401
