"""What a feature declares once: its commands, routers, settings and event subscribers.

Menus (setMyCommands), /help, the answer to a command sent in the wrong kind of chat, the
refusal of an admin command and the update types asked of Telegram are all derived from these
declarations. A new feature is new files plus one line in `handlers/__init__.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.admins import AdminChecker
from bot.filters import in_group, is_group_admin, is_owner
from bot.update_parts import is_real_member
from core.events import EventBus
from core.settings import SettingsSection


class Role(StrEnum):
    MEMBER = "member"  # anyone in the chat
    ADMIN = "admin"  # the group's administrators (verified with Telegram) and the owners
    OWNER = "owner"  # BOT_OWNER_IDS only


class Area(StrEnum):
    """Where a command belongs in /help: a manager's help is an index of these areas."""

    BASICS = "basics"  # /start, /help, /me
    POINTS = "points"  # check-ins, points, leaderboards, grants
    SHOP = "shop"  # rewards, redemptions, flash drops
    SCHEDULE = "schedule"  # scheduled posts, welcomes, greetings, feeds, birthdays
    FEEDBACK = "feedback"  # feedback, surveys, polls
    NUMBERS = "numbers"  # statistics, retention, segments, goals
    CAMPAIGNS = "campaigns"  # campaigns, reactivation, invites, onboarding
    DASHBOARD = "dashboard"  # the manager dashboard (Mini App)
    SETTINGS = "settings"  # /settings, /export


class Where(StrEnum):
    GROUP = "group"
    PRIVATE = "private"
    ANY = "any"


@dataclass(frozen=True)
class CommandSpec:
    """A command. Its texts are locale keys: `cmd-<name>` what it does (the menu and /help
    lines), `example-<name>` one example (the /help page of its area), and optionally
    `help-<name>` its usage in detail (`/help <name>`)."""

    name: str
    role: Role = Role.MEMBER
    where: Where = Where.GROUP
    area: Area = Area.BASICS
    aliases: tuple[str, ...] = ()
    in_menu: bool = True
    # About the sender's own points, rewards or feedback: an anonymous admin or a channel
    # posting in the group is asked to post as themselves (handlers/wrong_chat.py).
    personal: bool = True

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def filter(self) -> Command:
        """The command, and then whether the sender may use it, derived from `role`: a router
        registers only this, so no router can check the person before the command (a check
        that asks Telegram, getChatMember, for every group message that reaches it)."""
        return DeclaredCommand(self)

    def works_in(self, where: Where) -> bool:
        return self.where in (where, Where.ANY)


class DeclaredCommand(Command):
    """A command whose declared role is checked after the command matched.

    ADMIN: in a group, an administrator of that group (verified with Telegram, cached), an
    anonymous admin or an owner; in private (a command declared for private chats too) the
    handler verifies per group, as only it knows which group is meant. OWNER: BOT_OWNER_IDS.
    MEMBER: anyone, but a personal command (the sender's own points, rewards, feedback) needs a
    person, not an anonymous admin or a channel posting in the group. A message with no
    sender matches no command. Refused senders fall through to the derived "admins only" answer (handlers/wrong_chat.py).
    """

    def __init__(self, spec: CommandSpec) -> None:
        super().__init__(*spec.names)
        self.role = spec.role
        self.needs_person = spec.role == Role.MEMBER and spec.personal

    async def __call__(  # type: ignore[override]
        self, message: Message, bot: Bot, admins: AdminChecker
    ) -> bool | dict[str, Any]:
        if message.from_user is None:
            return False  # nobody sent it (a shape Telegram may send): no command answers
        matched = await super().__call__(message, bot)
        if not matched or await self.admits(message, admins):
            return matched
        return False

    async def admits(self, message: Message, admins: AdminChecker) -> bool:
        if self.needs_person:
            return is_real_member(message.from_user)
        if self.role == Role.OWNER:
            return is_owner(message, admins)
        if self.role == Role.ADMIN and in_group(message):
            return await is_group_admin(message, admins)
        return True


Setup = Callable[[EventBus, dict[str, Any]], None]


@dataclass(frozen=True)
class Feature:
    name: str
    routers: Callable[[], Sequence[Router]] = lambda: ()
    commands: tuple[CommandSpec, ...] = ()
    # Catch-alls (every other group message, say): attached after every feature's routers.
    fallback_routers: Callable[[], Sequence[Router]] = lambda: ()
    # Whoever uses one of the feature's commands in a group is tracked as present (features
    # on the hot path track members themselves).
    tracks_authors: bool = True
    # Lines for /help under the member commands (locale keys), e.g. how chatting earns points.
    help_notes: tuple[str, ...] = ()
    settings: tuple[SettingsSection, ...] = ()  # shown in /settings, one section each
    # Subscribes to domain events at composition; gets the app's dependencies by name.
    setup: Setup | None = None


class CommandCatalog:
    """Every declared command, for menus, /help and the wrong-chat answers."""

    def __init__(self, features: Iterable[Feature]) -> None:
        self.features = list(features)
        self.commands: list[CommandSpec] = []
        seen: dict[str, str] = {}
        for feature in self.features:
            for spec in feature.commands:
                for name in spec.names:
                    if name in seen:
                        raise ValueError(
                            f"/{name} is declared by both {seen[name]} and {feature.name}"
                        )
                    seen[name] = feature.name
                self.commands.append(spec)
        self._by_name = {name: spec for spec in self.commands for name in spec.names}

    def get(self, name: str) -> CommandSpec | None:
        return self._by_name.get(name.lower())

    def visible(self, where: Where, roles: set[Role], *, menu: bool = False) -> list[CommandSpec]:
        return [
            spec
            for spec in self.commands
            if spec.works_in(where) and spec.role in roles and (spec.in_menu or not menu)
        ]

    def only_in(self, where: Where) -> list[str]:
        """Every name (aliases included) of the commands that work only `where`."""
        return [name for spec in self.commands if spec.where == where for name in spec.names]

    def with_role(self, role: Role, where: Where) -> list[str]:
        return [
            name
            for spec in self.commands
            if spec.role == role and spec.works_in(where)
            for name in spec.names
        ]

    def personal_in_groups(self) -> list[str]:
        """Every name of the member commands about the sender themselves that work in groups."""
        return [
            name
            for spec in self.commands
            if spec.role == Role.MEMBER and spec.personal and spec.works_in(Where.GROUP)
            for name in spec.names
        ]

    def areas(self, roles: set[Role]) -> list[Area]:
        """The areas with at least one command for these roles, in the order of `Area`."""
        present = {spec.area for spec in self.commands if spec.role in roles}
        return [area for area in Area if area in present]

    def in_area(self, area: Area, roles: set[Role]) -> list[CommandSpec]:
        return [spec for spec in self.commands if spec.area == area and spec.role in roles]

    def help_notes(self) -> list[str]:
        return [note for feature in self.features for note in feature.help_notes]
