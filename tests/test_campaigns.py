"""Campaigns through the real Dispatcher (SQLite and PostgreSQL), the clock moved by the test:
preview, Confirm (twice), quiet hours, opt-out, the cap, blocked members, the holdout never
messaged, claims (forged and repeated), the report against a hand count, the export; and the
sender's at-most-once rule (a crash between claim and record) and two senders sharing one
campaign."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage

from core.campaigns import rules
from core.campaigns.sending import CampaignSender, Delivery, Outcome
from handlers.campaigns.render import CampaignButton, ClaimButton
from storage.tables import (
    CampaignRecipient,
    LedgerEntry,
    Member,
    MemberSegment,
    SegmentState,
    TgUser,
)
from tests import factories as f
from tests.app_harness import Harness, running_bot
from tests.inline_worker import InlineWorker

G = f.GROUP_ID
ADMIN = f.user(100, "Ada", username="ada")
MEMBERS = [f.user(1000 + i, f"M{i}") for i in range(40)]
OPTED, NEVER_STARTED, BLOCKED = 1000, 1001, 1002
SHANGHAI = timedelta(hours=8)


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def local(day_offset: int, hour: int) -> datetime:
    """A Shanghai wall-clock time `day_offset` days from a fixed day, as UTC."""
    base = datetime(2026, 12, 1, tzinfo=UTC)
    return base + timedelta(days=day_offset, hours=hour) - SHANGHAI


async def setup_members(bot: Harness, at: datetime) -> None:
    await bot.feed(*(f.message(m, f"hello from {m['first_name']}", date=at) for m in MEMBERS))
    async with bot.app.session_factory() as s:
        await s.exec(
            sa.update(TgUser)
            .where(TgUser.id.in_([m["id"] for m in MEMBERS if m["id"] != NEVER_STARTED]))
            .values(started_at=at)
        )
        await s.commit()
    bot.session.unreachable.add(BLOCKED)
    await bot.feed(f.message(MEMBERS[0], "/unsubscribe", chat_id=OPTED, date=at))


async def recipients(bot: Harness, campaign_id: int | None = None) -> dict[int, Any]:
    async with bot.app.session_factory() as s:
        stmt = sa.select(CampaignRecipient)
        if campaign_id is not None:
            stmt = stmt.where(CampaignRecipient.campaign_id == campaign_id)
        return {r.user_id: r for r in (await s.exec(stmt)).scalars().all()}  # type: ignore[call-overload]


def private_sends(bot: Harness) -> list[int]:
    return [int(c.chat_id) for c in bot.sent(SendMessage) if int(c.chat_id) > 0]


def campaign_id_of(bot: Harness) -> int:
    markup = bot.sent(SendMessage)[-1].reply_markup
    return CampaignButton.unpack(markup.inline_keyboard[0][0].callback_data).campaign


async def press(bot: Harness, who: dict, data: str, *, private: bool = False) -> str:
    bot.clear()
    update = f.private_callback(who, data, 5) if private else f.callback(who, data, 5)
    await bot.feed(update)
    answers = bot.sent(AnswerCallbackQuery)
    return answers[-1].text or "" if answers else ""


async def test_a_campaign_end_to_end(db_url: str) -> None:
    clock = Clock(local(0, 12))
    async with running_bot(db_url, admins={(G, 100)}, clock=clock) as bot:
        bot.app.deps["worker"] = InlineWorker()
        await setup_members(bot, clock())
        await bot.feed(f.message(ADMIN, "good day", date=clock()))
        bot.clear()
        await bot.feed(
            f.message(
                ADMIN,
                "/campaign all-tag:staff holdout=25 claim=20 Hi {name}, welcome back!",
                date=clock(),
            )  # fmt: skip
        )
        preview = bot.last_text()
        # 41 present members (the admin too); a quarter held out; reach: 38 started the bot
        # and not blocked as far as the bot knows, one unsubscribed.
        assert "Audience: 41 · control group 10 (25%" in preview
        assert "Reachable now: 38 (not reachable: 2 never started" in preview
        assert "1 unsubscribed" in preview
        assert "Hi Alex, welcome back!" in preview and "claim 20 points" in preview
        campaign_id = campaign_id_of(bot)
        assert private_sends(bot) == []  # nothing before Confirm

        # Quiet hours: confirmed at 23:00 local, nothing goes out until 08:00.
        clock.at = local(0, 23)
        confirm = CampaignButton(action="c", campaign=campaign_id).pack()
        assert "Only group administrators" in await press(bot, MEMBERS[5], confirm)
        await press(bot, ADMIN, confirm)
        progress = [c for c in bot.sent(EditMessageText) if "Campaign 1" in c.text]
        assert progress and "sent 0 / 31" in progress[0].text
        await bot.app.deps["campaign_runner"].run_until_idle()
        await bot.app.outbox.drain(5)
        assert private_sends(bot) == []
        edits = [c.text for c in bot.sent(EditMessageText)]
        assert any("waiting for quiet hours to end (2026-12-02 08:00)" in e for e in edits)

        # A second Confirm (a double tap, a redelivery) changes nothing.
        assert "already confirmed" in await press(bot, ADMIN, confirm)

        # Paused, nothing goes out after the quiet hours either; resumed, it does.
        assert await press(
            bot, ADMIN, CampaignButton(action="p", campaign=campaign_id).pack()
        ) == ("Paused")
        assert "▶️ Resume" in bot.sent(EditMessageText)[-1].reply_markup.inline_keyboard[0][0].text
        clock.at = local(1, 8) + timedelta(minutes=1)
        await bot.app.deps["campaign_runner"].run_until_idle()
        await bot.app.outbox.drain(5)
        assert private_sends(bot) == []
        assert "Only group administrators" in await press(
            bot, MEMBERS[5], CampaignButton(action="r", campaign=campaign_id).pack()
        )
        # A member who left the group meanwhile is not messaged.
        rows = await recipients(bot, campaign_id)
        quitter = max(u for u, r in rows.items() if r.arm == "treated")
        async with bot.app.session_factory() as s:
            await s.exec(
                sa.update(Member)
                .where(Member.group_id == G, Member.user_id == quitter)
                .values(left_at=clock())
            )
            await s.commit()
        await press(bot, ADMIN, CampaignButton(action="r", campaign=campaign_id).pack())
        bot.clear()
        await bot.app.deps["campaign_runner"].run_until_idle()
        await bot.app.outbox.drain(5)
        rows = await recipients(bot, campaign_id)
        holdout = {u for u, r in rows.items() if r.arm == "holdout"}
        sent = private_sends(bot)
        assert len(holdout) == 10 and not holdout & set(sent)
        assert len(sent) == len(set(sent))  # nobody twice
        by_status: dict[str, set[int]] = {}
        for user_id, row in rows.items():
            by_status.setdefault(row.status, set()).add(user_id)
        treated = set(rows) - holdout
        assert by_status["holdout"] == holdout
        assert rows[quitter].status == "skipped" and rows[quitter].skip_reason == "left"
        expected_skips = ({OPTED, NEVER_STARTED, ADMIN["id"]} & treated) | {quitter}
        assert by_status.get("skipped", set()) == expected_skips
        if BLOCKED in treated:
            assert by_status["blocked"] == {BLOCKED}
        assert by_status["sent"] == treated - expected_skips - {BLOCKED}
        assert set(sent) == treated - expected_skips
        message = next(c for c in bot.sent(SendMessage) if int(c.chat_id) in by_status["sent"])
        assert message.text.startswith("Hi M") and "/unsubscribe" in message.text
        edits = [c.text for c in bot.sent(EditMessageText)]
        assert any(
            "(finished): sent" in e and "Report: <code>/campaign 1</code>" in e for e in edits
        )

        # Claims: once per member; a forged press (the holdout, a stranger) credits nothing.
        claim = ClaimButton(campaign=campaign_id).pack()
        member = min(by_status["sent"])
        assert "20 points are yours" in await press(bot, f.user(member), claim, private=True)
        assert "already claimed" in await press(bot, f.user(member), claim, private=True)
        assert "not for you" in await press(bot, f.user(min(holdout)), claim, private=True)
        assert "not for you" in await press(bot, f.user(999_999), claim, private=True)
        async with bot.app.session_factory() as s:
            credited = (
                await s.exec(
                    sa.select(LedgerEntry.user_id, LedgerEntry.amount).where(
                        LedgerEntry.source == "campaign"
                    )
                )  # fmt: skip
            ).all()
            points = (
                await s.exec(
                    sa.select(Member.points).where(Member.group_id == G, Member.user_id == member)
                )
            ).scalar_one()
        assert [tuple(c) for c in credited] == [(member, 20)]
        assert points >= 20

        # Activity in the 7 days after the start day: 3 messaged members and 1 held out came
        # back; the admin and a member pressed buttons in the group on day 1 (a press counts).
        back = sorted(by_status["sent"])[:3] + sorted(holdout)[:1]
        active = set(back) | {ADMIN["id"], MEMBERS[5]["id"]}
        clock.at = local(3, 12)
        await bot.feed(*(f.message(f.user(u), "I am back, hello", date=clock()) for u in back))
        clock.at = local(9, 12)
        bot.clear()
        await bot.feed(f.message(ADMIN, "/campaign 1", date=clock()))
        report = bot.last_text()
        assert "7 of 7 days" in report
        assert f"messaged group: {len(active & treated)} of {len(treated)}" in report
        assert f"control group: {len(active & holdout)} of 10" in report
        assert "claims: 1 of 31" in report
        assert "Not enough data yet" in report  # 10 held out: below the minimum, honestly

        bot.clear()
        await bot.feed(f.message(ADMIN, "/export campaign 1", date=clock()))
        [document] = bot.documents()
        data = document.document.data.decode()
        table = list(csv.DictReader(io.StringIO(data)))
        assert list(table[0]) == [
            "user_id", "arm", "status", "sent_at", "clicked_at", "claimed_at", "active_within_7d"
        ]  # fmt: skip
        assert len(table) == 41
        assert {r["user_id"] for r in table if r["active_within_7d"] == "1"} == {
            str(u) for u in active
        }
        assert [r["user_id"] for r in table if r["claimed_at"]] == [str(member)]

        bot.clear()
        await bot.feed(f.message(ADMIN, "/campaigns", date=clock()))
        listing = bot.last_text()
        assert "1. campaign · finished · 41 members · <code>all-tag:staff</code>" in listing


async def test_the_cap_quiet_hours_off_and_bad_input(db_url: str) -> None:
    clock = Clock(local(0, 12))
    async with running_bot(db_url, admins={(G, 100)}, clock=clock) as bot:
        await setup_members(bot, clock())
        # A copy of a message that was deleted meanwhile: stopped at the first refusal.
        photo = f.message(ADMIN, "our new venue", date=clock())
        await bot.feed(photo)
        bot.clear()
        await bot.feed(
            f.message(ADMIN, "/campaign all", reply_to=f.message_payload(photo), date=clock())
        )
        assert "a copy of the message you replied to" in bot.last_text()
        copy_id = campaign_id_of(bot)
        bot.session.deleted.add((G, photo.message.message_id))  # type: ignore[union-attr]
        await press(bot, ADMIN, CampaignButton(action="c", campaign=copy_id).pack())
        await bot.app.deps["campaign_runner"].run_until_idle()
        await bot.app.outbox.drain(5)
        edits = [c.text for c in bot.sent(EditMessageText)]
        assert "(cancelled)" in edits[-1] and "message to copy was deleted" in edits[-1]
        copies = [c for c in bot.session.calls if type(c).__name__ == "CopyMessage"]
        assert 0 < len(copies) <= 60  # the batches in flight, then nothing more
        await bot.feed(f.message(ADMIN, "/settings campaign_cap 1", date=clock()))
        for number in (1, 2):
            bot.clear()
            await bot.feed(f.message(ADMIN, "/campaign all holdout=0 Hello {name}", date=clock()))
            campaign_id = campaign_id_of(bot)
            if number == 2:
                assert (
                    "Reachable now: 0 (not reachable: 3 never started the bot or blocked it · 1 unsubscribed · 37 over the weekly cap)"
                    in bot.last_text()
                )
            await press(bot, ADMIN, CampaignButton(action="c", campaign=campaign_id).pack())
            bot.clear()
            await bot.app.deps["campaign_runner"].run_until_idle()
            await bot.app.outbox.drain(5)
        rows = await recipients(bot, campaign_id)
        assert private_sends(bot) == []
        assert {r.skip_reason for r in rows.values() if r.status == "skipped"} == {
            "capped", "opted_out", "unreachable"
        }  # fmt: skip

        async def answer(text: str) -> str:
            bot.clear()
            await bot.feed(f.message(ADMIN, text, date=clock()))
            return bot.last_text()

        assert "Unknown term “dormnt” at position 1" in await answer("/campaign dormnt Hi")
        assert "What should the message say" in await answer("/campaign all")
        assert "not a valid option" in await answer("/campaign all claim=0 Hi")
        assert "must start with http" in await answer("/campaign all link=ftp://x Hi")
        assert "don't understand that time" in await answer("/campaign all at=someday Hi")
        assert "too long" in await answer("/campaign all " + "x" * 4100)
        assert "Nobody in this group matches" in await answer("/campaign tag:nobody Hi")
        assert "Only group administrators" in (
            bot.clear()
            or await bot.feed(f.message(MEMBERS[3], "/campaign all Hi", date=clock()))
            or bot.last_text()
        )
        assert "No campaigns yet" not in await answer("/campaigns")
        assert "no campaign 9" in await answer("/campaign 9")


def test_quiet_hours_and_the_holdout_draw() -> None:
    quiet = rules.parse_quiet("22:00-08:00")
    assert quiet is not None and quiet.text == "22:00-08:00"
    assert quiet.next_allowed(local(0, 12), "Asia/Shanghai") is None
    assert quiet.next_allowed(local(0, 23), "Asia/Shanghai") == local(1, 8)
    assert quiet.next_allowed(local(1, 3), "Asia/Shanghai") == local(1, 8)
    assert quiet.next_allowed(local(1, 8), "Asia/Shanghai") is None
    assert rules.parse_quiet("off") is None
    day = rules.parse_quiet("12:00-13:30")
    assert day is not None and day.next_allowed(local(0, 12), "Asia/Shanghai") == local(0, 13) + (
        timedelta(minutes=30)
    )
    ids = list(range(1000))
    held = rules.draw_holdout(ids, 10, seed=7)
    assert len(held) == 100 and held == rules.draw_holdout(reversed(ids), 10, seed=7)
    assert held != rules.draw_holdout(ids, 10, seed=8)
    assert rules.draw_holdout(ids, 0, seed=7) == set()


class Recorder:
    """A Deliver that records who was sent what; `crash_after` batches it raises instead (the
    process dies between the claim and the send)."""

    def __init__(self, crash_after: int | None = None) -> None:
        self.sent: list[int] = []
        self.batches = 0
        self._crash_after = crash_after

    async def __call__(self, campaign: Any, batch: Sequence[Delivery]) -> list[Outcome]:
        self.batches += 1
        if self._crash_after is not None and self.batches > self._crash_after:
            raise asyncio.CancelledError  # killed: nothing recorded
        await asyncio.sleep(0)
        self.sent += [d.user_id for d in batch]
        return [Outcome(d.user_id, "sent", 1) for d in batch]


async def confirmed_campaign(bot: Harness, clock: Clock, holdout: int = 0) -> int:
    await setup_members(bot, clock())
    await bot.feed(f.message(ADMIN, f"/campaign all holdout={holdout} Hi {{name}}", date=clock()))
    campaign_id = campaign_id_of(bot)
    await press(bot, ADMIN, CampaignButton(action="c", campaign=campaign_id).pack())
    return campaign_id


async def test_a_crash_between_claim_and_record_leaves_unknown_never_resent(db_url: str) -> None:
    clock = Clock(local(0, 12))
    async with running_bot(db_url, admins={(G, 100)}, clock=clock) as bot:
        campaign_id = await confirmed_campaign(bot, clock)
        app = bot.app
        first = Recorder(crash_after=1)
        dying = CampaignSender(
            app.session_factory, app.deps["groups"], first, clock=clock, batch=8
        )
        await dying.step(campaign_id)
        try:
            await dying.step(campaign_id)  # claimed 8, killed before the send was recorded
        except asyncio.CancelledError:
            pass
        in_flight = {u for u, r in (await recipients(bot, campaign_id)).items()
                     if r.status == "sending"}  # fmt: skip
        assert len(in_flight) == 8
        clock.at += timedelta(seconds=5)
        second = Recorder()
        restarted = CampaignSender(app.session_factory, app.deps["groups"], second, clock=clock)
        while (await restarted.step(campaign_id)).state == "sending":
            pass
        rows = await recipients(bot, campaign_id)
        assert {u for u, r in rows.items() if r.status == "unknown"} == in_flight
        assert not in_flight & set(second.sent)
        assert first.sent and not set(first.sent) & set(second.sent)
        assert len(second.sent) == len(set(second.sent))
        treated_reachable = {u for u, r in rows.items() if r.status not in ("skipped",)}
        assert set(first.sent) | set(second.sent) | in_flight == treated_reachable


async def test_two_senders_share_a_campaign_and_nobody_gets_it_twice(db_url: str) -> None:
    clock = Clock(local(0, 12))
    async with running_bot(db_url, admins={(G, 100)}, clock=clock) as bot:
        campaign_id = await confirmed_campaign(bot, clock, holdout=10)
        app = bot.app
        outs = [Recorder(), Recorder()]
        senders = [
            CampaignSender(app.session_factory, app.deps["groups"], r, clock=clock, batch=3)
            for r in outs
        ]

        async def drive(sender: CampaignSender) -> str:
            while (state := (await sender.step(campaign_id)).state) == "sending":
                pass
            return state

        ends = await asyncio.gather(*(drive(s) for s in senders))
        # Whoever records the last send finishes the campaign; if both saw the other's batch
        # in flight at their last claim, the next step (the leader's next round) does.
        if "done" not in ends:
            ends = [(await senders[0].step(campaign_id)).state]
        assert "done" in ends
        assert (await senders[1].step(campaign_id)).state == "stopped"
        both = outs[0].sent + outs[1].sent
        rows = await recipients(bot, campaign_id)
        assert len(both) == len(set(both))
        assert set(both) == {u for u, r in rows.items() if r.status == "sent"}
        assert not {u for u, r in rows.items() if r.arm == "holdout"} & set(both)
        assert {r.status for r in rows.values()} <= {"sent", "skipped", "holdout"}


async def test_reactivation_once_in_30_days_with_holdout_and_bonus(db_url: str) -> None:
    clock = Clock(local(0, 12))
    async with running_bot(db_url, admins={(G, 100)}, clock=clock) as bot:
        await setup_members(bot, clock())
        day = local(0, 12).date()
        dormant = [m["id"] for m in MEMBERS[10:30]]  # 20 entered dormant on the computed day
        async with bot.app.session_factory() as s:
            await s.exec(
                sa.insert(MemberSegment),
                params=[
                    {"group_id": G, "user_id": u, "stage": "dormant", "stage_since": day,
                     "previous_stage": "at_risk", "tier": "casual", "earned_30d": 0}
                    for u in dormant
                ] + [
                    {"group_id": G, "user_id": 1031, "stage": "dormant",
                     "stage_since": day - timedelta(days=5), "previous_stage": "at_risk",
                     "tier": "casual", "earned_30d": 0}
                ],
            )  # fmt: skip
            await s.exec(
                sa.insert(SegmentState).values(group_id=G, computed_day=day, computed_at=clock())
            )
            await s.commit()
        reactivation = bot.app.deps["reactivation"]
        assert await reactivation.sweep() == []  # off by default
        await bot.feed(f.message(ADMIN, "/settings reactivation on", date=clock()))
        await bot.feed(f.message(ADMIN, "/settings reactivation_bonus 15", date=clock()))
        clock.at += timedelta(minutes=2)
        [campaign_id] = await reactivation.sweep()
        clock.at += timedelta(minutes=2)
        assert await reactivation.sweep() == []  # the same day: once
        bot.clear()
        await bot.app.deps["campaign_runner"].run_until_idle()
        await bot.app.outbox.drain(5)
        rows = await recipients(bot, campaign_id)
        assert set(rows) == set(dormant)  # 1031 entered dormant days before: not this run
        holdout = {u for u, r in rows.items() if r.arm == "holdout"}
        assert len(holdout) == 2 and not holdout & set(private_sends(bot))
        sent = {u for u, r in rows.items() if r.status == "sent"}
        assert set(private_sends(bot)) == sent and len(sent) == 18
        text = next(c.text for c in bot.sent(SendMessage) if int(c.chat_id) in sent)
        assert "we haven't seen you in <b>Test Group</b>" in text and "15 bonus points" in text

        # A check-in within 3 days pays the bonus once; a held-out member's check-in pays none.
        back = min(sent)
        clock.at += timedelta(days=1)
        for who in (back, min(holdout)):
            await bot.feed(f.message(f.user(who), "/checkin", date=clock()))
        assert await reactivation.pay_bonuses(clock()) == 1
        assert await reactivation.pay_bonuses(clock()) == 0
        async with bot.app.session_factory() as s:
            credited = (
                await s.exec(
                    sa.select(LedgerEntry.user_id, LedgerEntry.amount).where(
                        LedgerEntry.source == "campaign"
                    )
                )  # fmt: skip
            ).all()
        assert [tuple(c) for c in credited] == [(back, 15)]

        # The next day's run: the same members are not messaged again within 30 days.
        async with bot.app.session_factory() as s:
            await s.exec(
                sa.update(MemberSegment)
                .where(MemberSegment.user_id.in_(dormant))
                .values(stage_since=day + timedelta(days=1))
            )
            await s.exec(sa.update(SegmentState).values(computed_day=day + timedelta(days=1)))
            await s.commit()
        clock.at += timedelta(minutes=2)
        assert await reactivation.sweep() == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # handler logic; SQL above
async def test_the_guided_campaign(db_url: str) -> None:
    clock = Clock(local(0, 12))
    async with running_bot(db_url, admins={(G, 100)}, clock=clock) as bot:
        await setup_members(bot, clock())
        bot.clear()
        await bot.feed(f.message(ADMIN, "/campaign", date=clock()))
        first = bot.sent(SendMessage)[-1]
        assert "Who should get it?" in first.text
        labels = [b.text for row in first.reply_markup.inline_keyboard for b in row]
        assert labels[:6] == ["all", "new", "returned", "at_risk", "dormant", "churned"]
        audience = first.reply_markup.inline_keyboard[0][0].callback_data
        assert "Only group administrators" in await press(bot, MEMBERS[4], audience)
        await press(bot, ADMIN, audience)
        [asked] = [c for c in bot.sent(EditMessageText)]
        assert "What should it say?" in asked.text
        assert "already answered" in await press(bot, ADMIN, audience)

        # The text comes as a reply to the question (a member's reply is not an answer).
        question = f.bot_message(5, "What should it say?")
        await bot.feed(f.message(MEMBERS[4], "me too", reply_to=question, date=clock()))
        bot.clear()
        await bot.feed(f.message(ADMIN, "Dear {name}, our anniversary party is on Saturday!",
                                 reply_to=question, date=clock()))  # fmt: skip
        buttons = bot.sent(SendMessage)[-1]
        assert "A button under it?" in buttons.text
        claim = buttons.reply_markup.inline_keyboard[1][0].callback_data
        await press(bot, ADMIN, claim)
        [when] = [c for c in bot.sent(EditMessageText)]
        assert "When?" in when.text
        now = when.reply_markup.inline_keyboard[0][0].callback_data
        await press(bot, ADMIN, now)
        [preview] = [c for c in bot.sent(EditMessageText)]
        assert "Audience: 41" in preview.text and "claim 10 points" in preview.text
        assert "Dear Alex, our anniversary party is on Saturday!" in preview.text
        confirm = preview.reply_markup.inline_keyboard[0][0].callback_data
        await press(bot, ADMIN, confirm)
        bot.clear()
        await bot.app.deps["campaign_runner"].run_until_idle()
        await bot.app.outbox.drain(5)
        sent = [c for c in bot.sent(SendMessage) if int(c.chat_id) > 0]
        assert len(sent) == len({c.chat_id for c in sent}) > 20
        assert sent[0].text.startswith("Dear M")
        assert sent[0].reply_markup.inline_keyboard[0][0].text == "🎁 Claim 10 points"
