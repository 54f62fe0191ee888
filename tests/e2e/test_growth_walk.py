"""Invites and onboarding through the real protocol (the bot as a process, the emulator as
Telegram), one bot process for the walks the issue names:

- a member's /invite link -> a newcomer joins through it (four days ago) -> their first
  check-in -> the leader's sweep pays both, once;
- onboarding on: the member's link now requires approval; a join request through it ->
  the questionnaire in private -> approved, the answer recorded as a field, the join
  attributed to the link's owner;
- a questionnaire not finished within Telegram's 5 minutes -> left pending for the admins
  (never declined), who approve it from their private chat.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from devtools.emulator import BotAPIEmulator
from storage.tables import LedgerEntry, MemberField, Referral
from tests.e2e.conftest import ALICE, BOB, GROUP
from tests.e2e.harness import BotProcess

pytestmark = pytest.mark.e2e

WAIT = 30  # a loaded machine
DAVE, ERIN, FRANK = 2101, 2102, 2103
LINK = re.compile(r"https://t\.me/\+\S+")


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = WAIT) -> None:
    """The bot records after Telegram answered: poll the database a little."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "not recorded in time"
        await asyncio.sleep(0.2)


async def rows(db_url: str, stmt):  # type: ignore[no-untyped-def]
    engine = create_async_engine(db_url)
    try:
        async with engine.connect() as conn:
            return (await conn.execute(stmt)).all()
    finally:
        await engine.dispose()


async def test_invites_and_onboarding_walk(
    emu: BotAPIEmulator, bot_process: BotProcess, db_url: str
) -> None:
    emu.now = datetime.now(UTC).replace(microsecond=0)
    for user_id, name in ((DAVE, "Dave"), (ERIN, "Erin"), (FRANK, "Frank")):
        emu.add_user(user_id, name, username=name.lower(), language_code="en")
    emu.add_bot_to_group(GROUP, ALICE)
    mark = emu.mark()
    emu.send_private(ALICE, "/start")  # the admin can be told in private
    await emu.wait_for_message(chat_id=ALICE, after=mark, timeout=WAIT)

    # ---- referral: link, join through it, first check-in, both paid once ----------------
    mark = emu.mark()
    emu.send_message(GROUP, BOB, "/invite")
    answer = await emu.wait_for_message(
        chat_id=GROUP, contains="invite link", after=mark, timeout=WAIT
    )
    link = LINK.search(answer.plain_text)[0]  # type: ignore[index]
    assert emu.invite_links[link]["name"] == "Bob"
    assert not emu.invite_links[link]["creates_join_request"]
    emu.join_via_link(DAVE, link, date=emu.now - timedelta(days=4))
    mark = emu.mark()
    emu.send_message(GROUP, DAVE, "/checkin")
    paid = await emu.wait_for_message(
        chat_id=GROUP, contains="brought Dave", after=mark, timeout=WAIT
    )
    assert "+50 points for Dave, +50 for Bob" in paid.plain_text
    ledger = await rows(
        db_url,
        select(LedgerEntry.user_id, LedgerEntry.amount).where(LedgerEntry.reason.like("invite%")),
    )
    assert sorted(ledger) == [(BOB, 50), (DAVE, 50)]

    # ---- onboarding: the admin writes a question and turns it on ----------------------------
    mark = emu.mark()
    emu.send_message(
        GROUP, ALICE, "/onboarding add city | Which city are you in? | Shanghai, Beijing, Other"
    )
    await emu.wait_for_message(
        chat_id=GROUP, contains="Question 1 added", after=mark, timeout=WAIT
    )
    mark = emu.mark()
    emu.send_message(GROUP, ALICE, "/onboarding on")
    await emu.wait_for_message(
        chat_id=GROUP, contains="Onboarding is on", after=mark, timeout=WAIT
    )
    # Members' links follow: Bob's now requires approval.
    await emu.wait_for(lambda: emu.invite_links[link]["creates_join_request"], timeout=WAIT)

    # Frank asked to join almost 5 minutes ago (real time): his questionnaire runs out soon.
    mark_frank = emu.mark()
    emu.request_to_join(GROUP, FRANK, date=datetime.now(UTC) - timedelta(minutes=4, seconds=50))
    await emu.wait_for_message(
        chat_id=FRANK, contains="Which city", after=mark_frank, timeout=WAIT
    )

    # Erin joins through Bob's link: a join request, the questionnaire, approval.
    mark = emu.mark()
    emu.join_via_link(ERIN, link)
    question = await emu.wait_for_message(
        chat_id=ERIN, contains="Which city", after=mark, timeout=WAIT
    )
    assert question.buttons() == ["Shanghai", "Beijing", "Other"]
    emu.press_button_by_label(ERIN, ERIN, "Shanghai")
    await emu.wait_for_message(chat_id=ERIN, contains="in a moment", after=mark, timeout=WAIT)
    await emu.wait_for(lambda: emu.status.get((GROUP, ERIN)) == "member", timeout=WAIT)
    await emu.wait_for_call("approveChatJoinRequest", after=0, timeout=WAIT)

    async def erin_recorded() -> bool:
        fields = await rows(
            db_url, select(MemberField.field, MemberField.value).where(MemberField.user_id == ERIN)
        )
        referral = await rows(
            db_url, select(Referral.inviter_id).where(Referral.invitee_id == ERIN)
        )
        return fields == [("city", "Shanghai")] and referral == [(BOB,)]

    await eventually(erin_recorded)

    # Frank never answered: his request is the admins' now, still pending in Telegram.
    notice = await emu.wait_for_message(
        chat_id=ALICE, contains="not finished in time", after=mark_frank, timeout=WAIT
    )
    assert "Join request to E2E Community (0/1 answered)" in notice.plain_text
    assert (GROUP, FRANK) in emu.join_requests  # left pending, never declined
    emu.press_button(
        ALICE,
        ALICE,
        notice.message_id,
        notice.reply_markup["inline_keyboard"][0][0]["callback_data"],
    )  # type: ignore[index]
    await emu.wait_for(lambda: emu.status.get((GROUP, FRANK)) == "member", timeout=WAIT)
    await emu.wait_for(lambda: "Approved by Alice" in notice.plain_text, timeout=WAIT)
