"""/start and /help: what the caller may do here, in their language, from the declarations."""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.enums import ChatType
from aiogram.filters import CommandStart
from aiogram.types import Message

from bot.admins import AdminChecker
from bot.features import Area, CommandCatalog, CommandSpec, Feature, Role, Where
from bot.filters import InGroup, InPrivate
from bot.i18n import Translator
from bot.outbound import Outbox, Priority
from bot.replies import reply
from bot.update_parts import is_anonymous_admin
from core.community.members import MemberService, user_row
from core.uow import UnitOfWork


def command_line(t: Translator, spec: CommandSpec) -> str:
    usage = f"help-{spec.name}"
    if t.has(usage):
        return f"/{spec.name} {t(usage)}"
    return f"/{spec.name} — {t(f'cmd-{spec.name}')}"


def section(t: Translator, title_key: str, specs: list[CommandSpec]) -> list[str]:
    return [t(title_key), *(command_line(t, spec) for spec in specs)] if specs else []


def group_help(t: Translator, catalog: CommandCatalog, roles: set[Role]) -> str:
    lines = section(t, "help-title-member", catalog.visible(Where.GROUP, {Role.MEMBER}))
    lines += [t(key) for key in catalog.help_notes()]
    for role, title in ((Role.ADMIN, "help-title-admin"), (Role.OWNER, "help-title-owner")):
        if role in roles:
            specs = [s for s in catalog.visible(Where.GROUP, {role}) if s.role == role]
            lines += ["", *section(t, title, specs)] if specs else []
    return "\n".join(lines)


def private_help(t: Translator, catalog: CommandCatalog, roles: set[Role]) -> str:
    lines = section(t, "help-title-private", catalog.visible(Where.PRIVATE, roles))
    in_group = catalog.visible(Where.GROUP, {Role.MEMBER}, menu=True)
    lines += ["", t("help-in-group", commands=", ".join(f"/{s.name}" for s in in_group))]
    return "\n".join(lines)


async def cmd_start(
    message: Message,
    uow: UnitOfWork,
    members: MemberService,
    admins: AdminChecker,
    catalog: CommandCatalog,
    event_at: datetime,
    t: Translator,
    outbox: Outbox,
) -> None:
    user = message.from_user
    assert user is not None
    await members.record_started(
        uow, user_row(user.id, user.username, user.full_name, user.language_code), event_at
    )
    roles = {Role.MEMBER, Role.OWNER} if admins.is_owner(user.id) else {Role.MEMBER}
    text = t("start", name=user.full_name) + "\n\n" + private_help(t, catalog, roles)
    reply(outbox, message, text)


async def cmd_help(
    message: Message,
    admins: AdminChecker,
    catalog: CommandCatalog,
    t: Translator,
    outbox: Outbox,
) -> None:
    assert message.from_user is not None
    user_id = message.from_user.id
    owner = admins.is_owner(user_id)
    if message.chat.type == ChatType.PRIVATE:
        roles = {Role.MEMBER, Role.OWNER} if owner else {Role.MEMBER}
        reply(outbox, message, private_help(t, catalog, roles))
        return
    roles = {Role.MEMBER}
    if is_anonymous_admin(message) or await admins.is_admin(message.chat.id, user_id):
        roles.add(Role.ADMIN)
    if owner:
        roles.add(Role.OWNER)
    text = group_help(t, catalog, roles)
    reply(outbox, message, text, priority=Priority.HIGH if Role.ADMIN in roles else None)


def router() -> list[Router]:
    r = Router(name="help")
    r.message.register(cmd_start, CommandStart(), InPrivate())
    r.message.register(cmd_help, HELP.filter())
    r.message.register(cmd_help, CommandStart(), InGroup())  # /start in a group: same as /help
    return [r]


START = CommandSpec("start", where=Where.PRIVATE, area=Area.BASICS)
HELP = CommandSpec("help", where=Where.ANY, area=Area.BASICS)


def feature() -> Feature:
    return Feature("help", router, commands=(START, HELP))
