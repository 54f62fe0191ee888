"""The composition root: builds the application from the runtime (bot/), the features
(handlers/) and the storage, and chooses what `python -m bot` starts (the bot, the sandbox,
migrations). It sits above every other package; nothing below imports it."""

import bot  # noqa: F401  (first: aiogram's Telegram types stay unbuilt until used; bot/lazy_models)
