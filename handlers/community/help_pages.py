"""What /help shows, from the command declarations: a member's short list, a manager's index
of areas, one area's commands with an example each, one command in detail.

Everything is derived: a feature that declares `CommandSpec(..., area=Area.NUMBERS)` with its
`cmd-`, `example-` (and optionally `help-`) locale keys appears on its area's page, and the
area's button appears in the index once it has a command.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.features import Area, CommandCatalog, CommandSpec, Role, Where
from bot.i18n import LANGUAGES, Locales, Translator

INDEX = ""  # HelpPage.area of the index
BUTTONS_PER_ROW = 2


class HelpPage(CallbackData, prefix="hp"):
    area: str  # an Area, or INDEX
    user: int  # who asked: only they turn the pages of their /help


def command_line(t: Translator, spec: CommandSpec, where: Where | None = None) -> str:
    """`/name — what it does`, noting where it works when that is not where it is read."""
    line = f"/{spec.name} — {t(f'cmd-{spec.name}')}"
    if where is not None and not spec.works_in(where):
        line += " " + t("help-only-private" if spec.where == Where.PRIVATE else "help-only-group")
    return line


def _footer(t: Translator, specs: list[CommandSpec]) -> list[str]:
    """How to read one of these commands in detail (with one of them as the example)."""
    with_details = [spec for spec in specs if t.has(f"help-{spec.name}")]
    return [t("help-more", command=with_details[0].name)] if with_details else []


def member_help(t: Translator, catalog: CommandCatalog) -> str:
    """A member's /help in a group: their commands, one line each, and the features' notes."""
    specs = catalog.visible(Where.GROUP, {Role.MEMBER})
    lines = [t("help-title-member"), *(command_line(t, spec) for spec in specs)]
    lines += [t(key) for key in catalog.help_notes()]
    return "\n".join([*lines, *_footer(t, specs)])


def private_help(t: Translator, catalog: CommandCatalog, roles: set[Role]) -> str:
    """In private: what members (and owners) do here; every area is on the buttons below."""
    roles = roles - {Role.ADMIN}
    lines = [t("help-title-private")]
    lines += [command_line(t, spec) for spec in catalog.visible(Where.PRIVATE, roles)]
    in_group = catalog.visible(Where.GROUP, {Role.MEMBER}, menu=True)
    lines += ["", t("help-in-group", commands=", ".join(f"/{s.name}" for s in in_group))]
    lines += ["", t("help-by-area")]
    return "\n".join(lines)


def index_text(t: Translator) -> str:
    return "\n".join((t("help-title-index"), t("help-index")))


def area_title(t: Translator, area: Area) -> str:
    return t(f"help-area-{area.value}")


def index_keyboard(
    t: Translator, catalog: CommandCatalog, roles: set[Role], user_id: int
) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            text=area_title(t, area), callback_data=HelpPage(area=area, user=user_id).pack()
        )
        for area in catalog.areas(roles)
    ]
    rows = [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def back_keyboard(t: Translator, user_id: int) -> InlineKeyboardMarkup:
    back = InlineKeyboardButton(
        text=t("help-back"), callback_data=HelpPage(area=INDEX, user=user_id).pack()
    )
    return InlineKeyboardMarkup(inline_keyboard=[[back]])


def _with_example(t: Translator, spec: CommandSpec, where: Where) -> list[str]:
    return [command_line(t, spec, where), f"<code>{t(f'example-{spec.name}')}</code>"]


def area_page(
    t: Translator, catalog: CommandCatalog, area: Area, roles: set[Role], where: Where
) -> str:
    """The area's commands these roles may use, members' first, each with one example."""
    lines = [f"<b>{area_title(t, area)}</b>"]
    shown: list[CommandSpec] = []
    for role, heading in (
        (Role.MEMBER, None),
        (Role.ADMIN, "help-for-admins"),
        (Role.OWNER, "help-for-owners"),
    ):
        specs = catalog.in_area(area, {role}) if role in roles else []
        if not specs:
            continue
        if heading is not None:
            lines += ["", t(heading)] if len(lines) > 1 else [t(heading)]
        for spec in specs:
            lines += _with_example(t, spec, where)
        shown += specs
    if area == Area.POINTS:  # how else members earn points (the features' notes)
        lines += ["", *(t(key) for key in catalog.help_notes())]
    footer = _footer(t, shown)
    return "\n".join([*lines, "", *footer] if footer else lines)


def command_page(t: Translator, spec: CommandSpec) -> str:
    """One command in detail: what it does, its usage (`help-<name>`, if any) and an example."""
    lines = [f"<b>/{spec.name}</b> — {t(f'cmd-{spec.name}')}"]
    if t.has(f"help-{spec.name}"):
        lines.append(f"/{spec.name} {t(f'help-{spec.name}')}")
    lines.append(f"{t('help-example')}<code>{t(f'example-{spec.name}')}</code>")
    if spec.role != Role.MEMBER:
        lines.append(t("help-who-admin" if spec.role == Role.ADMIN else "help-who-owner"))
    return "\n".join(lines)


def area_names(locales: Locales, area: Area) -> set[str]:
    """What people may type after /help for an area, in every language."""
    names = {area.value}
    for language in LANGUAGES:
        t = locales.get(language)
        names |= {word.strip().lower() for word in t(f"help-area-{area.value}-names").split(",")}
    return names - {""}


def find_topic(
    locales: Locales, catalog: CommandCatalog, words: list[str]
) -> Area | CommandSpec | None:
    """`/help <area>` (in either language), else `/help <command>`."""
    topic = " ".join(words).strip().lower().lstrip("/")
    if not topic:
        return None
    for area in Area:
        if topic in area_names(locales, area):
            return area
    return catalog.get(topic.split("@")[0])
