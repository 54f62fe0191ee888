"""The rules of referral invites and of onboarding questions, table by table (no I/O)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.growth import questions as qs
from core.growth import rules
from core.growth.fields import BadFieldTerm, parse_field_term
from core.growth.invites import rewarded

JOIN = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("owner", "invitee", "first_seen", "expected", "why"),
    [
        (7, 8, None, 7, "never seen: a newcomer through 7's link"),
        (7, 8, JOIN, 7, "first seen at this very join"),
        (7, 8, JOIN - timedelta(minutes=9), 7, "Telegram's other report of the join"),
        (7, 8, JOIN - timedelta(minutes=11), None, "seen before the join: not a newcomer"),
        (7, 8, JOIN - timedelta(days=200), None, "an old member rejoining"),
        (8, 8, None, None, "their own link"),
        (None, 8, None, None, "not a personal link"),
    ],
)
def test_attribution(
    owner: int | None, invitee: int, first_seen: datetime | None, expected: int | None, why: str
) -> None:
    assert rules.attributed_to(owner, invitee, first_seen, JOIN) == expected, why


@pytest.mark.parametrize(
    ("personal", "any_link", "by_request", "source"),
    [
        (True, True, False, "invite"),
        (True, True, True, "invite"),  # a personal link requiring approval is still theirs
        (False, True, True, "request"),
        (False, False, True, "request"),  # a public group's join request
        (False, True, False, "link"),
        (False, False, False, "other"),
    ],
)
def test_join_source(personal: bool, any_link: bool, by_request: bool, source: str) -> None:
    assert (
        rules.join_source(personal_link=personal, any_link=any_link, join_request=by_request)
        == source
    )


def test_a_second_report_only_sharpens_the_source() -> None:
    assert rules.sharper("other", "invite") and rules.sharper("link", "request")
    assert not rules.sharper("invite", "other") and not rules.sharper("link", "link")


@pytest.mark.parametrize(
    ("status", "left_after", "voided"),
    [
        ("joined", timedelta(hours=1), True),
        ("checked_in", timedelta(days=2, hours=23, minutes=59), True),
        ("checked_in", timedelta(days=3), False),  # stayed the 3 days: it still counts
        ("joined", timedelta(days=5), False),
        ("counted", timedelta(hours=1), False),  # counted already: never taken back
        ("left", timedelta(hours=1), False),
    ],
)
def test_the_three_day_rule(status: str, left_after: timedelta, voided: bool) -> None:
    assert rules.voided_by_leave(status, rules.due_at(JOIN), JOIN + left_after) is voided


@pytest.mark.parametrize(
    ("status", "now", "ready"),
    [
        ("checked_in", JOIN + timedelta(days=3), True),
        ("checked_in", JOIN + timedelta(days=2, hours=23), False),  # not 3 days yet
        ("joined", JOIN + timedelta(days=30), False),  # never checked in
        ("counted", JOIN + timedelta(days=30), False),  # once
        ("left", JOIN + timedelta(days=30), False),
    ],
)
def test_when_an_invite_counts(status: str, now: datetime, ready: bool) -> None:
    assert rules.payable(status, rules.due_at(JOIN), now) is ready


@pytest.mark.parametrize(
    ("points", "paid_today", "cap", "shares"),
    [
        (50, 0, 10, (50, 50, "paid")),
        (50, 9, 10, (50, 50, "paid")),
        (50, 10, 10, (0, 50, "capped")),  # over the inviter's cap: the newcomer still gets theirs
        (50, 0, 0, (0, 50, "capped")),
        (0, 0, 10, (0, 0, "off")),
    ],
)
def test_shares_and_the_daily_cap(
    points: int, paid_today: int, cap: int, shares: tuple[int, int, str]
) -> None:
    found = rules.shares(points, paid_today, cap)
    assert (found.inviter, found.invitee, found.reward) == shares


@pytest.mark.parametrize(
    ("status", "reward", "shown"),
    [
        ("counted", "paid", "yes"),
        ("counted", "capped", "capped"),
        ("counted", "off", "off"),
        ("joined", None, "pending"),
        ("checked_in", None, "pending"),
        ("left", None, "left"),
    ],
)
def test_the_exports_rewarded_column(status: str, reward: str | None, shown: str) -> None:
    assert rewarded(status, reward) == shown


def test_link_names_fit_telegrams_32_characters() -> None:
    assert rules.link_name("Alice  Smith", "alice", 1) == "Alice Smith"
    assert rules.link_name("", "alice", 1) == "@alice"
    assert rules.link_name("", None, 42) == "42"
    long = rules.link_name("王" * 40, None, 1)
    assert len(long) == 32 and long.endswith("…")


def test_one_line_questions() -> None:
    city = qs.parse_question("City | Which city are you in? | 上海, 北京，深圳、其他")
    assert city == qs.Question(
        "city", "choice", "Which city are you in?", ("上海", "北京", "深圳", "其他")
    )
    text = qs.parse_question("来源 | 你是怎么知道我们的?")
    assert (text.field, text.kind, text.options) == ("来源", "text", ())
    # The guided flow's button decides the kind.
    assert qs.parse_question("intro | Hello?", kind="text").kind == "text"


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("just words", qs.BadQuestionForm),
        ("a | b | c | d", qs.BadQuestionForm),
        (" | question", qs.BadQuestionForm),
        ("1city | Where?", qs.BadField),
        ("ci ty | Where?", qs.BadField),
        ("user_id | Where?", qs.BadField),  # the export's own column
        ("x" * 25 + " | Where?", qs.BadField),
        ("city | " + "q" * 301, qs.PromptTooLong),
        ("city | Where? | ", qs.BadOptionCount),  # 0 options
        ("city | Where? | only one", qs.BadOptionCount),
        ("city | Where? | " + ", ".join(f"c{i}" for i in range(30)), qs.BadOptionCount),
        ("city | Where? | a, " + "b" * 41, qs.OptionTooLong),
        ("city | Where? | Shanghai, shanghai", qs.DuplicateOption),
    ],
)
def test_bad_questions_are_refused(line: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        qs.parse_question(line)


def test_a_text_question_takes_no_options_and_choice_needs_them() -> None:
    with pytest.raises(qs.BadQuestionForm):
        qs.parse_question("intro | Hello? | a, b", kind="text")
    with pytest.raises(qs.BadOptionCount):
        qs.parse_question("city | Where?", kind="choice")


def test_answers() -> None:
    assert qs.clean_answer("  I  like   tea ") == "I like tea"
    with pytest.raises(qs.AnswerTooLong):
        qs.clean_answer("x" * 201)
    with pytest.raises(qs.EmptyAnswer):
        qs.clean_answer("   ")


def test_moving_questions() -> None:
    assert qs.moved(3, 3, 1) == [2, 0, 1]
    assert qs.moved(3, 1, 9) == [1, 2, 0]  # clamped
    with pytest.raises(qs.NoSuchQuestion):
        qs.moved(3, 4, 1)


def test_field_terms() -> None:
    assert parse_field_term("city=上海") == ("city", "上海")
    assert parse_field_term("City= New  York ") == ("city", "New York")
    for bad in ("city", "city=", "=上海", "1x=y"):
        with pytest.raises(BadFieldTerm):
            parse_field_term(bad)
