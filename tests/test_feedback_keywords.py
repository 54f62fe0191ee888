"""Admins edit the keyword lists that propose a category, per group; bad input changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from core.feedback import keywords, rules
from storage.tables import FeedbackItem, FeedbackKeywords
from tests import factories as f
from tests.app_harness import Harness, running_bot

DAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ADMIN = f.user(100, "Ada", username="ada")
BOB = f.user(200, "Bob", username="bob")
OTHER_GROUP = -1009999999999


async def stored(bot: Harness) -> list[tuple[int, str, str]]:
    async with bot.app.session_factory() as s:
        rows = (await s.exec(select(FeedbackKeywords))).scalars().all()
    return sorted((r.group_id, r.category, r.words) for r in rows)


async def categories(bot: Harness) -> list[str]:
    async with bot.app.session_factory() as s:
        rows = (await s.exec(select(FeedbackItem).order_by(FeedbackItem.id))).scalars().all()
    return [r.category for r in rows]


def test_parse_words_and_categories() -> None:
    assert keywords.parse_words("Crash  LAG crash") == ("crash", "lag")
    assert keywords.parse_words("not loading, 打不开、 Slow ") == ("not loading", "打不开", "slow")
    with pytest.raises(keywords.NoWords):
        keywords.parse_words(" , ,")
    with pytest.raises(keywords.WordTooLong):
        keywords.parse_words("x" * (keywords.MAX_WORD + 1))
    assert (
        keywords.category_of("技术问题") == "bug" and keywords.category_of("Feature") == "feature"
    )
    with pytest.raises(keywords.UnknownCategory):
        keywords.category_of("other")


async def test_admins_edit_the_lists_the_proposal_uses(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(ADMIN, "/feedback keywords", date=DAY))
        shown = bot.last_text()
        assert "Keywords that propose a category" in shown and "crash" in shown
        assert "default" in shown and "/feedback keywords bug add" in shown

        # "lag" proposes nothing yet; added to bug, it does (in this group only).
        await bot.feed(f.message(BOB, "/feedback so much lag today", date=DAY))
        await bot.feed(f.message(ADMIN, "/feedback keywords bug add Lag, frozen screen", date=DAY))
        assert bot.last_text().startswith("✅ 🐞 Bug:") and "frozen screen" in bot.last_text()
        await bot.feed(f.message(BOB, "/feedback so much lag today again", date=DAY))
        await bot.feed(f.message(BOB, "hi", chat_id=OTHER_GROUP, date=DAY))
        await bot.feed(f.message(BOB, "/feedback lag there", chat_id=OTHER_GROUP, date=DAY))
        assert await categories(bot) == ["other", "bug", "other"]

        # A default word removed stops counting; reset brings the defaults back.
        await bot.feed(f.message(ADMIN, "/feedback keywords 功能建议 remove idea", date=DAY))
        await bot.feed(f.message(BOB, "/feedback an idea", date=DAY))
        assert (await categories(bot))[-1] == "other"
        own = {c: w.split("\n") for g, c, w in await stored(bot)}
        assert own["bug"][-2:] == ["lag", "frozen screen"] and "crash" in own["bug"]
        assert "idea" not in own["feature"] and "suggest" in own["feature"]
        await bot.feed(f.message(ADMIN, "/feedback keywords feature reset", date=DAY))
        assert "back to the default" in bot.last_text()
        assert [c for _, c, _ in await stored(bot)] == ["bug"]
        await bot.feed(f.message(ADMIN, "/feedback keywords", date=DAY))
        assert "this group's list" in bot.last_text() and "frozen screen" in bot.last_text()


async def test_bad_keyword_input_is_refused_and_changes_nothing(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(ADMIN, "/feedback keywords colour add red", date=DAY))
        assert bot.last_text() == (
            "There is no category “colour” with keywords. Categories: feature, service, bug. "
            "Nothing was changed."
        )
        await bot.feed(f.message(ADMIN, "/feedback keywords bug add", date=DAY))
        assert bot.last_text().startswith("Which words?")
        await bot.feed(f.message(ADMIN, "/feedback keywords bug add , ,", date=DAY))
        assert bot.last_text().startswith("Which words?")
        await bot.feed(f.message(ADMIN, "/feedback keywords bug paint red", date=DAY))
        assert "Unknown option “paint”" in bot.last_text()
        await bot.feed(f.message(ADMIN, "/feedback keywords bug add " + "x" * 41, date=DAY))
        assert "at most 40 characters" in bot.last_text()
        # A member may not edit (nor read) the lists.
        await bot.feed(f.message(BOB, "/feedback keywords bug add lag", date=DAY))
        assert bot.last_text() == "Only administrators of the feedback's group can do that."
        # In private it is no feedback text either: the lists belong to a group.
        await bot.feed(f.message(ADMIN, "/feedback keywords", chat_id=100, date=DAY))
        assert "send <code>/feedback keywords</code> in the group" in bot.last_text(100)
        assert await stored(bot) == [] and await categories(bot) == []


def test_defaults_are_used_for_categories_without_a_list() -> None:
    lists = keywords.merged({"bug": ("lag",)})
    assert lists["bug"] == ("lag",) and lists["feature"] == rules.DEFAULT_KEYWORDS["feature"]
