"""/export members and /export ledger on both databases."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from tests import factories as f
from tests.app_harness import running_bot

DAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ADMIN = f.user(100, "Ada", username="ada")


def parse(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


async def test_members_and_ledger_csv(db_url: str) -> None:
    sneaky = f.user(200, '=HYPERLINK("x")', username="sneaky")
    bob = f.user(300, "Bob", username="bob")
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(sneaky, "/checkin", date=DAY))
        await bot.feed(
            f.message(bob, "/checkin", date=DAY),
            f.message(bob, "/checkin", date=DAY + timedelta(days=1)),
        )
        await bot.feed(f.message(ADMIN, "/grant @bob 7 thanks", date=DAY + timedelta(days=1)))
        await bot.feed(f.message(ADMIN, "/tag @bob vip beta", date=DAY + timedelta(days=1)))
        await bot.feed(f.message(ADMIN, "/export members", date=DAY + timedelta(days=1)))
        doc = bot.documents()[-1]
        data = doc.document.data
        assert (
            data.splitlines()[0]
            == b"user_id,username,display_name,points,streak,best_streak,checkins,joined_at,"
            b"last_active_at,left_at,level,badges,stage,tier,risk,tags,active_days_30"
        )
        by_id = {r["user_id"]: r for r in parse(data)}
        assert (
            by_id["300"]["points"] == "27"
            and by_id["300"]["streak"] == "2"
            and by_id["300"]["checkins"] == "2"
        )
        assert (
            by_id["300"]["last_active_at"] == "2026-03-03T02:00:00Z"
            and by_id["300"]["left_at"] == ""
        )
        assert by_id["300"]["level"] == "1" and by_id["300"]["badges"] == "first_checkin"
        # Not classified yet (no daily run): seen lately, so active; casual until ranked.
        assert (by_id["300"]["stage"], by_id["300"]["tier"]) == ("active", "casual")
        assert by_id["300"]["tags"] == "beta vip" and by_id["200"]["tags"] == ""
        assert by_id["300"]["risk"] == ""  # not scored yet (prediction's daily run)
        assert by_id["200"]["display_name"].startswith("'=")  # no formula injection
        assert "Members: 3 rows" in doc.caption

        await bot.feed(f.message(ADMIN, "/export ledger", date=DAY + timedelta(days=1)))
        ledger = parse(bot.documents()[-1].document.data)
        assert list(ledger[0])[:6] == [
            "id",
            "user_id",
            "amount",
            "reason",
            "created_at",
            "actor_id",
        ]
        grant = [r for r in ledger if r["reason"] == "admin_grant"]
        assert (
            grant[0]["amount"] == "7"
            and grant[0]["actor_id"] == "100"
            and grant[0]["note"] == "thanks"
        )
        assert sum(int(r["amount"]) for r in ledger if r["user_id"] == "300") == 27


async def test_export_refused_for_members_and_bad_kinds(db_url: str) -> None:
    async with running_bot(db_url, admins={(f.GROUP_ID, 100)}) as bot:
        await bot.feed(f.message(f.user(300, "Bob"), "/export members", date=DAY))
        assert "Only group administrators" in bot.last_text() and not bot.documents()
        await bot.feed(f.message(ADMIN, "/export everything", date=DAY))
        assert (
            "Unknown option" in bot.last_text()
            and "members, ledger, redemptions, feedback" in bot.last_text()
        )
        await bot.feed(f.message(ADMIN, "/export", date=DAY))
        assert "Unknown option" in bot.last_text() and not bot.documents()
