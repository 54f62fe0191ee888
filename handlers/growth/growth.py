"""Growth as a feature: /invite (members' personal links, rewards once a newcomer counts),
/onboarding (a questionnaire for join requests), /top invites, /export invites|onboarding.

The leader's sweep (every scheduler round) counts and pays the invites that are due and hands
questionnaires that ran out of time to the admins.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram import Router

from bot.features import Area, CommandSpec, Feature, Role, Where
from bot.filters import InGroup, InPrivate, IsGroupAdmin, NotGroupAdmin
from core.community.export import Exports, ExtraExport
from core.engagement.leaderboard import Boards, ExtraBoard
from core.events import EventBus, SettingChanged, Transaction
from core.growth.export import onboarding_csv
from core.growth.invites import InviteService
from core.growth.onboarding import OnboardingService
from core.growth.segments import FIELD_TERM, GrowthCardSection
from core.growth.settings import INVITE_SETTINGS, ONBOARDING, ONBOARDING_SETTINGS
from core.segments.card import card_sections
from core.segments.terms import selector_terms
from handlers.growth import invite, notify, onboarding_admin, onboarding_member, render
from handlers.growth import telegram as tg

logger = logging.getLogger(__name__)

# Its handler answers an anonymous admin or a channel itself (why there is no link for them).
INVITE = CommandSpec("invite", where=Where.ANY, area=Area.CAMPAIGNS, personal=False)
ONBOARDING_COMMAND = CommandSpec("onboarding", role=Role.ADMIN, area=Area.CAMPAIGNS)

_tasks: set[asyncio.Task[None]] = set()


def routers() -> list[Router]:
    members = Router(name="growth")
    members.message.register(invite.cmd_invite, INVITE.filter())
    members.callback_query.register(invite.on_pick, render.InviteGroup.filter())
    members.chat_join_request.register(onboarding_member.on_join_request)
    members.callback_query.register(
        onboarding_member.on_answer_button, render.AnswerButton.filter()
    )
    members.callback_query.register(onboarding_admin.on_decide, render.DecideButton.filter())
    members.message.register(
        onboarding_member.on_text_answer, InPrivate(), onboarding_member.AwaitsAnswer()
    )
    admin = Router(name="growth_admin")
    # Admins only: /onboarding's declaration says so (checked after the command matched); the
    # reply to a prompt and the panel's buttons check the person after their own filter.
    admin.message.filter(InGroup())
    admin.callback_query.filter(InGroup())
    admin.message.register(onboarding_admin.cmd_onboarding, ONBOARDING_COMMAND.filter())
    admin.message.register(
        onboarding_admin.on_prompt_reply, onboarding_admin.RepliesToPrompt(), IsGroupAdmin()
    )
    admin.callback_query.register(
        onboarding_admin.on_panel, render.PanelButton.filter(), IsGroupAdmin()
    )
    admin.callback_query.register(
        onboarding_admin.refuse, render.PanelButton.filter(), NotGroupAdmin()
    )
    return [members, admin]


def setup(bus: EventBus, deps: dict[str, Any]) -> None:
    session_factory, groups, clock = deps["session_factory"], deps["groups"], deps["clock"]
    outbox, locales = deps["outbox"], deps["locales"]
    invites = InviteService(session_factory, groups, clock=clock, bus=bus)
    invites.subscribe(bus)
    onboarding = OnboardingService(session_factory, groups, clock=clock, bus=bus)
    onboarding.subscribe(bus)
    followers = onboarding_member.Followers(onboarding, groups, outbox, locales, session_factory)
    deps["invites"] = invites
    deps["onboarding"] = onboarding
    deps["onboarding_followers"] = followers
    # Segments: the /whois card's growth lines, and `field:city=上海` in the member selector.
    card_sections(deps).put(GrowthCardSection())
    selector_terms(deps).add(FIELD_TERM)

    async def invites_board(session: Any, group: Any, viewer_id: int, now: Any) -> Any:
        return await invites.board(session, group, viewer_id, now)

    deps.setdefault("boards", Boards()).add(
        ExtraBoard("invites", ("invite", "邀请", "拉新"), invites_board)
    )
    exports: Exports = deps.setdefault("exports", Exports())
    exports.add(
        ExtraExport(
            "invites",
            ("邀请",),
            lambda session, group: invites.invites_csv(session, group.group_id),
        )
    )
    exports.add(
        ExtraExport(
            "onboarding",
            ("入群问卷", "问卷"),
            lambda session, group: onboarding_csv(session, group.group_id),
        )
    )

    async def on_setting(tx: Transaction, event: SettingChanged) -> None:
        """Members' links follow onboarding: while it is on they require approval, so that
        newcomers through them answer the questionnaire too."""
        if event.key != ONBOARDING:
            return
        join_request = event.new == "on"
        links = await invites.links_to_sync(tx.session, event.group_id, join_request)
        if links:
            tx.after_commit(lambda: _spawn(_sync_links(event.group_id, links, join_request)))

    async def _sync_links(group_id: int, links: list[tuple[str, str]], join_request: bool) -> None:
        for link, name in links:
            try:
                await tg.edit_link(outbox, group_id, link, name, join_request)
            except tg.LinkRefused as refused:
                if refused.outcome == tg.Outcome.RIGHTS:
                    logger.info("no right to edit the invite links of %s", group_id)
                    return
                if refused.outcome == tg.Outcome.DEAD:
                    await invites.link_dead(link)
                continue
            await invites.link_synced(link, name, join_request)

    bus.subscribe(SettingChanged, on_setting)

    async def sweep() -> None:
        for payment in await invites.pay_due():
            notify.payment_notices(outbox, deps["digest"], locales, payment)
        for request in await onboarding.expire_due():
            followers.tell_admins(request)

    # Leader only: each invite is counted and paid once, each late questionnaire handed over
    # once (conditional updates), whichever process leads.
    deps["post_scheduler"].every_round(sweep)
    deps["growth_sweep"] = sweep  # tests run a round by hand


def _spawn(coro: Any) -> None:
    task = asyncio.get_running_loop().create_task(coro)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


def feature() -> Feature:
    return Feature(
        "growth",
        routers,
        commands=(INVITE, ONBOARDING_COMMAND),
        settings=(INVITE_SETTINGS, ONBOARDING_SETTINGS),
        setup=setup,
    )
