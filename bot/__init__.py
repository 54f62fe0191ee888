"""The bot's runtime. Importing it first keeps aiogram's unused types unbuilt (lazy_models)."""

from bot.lazy_models import install as _install_lazy_models

_install_lazy_models()
