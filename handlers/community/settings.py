"""/settings: administrators see the group's settings with buttons, or type `/settings <key> <value>`."""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.methods import AnswerCallbackQuery
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.features import Area, CommandSpec, Feature, Role
from bot.filters import InGroup, IsGroupAdmin, NotGroupAdmin
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import edit_pressed, plain, reply
from core.community.group_settings import GroupSettings
from core.community.groups import GroupService
from core.errors import NotAdmin
from core.settings import SettingsCatalogue, SettingSpec
from core.uow import UnitOfWork
from handlers.common import actor_id, command_args

WIDE_CHOICE = 20  # choices shown longer than this get a row each


class SettingsButton(CallbackData, prefix="st"):
    action: str  # show | pick | set | close
    key: str = ""
    choice: int = -1  # index into the spec's choices: values may contain ":" (milestones)


def _shown(t: Translator, key: str, value: str) -> str:
    return t(f"settings-value-{key}", value=value)


def _current(group: GroupSettings, spec: SettingSpec) -> str:
    return spec.text(group.value(spec.key))


def overview(
    t: Translator, catalogue: SettingsCatalogue, group: GroupSettings, notice: str = ""
) -> str:
    lines = [notice, ""] if notice else []
    lines.append(t("settings-title", title=group.title or str(group.group_id)))
    for section in catalogue.sections:
        if not section.specs:
            continue
        lines += ["", t(f"settings-section-{section.name}")]
        for spec in section.specs:
            lines.append(
                t(
                    "settings-line",
                    label=t(f"settings-label-{spec.key}"),
                    value=_shown(t, spec.key, _current(group, spec)),
                )
            )
    lines += ["", t("settings-how", keys=", ".join(catalogue.keys))]
    return "\n".join(lines)


def overview_keyboard(t: Translator, catalogue: SettingsCatalogue) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = []
    for section in catalogue.sections:  # a section's buttons never share a row with another's
        buttons = [
            InlineKeyboardButton(
                text=t(f"settings-label-{spec.key}"),
                callback_data=SettingsButton(action="pick", key=spec.key).pack(),
            )
            for spec in section.specs
        ]
        rows += [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append(
        [
            InlineKeyboardButton(
                text=t("settings-done"), callback_data=SettingsButton(action="close").pack()
            )
        ]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def choices_text(t: Translator, group: GroupSettings, spec: SettingSpec) -> str:
    current = _current(group, spec)
    return t(
        "settings-choose",
        label=t(f"settings-label-{spec.key}"),
        value=_shown(t, spec.key, current),
        key=spec.key,
        example=spec.choices[0] if spec.choices else current,
    )


def choices_keyboard(
    t: Translator, group: GroupSettings, spec: SettingSpec
) -> InlineKeyboardMarkup:
    current = _current(group, spec)
    shown = [_shown(t, spec.key, value) for value in spec.choices]
    buttons = [
        InlineKeyboardButton(
            text=("✓ " if value == current else "") + label,
            callback_data=SettingsButton(action="set", key=spec.key, choice=i).pack(),
        )
        for i, (value, label) in enumerate(zip(spec.choices, shown, strict=True))
    ]
    width = 1 if any(len(label) > WIDE_CHOICE for label in shown) else 2
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
    settings_catalogue: SettingsCatalogue,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    assert message.from_user is not None
    catalogue = settings_catalogue
    args = command_args(message.text)
    if not args:
        reply(
            outbox,
            message,
            overview(t, catalogue, group),
            markup=overview_keyboard(t, catalogue),
            priority=Priority.HIGH,
        )
        return
    spec = catalogue.resolve(args[0])
    if len(args) == 1:
        reply(
            outbox,
            message,
            choices_text(t, group, spec),
            markup=choices_keyboard(t, group, spec),
            priority=Priority.HIGH,
        )
        return
    key, changed = await groups.change(
        uow, group.group_id, actor_id(message), spec.key, " ".join(args[1:]), event_at
    )
    reply(outbox, message, _saved(t, catalogue.spec(key), changed), priority=Priority.HIGH)


def _saved(t: Translator, spec: SettingSpec, group: GroupSettings) -> str:
    return t(
        "settings-changed",
        label=t(f"settings-label-{spec.key}"),
        value=_shown(t, spec.key, _current(group, spec)),
    )


async def on_button(
    query: CallbackQuery,
    callback_data: SettingsButton,
    uow: UnitOfWork,
    group: GroupSettings,
    groups: GroupService,
    settings_catalogue: SettingsCatalogue,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    catalogue = settings_catalogue
    chat_id = group.group_id
    notice = ""
    action = callback_data.action
    spec = catalogue.spec(callback_data.key) if callback_data.key in catalogue else None
    if spec is None or (action == "set" and not 0 <= callback_data.choice < len(spec.choices)):
        action = "show" if action in ("pick", "set") else action  # an old or forged button
    if action == "set" and spec is not None:
        key, group = await groups.change(
            uow,
            chat_id,
            query.from_user.id,
            spec.key,
            spec.choices[callback_data.choice],
            event_at,
        )
        notice = _saved(t, catalogue.spec(key), group)
        action = "show"
    if action == "pick" and spec is not None:
        text, markup = choices_text(t, group, spec), choices_keyboard(t, group, spec)
    elif action == "close":
        text, markup = overview(t, catalogue, group), None
    else:
        text, markup = overview(t, catalogue, group, notice), overview_keyboard(t, catalogue)
    edit_pressed(outbox, query, text, markup, event_at)
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
    r.message.register(cmd_settings, SETTINGS_COMMAND.filter())
    r.callback_query.register(on_button, SettingsButton.filter(), IsGroupAdmin())
    r.callback_query.register(refuse, SettingsButton.filter(), NotGroupAdmin())
    return [r]


SETTINGS_COMMAND = CommandSpec("settings", role=Role.ADMIN, area=Area.SETTINGS)


def feature() -> Feature:
    return Feature("settings", router, commands=(SETTINGS_COMMAND,))
