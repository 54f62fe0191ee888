"""All routers, composed in one place. Order matters: specific handlers first, catch-alls last."""

from __future__ import annotations

from aiogram import Dispatcher

from bot.middlewares import TrackAuthorMiddleware
from handlers import errors, wrong_chat
from handlers.community import export, group_lifecycle, help, settings
from handlers.engagement import activity, admin_points, checkin, leaderboard, profile


def register_routers(dispatcher: Dispatcher) -> None:
    """Feature routers hang directly off the dispatcher: every level adds cost to each update."""
    errors.register(dispatcher)  # domain errors become friendly replies, the rest are logged
    command_routers = [
        help.router(),  # /start, /help
        profile.router(),  # /me
        leaderboard.router(),  # /top
        admin_points.router(),  # /grant, /deduct (admins)
        settings.router(),  # /settings (admins)
        export.router(),  # /export (admins)
    ]
    dispatcher.include_routers(
        checkin.router(),  # /checkin, 签到, 打卡 (first: the busiest path)
        group_lifecycle.router(),  # bot added/removed, joins and leaves
        *command_routers,  # members who use them are tracked as present
        wrong_chat.router(),  # group commands sent in private, unknown commands
        activity.router(),  # every other group message: tracking and activity points (last)
    )
    for router in command_routers:
        router.message.middleware(TrackAuthorMiddleware())
