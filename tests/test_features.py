"""Commands, menus, /help, wrong-chat answers and update types come from the declarations."""

from __future__ import annotations

import re

import pytest
from aiogram import Router
from aiogram.types import (
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    Message,
    PollAnswer,
    Update,
)

from bot.commands import menus
from bot.features import CommandCatalog, CommandSpec, Feature, Role, Where
from bot.i18n import LANGUAGES, Locales
from bot.intake import ordering_key
from bot.outbound import Outbox
from bot.replies import reply
from bot.update_parts import chat_and_user, event_of, event_time
from handlers import features
from tests import factories as f
from tests.app_harness import running_bot

ADMIN, MEMBER = 1001, 1002


def test_every_declared_command_has_menu_texts_in_both_languages() -> None:
    locales = Locales()
    catalog = CommandCatalog(features())
    assert {"checkin", "me", "top", "grant", "settings", "export", "help"} <= {
        s.name for s in catalog.commands
    }
    for spec in catalog.commands:
        assert re.fullmatch(r"[a-z0-9_]{1,32}", spec.name)
        for language in LANGUAGES:
            t = locales.get(language)
            assert t.has(f"cmd-{spec.name}"), (language, spec.name)
            assert 1 <= len(t(f"cmd-{spec.name}")) <= 256


def test_a_name_declared_twice_is_refused_at_start_up() -> None:
    one = Feature("one", commands=(CommandSpec("dup"),))
    two = Feature("two", commands=(CommandSpec("other", aliases=("dup",)),))
    with pytest.raises(ValueError, match="/dup"):
        CommandCatalog([one, two])


def test_menus_per_scope() -> None:
    shown = {
        type(scope): [s.name for s in specs]
        for scope, specs in menus(CommandCatalog(features()), owner_ids=[42])
    }
    # The shop comes before help (its deep link is a /start argument).
    assert shown[BotCommandScopeAllPrivateChats] == [
        "myrewards",
        "start",
        "help",
        "me",
        "feedback",
        "inbox",
        "birthday",
        "invite",
        "unsubscribe",
        "dashboard",
    ]
    members = [
        "checkin",
        "shop",
        "redeem",
        "myrewards",
        "help",
        "me",
        "top",
        "feedback",
        "invite",
    ]
    assert shown[BotCommandScopeAllGroupChats] == members
    admin_menu = shown[BotCommandScopeAllChatAdministrators]
    assert [name for name in admin_menu if name in members] == members
    assert set(admin_menu) - set(members) == {
        "grant",
        "deduct",
        "settings",
        "export",
        "stats",
        "retention",
        "funnel",
        "compare",
        "reward_add",
        "reward_edit",
        "reward_disable",
        "reward_enable",
        "rewards",
        "codes",
        "redemptions",
        "reject",
        "flash",
        "schedule",
        "posts",
        "unschedule",
        "welcome",
        "goodbye",
        "greeting",
        "survey",
        "poll",
        "feed",
        "onboarding",
        "tag",
        "untag",
        "tags",
        "segments",
        "campaign",
        "campaigns",
        "whois",
        "atrisk",
        "goal",
    }
    assert BotCommandScopeChat not in shown  # no owner-only command, no owner menu


def test_an_owner_command_gets_an_owner_menu() -> None:
    extra = Feature("ops", commands=(CommandSpec("stats_all", Role.OWNER, Where.PRIVATE),))
    scopes = menus(CommandCatalog([*features(), extra]), owner_ids=[42, 43])
    owners = [(scope, specs) for scope, specs in scopes if isinstance(scope, BotCommandScopeChat)]
    assert [scope.chat_id for scope, _ in owners] == [42, 43]
    assert "stats_all" in [s.name for s in owners[0][1]]
    private = next(
        specs for scope, specs in scopes if isinstance(scope, BotCommandScopeAllPrivateChats)
    )
    assert "stats_all" not in [s.name for s in private]


# A feature added by tests only: one group command for members, one for admins, and a router
# for an update type the bot does not otherwise ask for.
async def _raffle(message: Message, outbox: Outbox) -> None:
    reply(outbox, message, "raffle!")


async def _vote(poll_answer: PollAnswer) -> None:
    return None


RAFFLE = CommandSpec("raffle")
DRAW = CommandSpec("draw", role=Role.ADMIN)


