"""Growth's contributions through the segments registries: onboarding answers on /whois and
`field:city=上海` in the selector, with neither the card's renderer nor the parser knowing."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from storage.tables import MemberField
from tests import factories as f
from tests.app_harness import running_bot

G = f.GROUP_ID
ADMIN = f.user(100, "Ada", username="ada")
BOB = f.user(200, "Bob", username="bob")
EVE = f.user(300, "Eve", username="eve")


async def test_fields_on_the_card_and_in_the_selector(db_url: str) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    async with running_bot(db_url, admins={(G, 100)}) as bot:
        await bot.feed(
            f.message(BOB, "hello everyone", date=now),
            f.message(EVE, "hi there all", date=now),
            f.message(ADMIN, "hi", date=now),
        )
        async with bot.app.session_factory() as s:
            await s.exec(
                sa.insert(MemberField.__table__),
                params=[
                    {
                        "group_id": G,
                        "user_id": 200,
                        "field": "city",
                        "value": "上海",
                        "updated_at": now,
                    },
                    {
                        "group_id": G,
                        "user_id": 300,
                        "field": "city",
                        "value": "北京",
                        "updated_at": now,
                    },
                ],
            )
            await s.commit()
        await bot.feed(f.message(ADMIN, "/segments field:city=上海+active", date=now))
        listed = bot.last_text()
        assert "field:city=上海+active</b> — 1 members" in listed and "Bob" in listed
        assert "Eve" not in listed
        await bot.feed(f.message(ADMIN, "/segments all-字段:city=北京", date=now))
        assert "all-field:city=北京</b> — 2 members" in bot.last_text()
        await bot.feed(f.message(ADMIN, "/segments field:city", date=now))
        assert "is not a field term" in bot.last_text()
        await bot.feed(f.message(ADMIN, "/whois @bob", date=now))
        card = bot.last_text()
        assert "• <b>city</b>: 上海" in card
        assert card.index("Last active") < card.index("city") < card.index("Check-in days")
