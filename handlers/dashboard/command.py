"""/dashboard (in private): a Mini App button for each group the person administers. In a group
the derived wrong-chat answer says to use it in private (Telegram allows web-app buttons in
private chats only)."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message, WebAppInfo

from bot.admins import AdminChecker
from bot.config import Settings
from bot.features import Area, CommandSpec, Feature, Where
from bot.filters import InPrivate
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import reply
from core.community import managed
from core.text import shorten
from core.uow import UnitOfWork

MAX_BUTTONS = 20


def group_url(base: str, group_id: int) -> str:
    return f"{base}{'&' if '?' in base else '?'}group={group_id}"


async def cmd_dashboard(
    message: Message,
    uow: UnitOfWork,
    admins: AdminChecker,
    settings: Settings,
    t: Translator,
    outbox: Outbox,
) -> None:
    assert message.from_user is not None
    user_id = message.from_user.id
    url = settings.dashboard_url
    if not url:
        reply(outbox, message, t("dashboard-off"), priority=Priority.HIGH)
        return
    candidates = await managed.candidate_groups(uow, user_id, admins.is_owner(user_id))
    mine = [(g, title) for g, title in candidates if await admins.is_admin(g, user_id)]
    if not mine:
        reply(outbox, message, t("dashboard-none"), priority=Priority.HIGH)
        return
    rows = [
        [
            InlineKeyboardButton(
                text="📊 " + shorten(title, 40), web_app=WebAppInfo(url=group_url(url, group_id))
            )
        ]
        for group_id, title in mine[:MAX_BUTTONS]
    ]
    reply(
        outbox,
        message,
        t("dashboard-pick", count=len(mine)),
        markup=InlineKeyboardMarkup(inline_keyboard=rows),
        priority=Priority.HIGH,
    )


def router() -> list[Router]:
    r = Router(name="dashboard")
    r.message.register(cmd_dashboard, DASHBOARD.filter(), InPrivate())
    return [r]


DASHBOARD = CommandSpec("dashboard", where=Where.PRIVATE, area=Area.DASHBOARD)


def feature() -> Feature:
    return Feature("dashboard", router, commands=(DASHBOARD,))