def _raffle_routers() -> list[Router]:
    from bot.filters import InGroup

    r = Router(name="raffle")
    r.message.register(_raffle, RAFFLE.filter(), InGroup())
    r.message.register(_raffle, DRAW.filter(), InGroup())  # admins only: derived from DRAW
    r.poll_answer.register(_vote)
    return [r]


RAFFLE_FEATURE = Feature("raffle", _raffle_routers, commands=(RAFFLE, DRAW))


async def test_a_new_feature_needs_no_edits_elsewhere(db_url: str) -> None:
    everything = [*features(), RAFFLE_FEATURE]
    async with running_bot(db_url, admins={(f.GROUP_ID, ADMIN)}, features=everything) as bot:
        assert "poll_answer" in bot.app.allowed_updates
        assert {"message", "callback_query", "chat_member", "my_chat_member"} <= set(
            bot.app.allowed_updates
        )
        member, admin = f.user(MEMBER, "Mia"), f.user(ADMIN, "Ada")

        await bot.feed(f.message(member, "/raffle"))
        assert bot.last_text() == "raffle!"

        bot.clear()
        await bot.feed(f.message(member, "/raffle", chat_id=MEMBER))
        assert "works in a group" in bot.last_text()  # derived: group-only in private

        bot.clear()
        await bot.feed(f.message(member, "/draw"))
        assert bot.last_text() == "Only group administrators can do that."
        await bot.feed(f.message(admin, "/draw"))
        assert bot.last_text() == "raffle!"

        bot.clear()
        await bot.feed(f.message(admin, "/help basics"))  # its area (the default one)
        help_text = bot.last_text()
        assert "/raffle — " in help_text and "/draw — " in help_text
        bot.clear()
        await bot.feed(f.message(member, "/help"))
        assert "/raffle — " in bot.last_text() and "/draw" not in bot.last_text()


async def test_default_update_types_are_the_ones_routers_handle(db_url: str) -> None:
    async with running_bot(db_url) as bot:
        assert bot.app.allowed_updates == [
            "callback_query",
            "chat_join_request",
            "chat_member",
            "message",
            "message_reaction",
            "my_chat_member",
            "poll_answer",
        ]


async def test_help_lists_what_each_caller_may_do(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, ADMIN)}) as bot:
        await bot.feed(f.message(f.user(MEMBER), "/help"))
        member_help = bot.last_text()
        assert "/checkin — Check in for today" in member_help and "/top — " in member_help
        assert "签到 or 打卡" in member_help and "Chatting also earns" in member_help
        assert "/grant" not in member_help
        await bot.feed(f.message(f.user(ADMIN), "/help points"))
        admin_help = bot.last_text()
        assert "<i>For admins</i>" in admin_help and "/grant — Give points" in admin_help
        await bot.feed(f.message(f.user(MEMBER, lang="zh-hans"), "/help", chat_id=MEMBER))
        private_help = bot.last_text()
        assert "/me — 查看我的积分" in private_help and "/checkin" in private_help


def _update(kind: str, payload: dict) -> Update:  # type: ignore[type-arg]
    return Update.model_validate({"update_id": f.next_update_id(), kind: payload})


def test_every_update_type_names_its_chat_sender_and_time() -> None:
    user = f.user(555, "Vera", lang="zh-hans")
    group = f.chat()
    join_request = _update(
        "chat_join_request",
        {"chat": group, "from": user, "user_chat_id": 555, "date": 1_764_000_000},
    )
    reaction = _update(
        "message_reaction",
        {
            "chat": group,
            "message_id": 9,
            "user": user,
            "date": 1_764_000_100,
            "old_reaction": [],
            "new_reaction": [{"type": "emoji", "emoji": "👍"}],
        },
    )
    vote = _update(
        "poll_answer",
        {"poll_id": "p1", "user": user, "option_ids": [0], "option_persistent_ids": ["a"]},
    )
    for update, chat_expected in ((join_request, True), (reaction, True), (vote, False)):
        chat, sender = chat_and_user(event_of(update))
        assert sender is not None and sender.id == 555 and sender.language_code == "zh-hans"
        assert (chat is not None and chat.id == f.GROUP_ID) is chat_expected
    # A person's updates stay in order whatever the chat (a join, then a private message).
    assert ordering_key(join_request) == ordering_key(reaction) == ordering_key(vote) == (0, 555)
    assert event_time(event_of(reaction)).timestamp() == 1_764_000_100  # type: ignore[union-attr]
    assert event_time(event_of(vote)) is None
