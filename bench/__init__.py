"""Benchmarks (python -m bench). The bot package first, as in `python -m bot`: aiogram's
unused types stay unbuilt (bot/lazy_models.py)."""

import bot  # noqa: F401
