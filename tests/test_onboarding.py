"""Onboarding through join requests on SQLite and PostgreSQL: the questions admins write, a
request's questionnaire (answers, forged and stale presses, Telegram's 5-minute window), the
decisions and the profile fields they leave, the export and the seams for /whois and
selectors."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from core.community.members import MemberService, user_row
from core.events import EventBus
from core.growth import questions as qs
from core.growth.export import onboarding_csv
from core.growth.fields import field_condition, parse_field_term
from core.growth.onboarding import (
    APPROVED,
    DECLINED,
    BadOption,
    NotYourQuestion,
    OnboardingService,
    QuestionnaireOver,
    StaleQuestion,
)
from core.growth.profile import growth_profile
from core.uow import UnitOfWork
from storage.db import SessionFactory
from storage.tables import AuditLog, Member, MemberField
from tests.group_service import group_service

GROUP = -1001000000088
AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ADA, BOB, CAT = 100, 200, 300
CITY = "city | Which city are you in? | 上海, 北京, 其他"
INTRO = "intro | What brings you here?"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class World:
    def __init__(self, session_factory: SessionFactory) -> None:
        self.session_factory = session_factory
        self.clock = Clock(AT)
        self.groups = group_service(session_factory)
        self.bus = EventBus()
        self.onboarding = OnboardingService(
            session_factory, self.groups, clock=self.clock, bus=self.bus
        )
        self.onboarding.subscribe(self.bus)
        self.members = MemberService(session_factory)
        self._update_ids = iter(range(1, 10_000))

    async def run(self, work: Any, *, update: bool = False) -> Any:
        uow = UnitOfWork(
            None,
            next(self._update_ids) if update else None,
            factory=self.session_factory,
            bus=self.bus,
        )
        try:
            return await work(uow)
        finally:
            await uow.close()

    async def setup(self, *questions: str, **settings: str) -> None:
        await self.run(lambda uow: self.groups.register(uow, GROUP, "Tea House", ADA, AT))
        settings = {"onboarding": "on", **settings}
        for key, value in settings.items():
            await self.run(
                lambda uow, k=key, v=value: self.groups.change(uow, GROUP, ADA, k, v, AT)
            )
        for line in questions:
            await self.run(
                lambda uow, line=line: self.onboarding.add_question(
                    uow, GROUP, ADA, qs.parse_question(line), AT
                )
            )

    async def request(self, user_id: int, at: datetime = AT, now: datetime | None = None) -> Any:
        group = await self.groups.settings_for(GROUP)
        return await self.run(
            lambda uow: self.onboarding.on_request(
                uow,
                group,
                user_id=user_id,
                user_chat_id=user_id,
                name=f"User{user_id}",
                invite_link=None,
                requested_at=at,
                now=now or at,
            ),
            update=True,
        )

    async def choose(
        self, request_id: int, user_id: int, step: int, option: int, at: datetime
    ) -> Any:
        return await self.run(
            lambda uow: self.onboarding.answer(
                uow, request_id, user_id, step, option=option, at=at
            ),
            update=True,
        )

    async def write(
        self, request_id: int, user_id: int, step: int, text: str, at: datetime
    ) -> Any:
        return await self.run(
            lambda uow: self.onboarding.answer(uow, request_id, user_id, step, text=text, at=at),
            update=True,
        )

    async def fields(self, user_id: int) -> dict[str, str]:
        async with self.session_factory() as s:
            rows = await s.exec(
                select(MemberField.field, MemberField.value).where(
                    MemberField.group_id == GROUP, MemberField.user_id == user_id
                )
            )
            return dict(rows.all())


async def test_a_questionnaire_answered_and_approved(session_factory: SessionFactory) -> None:
    w = World(session_factory)
    await w.setup(CITY, INTRO)
    started = await w.request(BOB)
    assert started.action == "ask" and started.question.field == "city"
    request = started.request
    assert request.deadline_at == AT + timedelta(minutes=5)

    # Forged and stale presses change nothing.
    with pytest.raises(NotYourQuestion):
        await w.choose(request.id, CAT, 0, 0, AT + timedelta(seconds=20))
    with pytest.raises(BadOption):
        await w.choose(request.id, BOB, 0, 7, AT + timedelta(seconds=20))
    nxt = await w.choose(request.id, BOB, 0, 0, AT + timedelta(seconds=30))
    assert nxt.action == "ask" and nxt.question.field == "intro"
    with pytest.raises(StaleQuestion):  # the same button again
        await w.choose(request.id, BOB, 0, 1, AT + timedelta(seconds=31))
    with pytest.raises(qs.AnswerTooLong):
        await w.write(request.id, BOB, 1, "x" * 201, AT + timedelta(seconds=40))
    done = await w.write(request.id, BOB, 1, "  Tea,  mostly ", AT + timedelta(seconds=50))
    assert done.action == "approve" and done.request.status == "answered"
    assert done.request.answers == (("city", "上海"), ("intro", "Tea, mostly"))
    with pytest.raises(QuestionnaireOver):
        await w.write(request.id, BOB, 2, "more", AT + timedelta(seconds=55))

    # The bot's approval (after Telegram took it) writes the fields; recorded once.
    decided = await w.onboarding.decide(request.id, APPROVED, None, AT + timedelta(minutes=1))
    assert decided is not None and decided.status == APPROVED
    assert await w.onboarding.decide(request.id, DECLINED, ADA, AT) is None
    assert await w.fields(BOB) == {"city": "上海", "intro": "Tea, mostly"}


async def test_admins_decide_and_are_audited(session_factory: SessionFactory) -> None:
    w = World(session_factory)
    await w.setup(CITY, onboarding_approve="admins")
    request = (await w.request(BOB)).request
    done = await w.choose(request.id, BOB, 0, 1, AT + timedelta(seconds=10))
    assert done.action == "review"
    decided = await w.onboarding.decide(request.id, DECLINED, ADA, AT + timedelta(minutes=2))
    assert decided is not None and decided.decided_by == ADA
    assert await w.fields(BOB) == {}  # declined: not a member, no profile
    async with session_factory() as s:
        audit = (
            await s.exec(select(AuditLog).where(AuditLog.action == "onboarding_declined"))
        ).one()
    assert (audit.actor_id, audit.target_user_id) == (ADA, BOB) and "北京" in audit.details


async def test_not_finished_in_time_goes_to_the_admins_with_what_was_answered(
    session_factory: SessionFactory,
) -> None:
    w = World(session_factory)
    await w.setup(CITY, INTRO)
    bob = (await w.request(BOB)).request
    await w.choose(bob.id, BOB, 0, 2, AT + timedelta(minutes=1))
    cat = (await w.request(CAT)).request
    # An answer after the window: not taken, the request is the admins'.
    late = await w.write(bob.id, BOB, 1, "hello", AT + timedelta(minutes=5, seconds=1))
    assert late.action == "review" and late.request.timed_out
    assert late.request.answers == (("city", "其他"),)
    # Cat never answers: the leader's sweep hands her request over, once.
    w.clock.now = AT + timedelta(minutes=6)
    handed = await w.onboarding.expire_due()
    assert [(r.user_id, r.status, r.timed_out) for r in handed] == [(CAT, "review", True)]
    assert await w.onboarding.expire_due() == []
    async with session_factory() as s:
        waiting, total = await w.onboarding.in_review(s, GROUP)
    assert total == 2 and {r.user_id for r in waiting} == {BOB, CAT}
    assert cat.status == "asking"  # never declined by the bot


async def test_a_request_that_arrives_after_its_window_is_left_to_the_admins(
    session_factory: SessionFactory,
) -> None:
    w = World(session_factory)
    await w.setup(CITY)
    started = await w.request(BOB, at=AT, now=AT + timedelta(minutes=7))  # the bot was down
    assert started.action == "review" and started.request.timed_out
    assert started.request.status == "review"


async def test_without_questions_or_with_onboarding_off(session_factory: SessionFactory) -> None:
    w = World(session_factory)
    await w.setup()
    started = await w.request(BOB)
    assert started.action == "approve" and started.request.questions == ()
    await w.run(lambda uow: w.groups.change(uow, GROUP, ADA, "onboarding", "off", AT))
    assert await w.request(CAT) is None  # the request is the admins' as usual


async def test_a_join_telegram_reports_records_the_approval(
    session_factory: SessionFactory,
) -> None:
    """Approved in Telegram's own interface, or our record of the approval was lost: the join
    says it, and the answers become fields."""
    w = World(session_factory)
    await w.setup(CITY, onboarding_approve="admins")
    request = (await w.request(BOB)).request
    await w.choose(request.id, BOB, 0, 1, AT + timedelta(seconds=10))
    row = user_row(BOB, None, "Bob", "en")
    await w.run(
        lambda uow: w.members.record_joins(
            uow, GROUP, [row], AT + timedelta(minutes=1), via_join_request=True
        )
    )
    async with session_factory() as s:
        found = await w.onboarding.request(s, request.id)
    assert found is not None and found.status == APPROVED and found.decided_by is None
    assert await w.fields(BOB) == {"city": "北京"}
    # The admin whose press Telegram took is named (once), and audited.
    decided = await w.onboarding.decide(request.id, APPROVED, ADA, AT + timedelta(minutes=2))
    assert decided is not None and decided.decided_by == ADA
    assert await w.onboarding.decide(request.id, APPROVED, CAT, AT + timedelta(minutes=3)) is None
    async with session_factory() as s:
        audited = (
            await s.exec(select(AuditLog.actor_id).where(AuditLog.action == "onboarding_approved"))
        ).all()
    assert list(audited) == [ADA]


async def test_questions_admins_write(session_factory: SessionFactory) -> None:
    w = World(session_factory)
    await w.setup(CITY, INTRO)
    with pytest.raises(qs.DuplicateField):
        await w.setup(CITY)
    await w.run(lambda uow: w.onboarding.move_question(uow, GROUP, ADA, 2, 1, AT))
    async with session_factory() as s:
        assert [q.question.field for q in await w.onboarding.questions(s, GROUP)] == [
            "intro",
            "city",
        ]
    gone = await w.run(lambda uow: w.onboarding.remove_question(uow, GROUP, ADA, 1, AT))
    assert gone.field == "intro"
    with pytest.raises(qs.NoSuchQuestion):
        await w.run(lambda uow: w.onboarding.remove_question(uow, GROUP, ADA, 5, AT))
    for i in range(9):
        await w.run(
            lambda uow, i=i: w.onboarding.add_question(
                uow, GROUP, ADA, qs.parse_question(f"f{i} | Q{i}?"), AT
            )
        )
    with pytest.raises(qs.TooManyQuestions):
        await w.run(
            lambda uow: w.onboarding.add_question(uow, GROUP, ADA, qs.parse_question("x | ?"), AT)
        )
    # A questionnaire under way keeps the questions it started with.
    started = await w.request(BOB)
    await w.run(lambda uow: w.onboarding.remove_question(uow, GROUP, ADA, 1, AT))
    nxt = await w.choose(started.request.id, BOB, 0, 0, AT + timedelta(seconds=5))
    assert nxt.request.answers == (("city", "上海"),)


async def test_fields_for_the_export_the_selector_and_the_card(
    session_factory: SessionFactory,
) -> None:
    w = World(session_factory)
    await w.setup(CITY, INTRO)
    for user_id, city in ((BOB, 0), (CAT, 1)):
        request = (await w.request(user_id)).request
        await w.choose(request.id, user_id, 0, city, AT + timedelta(seconds=5))
        await w.write(request.id, user_id, 1, "=SUM(A1)", AT + timedelta(seconds=9))
        await w.onboarding.decide(request.id, APPROVED, None, AT + timedelta(seconds=10))
    for user_id in (BOB, CAT):
        await w.run(
            lambda uow, u=user_id: w.members.record_joins(
                uow, GROUP, [user_row(u, f"u{u}", f"User{u}", "en")], AT
            )
        )
    async with session_factory() as s:
        data, count = await onboarding_csv(s, GROUP)
        name, value = parse_field_term("city=上海")
        shanghai = (
            await s.exec(
                select(Member.user_id).where(
                    Member.group_id == GROUP, field_condition(GROUP, name, value, Member.user_id)
                )
            )
        ).all()
        card = await growth_profile(s, GROUP, CAT)
    rows = list(csv.reader(io.StringIO(data.decode())))
    assert count == 2 and rows[0] == [
        "user_id",
        "username",
        "display_name",
        "city",
        "intro",
        "updated_at",
    ]
    assert rows[1][:5] == [str(BOB), f"u{BOB}", f"User{BOB}", "上海", "'=SUM(A1)"]  # no formula
    assert list(shanghai) == [BOB]
    assert card.fields == (("city", "北京"), ("intro", "=SUM(A1)")) and card.inviter is None
