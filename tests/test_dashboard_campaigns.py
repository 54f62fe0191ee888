"""The dashboard's Campaigns page API in-process (the real app and database, SQLite and
PostgreSQL; Telegram answered in-process, the clock moved by the test): the live count and a
selector's error position, preview and Confirm (a second Confirm refused), the list's progress
and quiet hours, pause / resume / cancel (audited), the report's numbers against a hand count
with the chat report's verdict, the CSV, and refusals (a non-admin, no CSRF, bad input)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import sqlalchemy as sa
from aiogram.methods import SendMessage

from devtools.emulator import webapp
from storage.tables import AuditLog, Campaign, CampaignRecipient, TgUser
from tests import factories as f
from tests.app_harness import Harness, running_bot
from tests.inline_worker import InlineWorker
from tests.test_campaigns import Clock, local
from tests.test_dashboard_api import ADMIN, BOB, Client, dashboard

G = f.GROUP_ID
MEMBERS = [f.user(2000 + i, f"M{i}") for i in range(64)]
OPTED = MEMBERS[0]


async def log_in(client: Client, clock: Clock, user_id: int) -> int:
    raw = webapp.init_data(client.world, user_id, auth_date=int(clock().timestamp()))
    response = await client.http.post("/api/session", json={"init_data": raw})
    if response.status == 200:
        client.csrf = (await response.json())["csrf"]
    return response.status


async def rows(bot: Harness, stmt: sa.Select) -> list:
    async with bot.app.session_factory() as s:
        return list((await s.exec(stmt)).all())  # type: ignore[call-overload]


async def test_campaigns_page(db_url: str) -> None:
    clock = Clock(local(0, 12))
    async with running_bot(
        db_url, admins={(G, 100)}, dashboard_url="http://dash.test/", clock=clock
    ) as bot:
        bot.app.deps["worker"] = InlineWorker()
        await bot.feed(*(f.message(m, "hello", date=clock()) for m in MEMBERS))
        async with bot.app.session_factory() as s:
            ids = [m["id"] for m in MEMBERS]
            await s.exec(sa.update(TgUser).where(TgUser.id.in_(ids)).values(started_at=clock()))
            await s.commit()
        await bot.feed(f.message(OPTED, "/unsubscribe", chat_id=OPTED["id"], date=clock()))
        await bot.feed(f.message(ADMIN, "/settings campaign_holdout 50", date=clock()))
        async with dashboard(bot) as client:
            # ---- refusals: a member who is not an admin, a write without CSRF ----------------
            assert await log_in(client, clock, BOB["id"]) == 200
            assert (await client.get(f"g/{G}/campaigns"))[0] == 403
            assert (await client.get(f"g/{G}/campaigns/count", selector="all"))[0] == 403
            assert await log_in(client, clock, ADMIN["id"]) == 200
            status, _ = await client.post(
                f"g/{G}/campaigns/preview", {"selector": "all", "text": "Hi"}, csrf=""
            )
            assert status == 403
            assert await rows(bot, sa.select(Campaign.id)) == []

            # ---- the live count and a selector's error where it is ---------------------------
            status, n = await client.get(f"g/{G}/campaigns/count", selector="all")
            # 64 members and the admin; one unsubscribed, the admin never started the bot.
            assert status == 200 and n["audience"] == 65 and n["holdout_percent"] == 50
            assert (n["reachable"], n["opted_out"], n["unreachable"]) == (63, 1, 1)
            assert n["holdout"] == round(65 * 50 / 100)
            assert (await client.get(f"g/{G}/campaigns/count", selector="tag:nobody"))[1][
                "audience"
            ] == 0
            status, bad = await client.get(f"g/{G}/campaigns/count", selector="all+dormnt")
            assert status == 400 and "dormnt" in bad["error"] and bad["position"] == 5
            status, bad = await client.post(
                f"g/{G}/campaigns/preview", {"selector": "dormnt", "text": "Hi"}
            )
            assert status == 400 and bad["position"] == 1
            status, bad = await client.post(
                f"g/{G}/campaigns/preview",
                {"selector": "all", "text": "Hi", "button": "claim", "points": "0"},
            )
            assert status == 400 and "not a valid option" in bad["error"]
            status, bad = await client.post(
                f"g/{G}/campaigns/preview",
                {"selector": "all", "text": "Hi", "button": "link", "url": "ftp://x"},
            )
            assert status == 400 and "must start with http" in bad["error"]
            assert await rows(bot, sa.select(Campaign.id)) == []  # nothing stored

            # ---- preview, Confirm, a second Confirm ----------------------------------------
            bot.clear()
            status, p = await client.post(
                f"g/{G}/campaigns/preview",
                {
                    "selector": "all",
                    "text": "Hi {name}, <b>come back</b>",
                    "button": "claim",
                    "points": 20,
                },
            )
            assert status == 200 and p["audience"] == 65 and p["reachable"] == 63
            assert p["sample"] == "Hi Alex, <b>come back</b>"  # the text as typed, not markup
            assert "20 points" in p["button"]
            status, done = await client.post(f"g/{G}/campaigns/{p['id']}/confirm", {})
            assert status == 200 and done["campaign"]["number"] == 1
            status, again = await client.post(f"g/{G}/campaigns/{p['id']}/confirm", {})
            assert status == 400 and "already confirmed" in again["error"]
            await bot.app.deps["campaign_runner"].run_until_idle()
            await bot.app.outbox.drain(5)
            private = {int(c.chat_id) for c in bot.sent(SendMessage) if int(c.chat_id) > 0}
            arms = dict(
                await rows(
                    bot, sa.select(CampaignRecipient.user_id, CampaignRecipient.arm)
                )  # fmt: skip
            )
            treated = {u for u, a in arms.items() if a == "treated"}
            held = {u for u, a in arms.items() if a == "holdout"}
            assert len(held) == 32 and not private & held
            c1 = (await client.get(f"g/{G}/campaigns"))[1]["campaigns"][0]
            assert c1["number"] == 1 and c1["status"] == "done" and c1["total"] == 33
            assert c1["sent"] == len(private & treated) and c1["done"] == 33
            assert c1["skipped"] == len(treated - private) and c1["actions"] == []

            # ---- pause, resume, cancel (quiet hours shown while it waits) -------------------
            clock.at = local(0, 23)
            status, p2 = await client.post(
                f"g/{G}/campaigns/preview", {"selector": "tag:nobody+all", "text": "x"}
            )
            assert status == 400  # nobody: the chat's message
            p2 = (
                await client.post(f"g/{G}/campaigns/preview", {"selector": "all", "text": "Hey"})
            )[1]
            assert (await client.post(f"g/{G}/campaigns/{p2['id']}/confirm", {}))[0] == 200
            await bot.app.deps["campaign_runner"].run_until_idle()  # quiet hours: waits
            c2 = (await client.get(f"g/{G}/campaigns"))[1]["campaigns"][0]
            assert c2["number"] == 2 and c2["status"] == "sending" and c2["sent"] == 0
            assert c2["waiting_until"] == (local(1, 8)).strftime("%Y-%m-%dT%H:%M:%SZ")
            assert c2["actions"] == ["pause", "cancel"]
            paused = (await client.post(f"g/{G}/campaigns/{p2['id']}/pause", {}))[1]
            assert paused["campaign"]["status"] == "paused"
            status, refused = await client.post(f"g/{G}/campaigns/{p2['id']}/pause", {})
            assert status == 400
            resumed = (await client.post(f"g/{G}/campaigns/{p2['id']}/resume", {}))[1]
            assert resumed["campaign"]["status"] == "sending"
            cancelled = (await client.post(f"g/{G}/campaigns/{p2['id']}/cancel", {}))[1]
            assert cancelled["campaign"]["status"] == "cancelled"
            assert (await client.post(f"g/{G}/campaigns/{p2['id']}/resume", {}))[0] == 400
            actions = [
                a
                for (a,) in await rows(
                    bot, sa.select(AuditLog.action).where(AuditLog.actor_id == 100)
                )
                if a.startswith("campaign_")
            ]
            assert sorted(actions) == sorted(
                [
                    "campaign_confirmed",
                    "campaign_confirmed",
                    "campaign_pause",
                    "campaign_resume",
                    "campaign_cancel",
                ]
            )

            # ---- the report against a hand count, the chat's verdict, the CSV --------------
            clock.at = local(2, 10)
            back_treated = sorted(treated)[:25]
            back_held = sorted(held)[:3]
            await bot.feed(
                *(
                    f.message(f.user(u, "x"), "back", date=clock())
                    for u in back_treated + back_held
                )  # fmt: skip
            )
            clock.at = local(9, 12)
            status, r = await client.get(f"g/{G}/campaigns/1/report")
            assert status == 200 and r["window"]["days"] == 7
            assert (r["treated"]["members"], r["treated"]["count"]) == (33, 25)
            assert (r["holdout"]["members"], r["holdout"]["count"]) == (32, 3)
            assert abs(r["treated"]["rate"] - 25 / 33) < 1e-9
            assert r["holdout"]["low"] < 3 / 32 < r["holdout"]["high"]
            d = r["difference"]
            assert abs(d["value"] - (25 / 33 - 3 / 32)) < 1e-9 and d["low"] > 0
            assert d["verdict"] == "b_better" and r["claims"]
            bot.clear()
            await bot.feed(f.message(ADMIN, "/campaign 1", date=clock()))
            chat = bot.last_text()
            assert len(r["verdict"]) == 2 and all(line in chat for line in r["verdict"])
            assert "brought members back" in r["verdict"][1]
            response = await client.http.get("/api/" + r["csv"])
            assert response.status == 200
            table = list(csv.reader(io.StringIO((await response.read()).decode("utf-8-sig"))))
            assert table[0][:3] == ["user_id", "arm", "status"] and len(table) == 66
            assert (await client.get(f"g/{G}/campaigns/9/report"))[0] == 400
            assert clock() - local(0, 12) == timedelta(days=9, hours=0)
