"""/settings: administrators see the group's settings with buttons, or type `/settings <key> <value>`."""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.methods import AnswerCallbackQuery, EditMessageText
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.features import CommandSpec, Feature, Role
from bot.filters import InGroup, IsGroupAdmin, NotGroupAdmin
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import clip, plain, reply
from core.community.group_settings import (
    SETTING_CHOICES,
    SETTINGS,
    GroupSettings,
    resolve_key,
    setting_value,
)
from core.community.groups import GroupService
from core.errors import NotAdmin
from core.uow import UnitOfWork
from handlers.common import actor_id, command_args


class SettingsButton(CallbackData, prefix="st"):
    action: str  # show | pick | set | close
    key: str = ""
    choice: int = -1  # index into SETTING_CHOICES[key]: values may contain ":" (milestones)


def _shown(t: Translator, key: str, value: object) -> str:
    return t(f"settings-value-{key}", value=str(value))


def overview(t: Translator, group: GroupSettings, notice: str = "") -> str:
    lines = [notice, ""] if notice else []
    lines.append(t("settings-title", title=group.title or str(group.group_id)))
    for key in SETTINGS:
        lines.append(
            t(
                "settings-line",
                label=t(f"settings-label-{key}"),
                value=_shown(t, key, setting_value(group, key)),
            )
        )
    lines += ["", t("settings-how", keys=", ".join(SETTINGS))]
    return "\n".join(lines)


def overview_keyboard(t: Translator) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            text=t(f"settings-label-{key}"),
            callback_data=SettingsButton(action="pick", key=key).pack(),
        )
        for key in SETTINGS
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append(
        [
            InlineKeyboardButton(
                text=t("settings-done"), callback_data=SettingsButton(action="close").pack()
            )
        ]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def choices_text(t: Translator, group: GroupSettings, key: str) -> str:
    return t(
        "settings-choose",
        label=t(f"settings-label-{key}"),
        value=_shown(t, key, setting_value(group, key)),
        key=key,
        example=SETTING_CHOICES[key][0],
    )


def choices_keyboard(t: Translator, group: GroupSettings, key: str) -> InlineKeyboardMarkup:
    current = str(setting_value(group, key))
    buttons = [
        InlineKeyboardButton(
            text=("✓ " if value == current else "") + _shown(t, key, value),
            callback_data=SettingsButton(action="set", key=key, choice=i).pack(),
        )
        for i, value in enumerate(SETTING_CHOICES[key])
    ]
    width = 1 if key == "milestones" else 2
    rows = [buttons[i : i + width] for i in range(0, len(buttons), width)]
    rows.append(
        [
            InlineKeyboardButton(
                text=t("settings-back"), callback_data=SettingsButton(action="show").pack()
            )
        ]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def cmd_settings(
    message: Message,
    uow: UnitOfWork,
    group: GroupSettings,
    groups: GroupService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    assert message.from_user is not None
    args = command_args(message.text)
    if not args:
        reply(
            outbox,
            message,
            overview(t, group),
            markup=overview_keyboard(t),
            priority=Priority.HIGH,
        )
        return
    key = resolve_key(args[0])
    if len(args) == 1:
        reply(
            outbox,
            message,
            choices_text(t, group, key),
            markup=choices_keyboard(t, group, key),
            priority=Priority.HIGH,
        )
        return
    key, changed = await groups.change(
        uow, group.group_id, actor_id(message), key, " ".join(args[1:]), event_at
    )
    label = t(f"settings-label-{key}")
    reply(
        outbox,
        message,
        t("settings-changed", label=label, value=_shown(t, key, setting_value(changed, key))),
        priority=Priority.HIGH,
    )


async def on_button(
    query: CallbackQuery,
    callback_data: SettingsButton,
    uow: UnitOfWork,
    group: GroupSettings,
    groups: GroupService,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    chat_id = group.group_id
    notice = ""
    action, key = callback_data.action, callback_data.key
    if action in ("pick", "set") and key not in SETTING_CHOICES:
        action = "show"
    if action == "set":
        choices = SETTING_CHOICES[key]
        if not 0 <= callback_data.choice < len(choices):
            action = "show"
        else:
            key, group = await groups.change(
                uow, chat_id, query.from_user.id, key, choices[callback_data.choice], event_at
            )
            notice = t(
                "settings-changed",
                label=t(f"settings-label-{key}"),
                value=_shown(t, key, setting_value(group, key)),
            )
    if action == "pick":
        text, markup = choices_text(t, group, key), choices_keyboard(t, group, key)
    elif action == "close":
        text, markup = overview(t, group), None
    else:
        text, markup = overview(t, group, notice), overview_keyboard(t)
    if query.message is not None:
        outbox.send(
            chat_id,
            EditMessageText(
                chat_id=chat_id,
                message_id=query.message.message_id,
                text=clip(text),
                reply_markup=markup,
            ),
            priority=Priority.HIGH,
            counts_as_message=False,
        )
    outbox.send(
        chat_id,
        AnswerCallbackQuery(callback_query_id=query.id, text=plain(notice)[:200] or None),
        priority=Priority.HIGH,
        counts_as_message=False,
    )


async def refuse(query: CallbackQuery) -> None:
    raise NotAdmin()


def router() -> list[Router]:
    r = Router(name="settings")
    r.message.filter(InGroup())
    r.callback_query.filter(InGroup())
    r.message.register(cmd_settings, SETTINGS_COMMAND.filter(), IsGroupAdmin())
    r.callback_query.register(on_button, SettingsButton.filter(), IsGroupAdmin())
    r.callback_query.register(refuse, SettingsButton.filter(), NotGroupAdmin())
    return [r]


SETTINGS_COMMAND = CommandSpec("settings", role=Role.ADMIN)


def feature() -> Feature:
    return Feature("settings", router, commands=(SETTINGS_COMMAND,))
