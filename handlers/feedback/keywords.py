"""`/feedback keywords` (group admins, in the group): the keyword lists that propose a
category; `/feedback keywords <category> add|remove <words>`, `... <category> reset`."""

from __future__ import annotations

import html
from datetime import datetime

from aiogram.types import Message

from bot.admins import AdminChecker
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import reply
from core.errors import UnknownSubcommand
from core.feedback import keywords, rules
from core.uow import UnitOfWork
from handlers.feedback import render

ACTIONS = ("add", "remove", "reset")
ACTION_NAMES = {"add": "add", "添加": "add", "remove": "remove", "删除": "remove"}
ACTION_NAMES |= {"reset": "reset", "重置": "reset", "del": "remove", "rm": "remove"}


def listing(t: Translator, lists: dict[str, tuple[str, ...]], own: set[str]) -> str:
    lines = [t("feedback-keywords-title"), ""]
    for category in keywords.EDITABLE:
        words = ", ".join(html.escape(w) for w in lists[category]) or "—"
        source = t("feedback-keywords-own" if category in own else "feedback-keywords-default")
        lines.append(
            t(
                "feedback-keywords-line",
                category=render.category_label(t, category),
                source=source,
                words=words,
            )
        )
    lines += ["", t("feedback-keywords-usage")]
    return "\n".join(lines)


async def handle(
    message: Message,
    uow: UnitOfWork,
    group_id: int,
    body: str,
    admins: AdminChecker,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    """body: what follows `/feedback keywords`."""
    user = message.from_user
    assert user is not None
    if not await admins.is_admin(group_id, user.id):
        raise rules.NotManager()
    parts = body.split(maxsplit=2)
    if not parts:
        lists = await keywords.of_group(uow, group_id)
        own = await keywords.own_categories(uow, group_id)
        reply(outbox, message, listing(t, lists, own), priority=Priority.HIGH)
        return
    category = keywords.category_of(parts[0])
    action = ACTION_NAMES.get(parts[1].lower()) if len(parts) > 1 else None
    if action is None:
        word = parts[1][:32] if len(parts) > 1 else ""
        raise UnknownSubcommand(word=word, options=", ".join(ACTIONS))
    label = render.category_label(t, category)
    if action == "reset":
        result = await keywords.reset(uow, group_id, category, user.id, event_at)
        key = "feedback-keywords-reset"
    else:
        words = keywords.parse_words(parts[2] if len(parts) > 2 else "")
        result = await keywords.edit(uow, group_id, category, action, words, user.id, event_at)
        key = "feedback-keywords-saved"
    shown = ", ".join(html.escape(w) for w in result) or "—"
    reply(
        outbox,
        message,
        t(key, category=label, count=len(result), words=shown),
        priority=Priority.HIGH,
    )
