"""Who may use a command comes from its declaration, checked after the command matched.

A router that checked the person first (a router filter, or IsGroupAdmin before the command)
would ask Telegram (getChatMember) for every group message that reaches it: the walk below
fails on any such router, and the filter is shown never to ask about other messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import FilterObject
from aiogram.types import Message

from bot.features import CommandCatalog, CommandSpec, DeclaredCommand, Role, Where
from bot.filters import InGroup, InPrivate, IsGroupAdmin
from handlers import features, wrong_chat
from tests import factories as f

ADMIN, MEMBER, OWNER = 1001, 1002, 42
SCOPES = (InGroup, InPrivate)  # cheap, but they select nothing: a person check after them alone
# runs for every message of that kind of chat


class CountingAdmins:
    """AdminChecker's interface; counts what would be getChatMember calls."""

    def __init__(self) -> None:
        self.asked: list[tuple[int, int]] = []

    def is_owner(self, user_id: int) -> bool:
        return user_id == OWNER

    async def is_admin(self, chat_id: int, user_id: int) -> bool:
        self.asked.append((chat_id, user_id))
        return user_id in (ADMIN, OWNER)


def _asks_about_the_person(item: FilterObject) -> bool:
    """A filter that takes the admin checker (may ask Telegram), unless it is a declared
    command's own filter, which matches the command before it asks."""
    return "admins" in item.params and not isinstance(item.callback, DeclaredCommand)


def person_first(routers: Iterable[Router]) -> list[str]:
    """Every handler (or router) that could check the person before what it handles."""
    found: list[str] = []
    for router in routers:
        for name, observer in router.observers.items():
            if any(_asks_about_the_person(item) for item in observer._handler.filters or []):
                found.append(f"{router.name}.{name}: a router filter checks the person")
            for handler in observer.handlers:
                selected = False
                for item in handler.filters or []:
                    if _asks_about_the_person(item) and not selected:
                        found.append(f"{router.name}.{name}: {handler.callback.__name__}")
                    if not _asks_about_the_person(item) and not isinstance(item.callback, SCOPES):
                        selected = True
    return found


def repeated_roles(routers: Iterable[Router]) -> list[str]:
    """Handlers that add a person check to a declared command's (the declaration says it)."""
    found = []
    for router in routers:
        for handler in router.message.handlers:
            callbacks = [item.callback for item in handler.filters or []]
            if any(isinstance(c, DeclaredCommand) for c in callbacks) and any(
                _asks_about_the_person(item) for item in handler.filters or []
            ):
                found.append(f"{router.name}: {handler.callback.__name__}")
    return found


def _every_router() -> list[Router]:
    every = features()
    routers = [r for feature in every for r in (*feature.routers(), *feature.fallback_routers())]
    return [*routers, wrong_chat.router(CommandCatalog(every))]


def test_no_router_checks_the_person_before_the_command() -> None:
    routers = _every_router()
    assert person_first(routers) == []
    assert repeated_roles(routers) == []


def test_the_walk_finds_a_router_that_checks_the_person_first() -> None:
    spec = CommandSpec("draw", role=Role.ADMIN)

    async def cmd_draw(message: Message) -> None: ...

    late = Router(name="late")
    late.message.register(cmd_draw, InGroup(), IsGroupAdmin(), spec.filter())
    guarded = Router(name="guarded")
    guarded.message.filter(InGroup(), IsGroupAdmin())
    guarded.message.register(cmd_draw, CommandSpec("raffle").filter())
    twice = Router(name="twice")
    twice.message.register(cmd_draw, spec.filter(), IsGroupAdmin())
    assert person_first([late, guarded, twice]) == [
        "late.message: cmd_draw",
        "guarded.message: a router filter checks the person",
    ]
    assert repeated_roles([late, guarded, twice]) == ["late: cmd_draw", "twice: cmd_draw"]


async def _check(spec: CommandSpec, update: Any, admins: CountingAdmins) -> Any:
    message = update.message
    return await FilterObject(spec.filter()).call(message, bot=None, admins=admins)


async def test_a_declared_role_is_checked_only_once_the_command_matched() -> None:
    grant = CommandSpec("grant", role=Role.ADMIN)
    admins = CountingAdmins()
    member, admin = f.user(MEMBER), f.user(ADMIN)

    for text in ("hello everyone", "/top", "/grantee 5", "签到"):
        assert not await _check(grant, f.message(member, text), admins)
    assert admins.asked == []  # ordinary messages never ask Telegram

    assert not await _check(grant, f.message(member, "/grant 5"), admins)
    assert admins.asked == [(f.GROUP_ID, MEMBER)]
    matched = await _check(grant, f.message(admin, "/grant 5 thanks"), admins)
    assert matched["command"].args == "5 thanks"  # the handler still gets the command

    # Declared for private chats too: there the handler verifies per group (it alone knows
    # which group is meant); in a group, the group's administrators.
    reject = CommandSpec("reject", role=Role.ADMIN, where=Where.ANY)
    admins.asked.clear()
    assert await _check(reject, f.message(member, "/reject 3", chat_id=MEMBER), admins)
    assert admins.asked == []
    assert not await _check(reject, f.message(member, "/reject 3"), admins)

    # Members' commands ask Telegram nothing; owners' ask nobody.
    admins.asked.clear()
    assert await _check(CommandSpec("top"), f.message(member, "/top"), admins)
    assert admins.asked == []
    ops = CommandSpec("ops", role=Role.OWNER, where=Where.ANY)
    admins.asked.clear()
    assert await _check(ops, f.message(f.user(OWNER), "/ops", chat_id=OWNER), admins)
    assert not await _check(ops, f.message(admin, "/ops"), admins)
    assert admins.asked == []
