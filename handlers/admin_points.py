"""Placeholder router; filled in by its feature."""

from aiogram import Router


def router() -> Router:
    return Router(name="admin_points")
