"""The dashboard's HTTP API in-process (the real app, its handlers and database; Telegram answered
in-process), on SQLite and PostgreSQL: log-in through signed initData and its refusals, the
per-group authorization on every request, CSRF, the pages' use cases (a setting the bot then
uses, a redemption approved, feedback answered), members paged, searched and exported, and bad
input refused with nothing changed."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.methods import SendMessage
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.dashboard import init_data as webapp_auth
from bot.dashboard.sessions import COOKIE
from bot.replies import plain
from composition.dashboard import build_dashboard
from core.analytics.overview import HEADLINES
from core.schedule.best_time import ActivityMatrix
from devtools.emulator import webapp
from devtools.emulator.world import World
from storage.tables import AuditLog, Redemption, Reward
from tests import factories as f
from tests.app_harness import Harness, running_bot

TOKEN = "123456:TEST"
ADMIN = f.user(100, "Ada", username="ada")
BOB = f.user(200, "Bob", username="bob")
EVE = f.user(300, "<b>Eve</b> =1+1", username="eve")
OTHER_GROUP = -1009999999999
NOW = datetime.now(UTC)
G = f.GROUP_ID


def world_of(*people: dict[str, Any]) -> World:
    """The emulator's signer (Telegram's side), independent of the code under test."""
    world = World(bot_username="community_test_bot", files_dir=None)
    world.bot_token = TOKEN
    for person in people:
        world.users[person["id"]] = person
    return world


class Client:
    def __init__(self, http: TestClient, world: World) -> None:
        self.http = http
        self.world = world
        self.csrf = ""

    async def log_in(self, user_id: int, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        raw = webapp.init_data(self.world, user_id, **kwargs)
        response = await self.http.post("/api/session", json={"init_data": raw})
        body = await response.json()
        if response.status == 200:
            self.csrf = body["csrf"]
            self.set_cookie = response.headers["Set-Cookie"]
        return response.status, body

    async def get(self, path: str, **params: Any) -> tuple[int, Any]:
        response = await self.http.get("/api/" + path, params=params)
        return response.status, await response.json()

    async def post(
        self, path: str, body: dict[str, Any], *, csrf: str | None = None, rid: str | None = None
    ) -> tuple[int, Any]:
        headers = {"X-CSRF-Token": self.csrf if csrf is None else csrf}
        headers["X-Request-Id"] = rid or str(uuid.uuid4())
        response = await self.http.post("/api/" + path, json=body, headers=headers)
        return response.status, await response.json()


@asynccontextmanager
async def dashboard(bot: Harness) -> AsyncIterator[Client]:
    runtime = build_dashboard(bot.app)
    http = TestClient(TestServer(runtime.dashboard.build_app()))
    await http.start_server()
    try:
        yield Client(http, world_of(ADMIN, BOB, EVE))
    finally:
        await http.close()
        await runtime.close()


async def count(bot: Harness, stmt: Any) -> int:
    async with bot.app.session_factory() as s:
        return int((await s.exec(stmt)).scalar_one())


async def seed(bot: Harness) -> None:
    await bot.feed(f.message(BOB, "hello everyone", date=NOW), f.message(EVE, "hi", date=NOW))
    await bot.feed(f.message(ADMIN, "/grant @bob 99", date=NOW))
    await bot.feed(f.message(ADMIN, "/reward_add 30 5 Mug mode=manual", date=NOW))
    await bot.feed(f.message(BOB, "/redeem 1", date=NOW))
    confirm = next(
        b.callback_data
        for c in reversed(bot.session.calls)
        if isinstance(c, SendMessage) and c.reply_markup is not None
        for row in c.reply_markup.inline_keyboard
        for b in row
        if "Confirm" in b.text
    )
    await bot.feed(f.callback(BOB, confirm, 5))
    await bot.feed(f.message(BOB, "/feedback the shop page <script>alert(1)</script>", date=NOW))


@dataclass
class EveningActivity:
    """An activity source (core/schedule/best_time.py) where evenings stand out."""

    days: int

    async def weekday_hour_activity(self, uow: Any, group_id: int, **_: Any) -> ActivityMatrix:
        rows = [[10] * 24 for _ in range(7)]
        for row in rows:
            row[20] = 200
        rows[5][20] = 400  # Saturday evening: the busiest hour of the week
        return ActivityMatrix(tuple(tuple(r) for r in rows), self.days, "Asia/Shanghai")


async def test_log_in_pages_and_refusals(db_url: str) -> None:
    # Dated when the test starts, not when the module was collected minutes before: the heat map's
    # hour below is the hour of these events and of the reading (a run across a full hour failed).
    global NOW
    NOW = datetime.now(UTC)
    async with running_bot(
        db_url,
        admins={(G, 100)},
        dashboard_url="http://dash.test/",
        admin_cache_seconds=0,  # every request asks Telegram: a revoked admin is refused at once
    ) as bot:
        await seed(bot)
        async with dashboard(bot) as client:
            # ---- log-in: forged, expired and future-dated initData are refused --------------
            assert (await client.log_in(100, token="654321:FORGED"))[0] == 401
            old = int(time.time()) - 2 * 86400
            assert (await client.log_in(100, auth_date=old))[0] == 401
            status, body = await client.log_in(100, auth_date=int(time.time()) + 3600)
            assert status == 401 and "could not be checked" in body["error"]
            assert (await client.get("groups"))[0] == 401  # no session yet
            status, me = await client.log_in(100)
            assert status == 200 and me["user"]["id"] == 100
            assert me["pages"] == [
                "overview",
                "members",
                "rewards",
                "schedule",
                "campaigns",
                "feedback",
                "settings",
                "audit",
            ]
            assert me["texts"]["dash-page-of"] == "Page {page} of {pages}"
            cookie = client.set_cookie
            assert cookie.startswith(COOKIE + "=") and "HttpOnly" in cookie
            assert "SameSite=Lax" in cookie and "Max-Age=3600" in cookie
            assert (await client.get("groups"))[1]["groups"] == [
                {"id": str(G), "title": "Test Group"}
            ]

            # ---- overview --------------------------------------------------------------------
            status, overview = await client.get(f"g/{G}/overview", period="7d")
            assert status == 200
            assert [k["key"] for k in overview["headlines"]] == list(HEADLINES)
            kpis = {k["key"]: k for k in overview["headlines"]}
            # /stats' numbers from the analytics' day totals, against the 7 days before.
            assert kpis["members"] == {
                "key": "members",
                "value": 3,
                "previous": 0,
                "kind": "count",
            }
            assert kpis["messages"]["value"] == 2 and kpis["points_issued"]["value"] == 100
            assert kpis["redemptions"]["value"] == 1 and kpis["feedback"]["value"] == 1
            assert kpis["stickiness"]["kind"] == "rate" and kpis["stickiness"]["previous"] is None
            series = {s["key"]: s["values"] for s in overview["series"]}
            assert (
                series["members"][-1] == 3 and series["dau"][-1] == 3 and len(series["mau"]) == 7
            )
            local = NOW.astimezone(ZoneInfo("Asia/Shanghai"))
            assert overview["heatmap"][local.weekday()][local.hour] >= 4  # 2 messages, 2 commands
            assert overview["goals"] == []  # no goal table: the page's empty state
            ranged = (await client.get(f"g/{G}/overview", period="2026-01-01..2026-01-31"))[1]
            assert ranged["period"]["days"] == 31 and ranged["heatmap"] is None
            status, body = await client.get(f"g/{G}/overview", period="400d")
            assert status == 400 and "at most 366 days" in body["error"]
            assert (await client.get(f"g/{G}/overview", period="soon"))[0] == 400
            await bot.feed(f.message(ADMIN, "/goal set dau 50 by 2027-01-31", date=NOW))
            await bot.feed(f.message(ADMIN, "/goal set members 10", date=NOW))
            await bot.feed(f.message(ADMIN, "/goal star dau", date=NOW))
            goals = (await client.get(f"g/{G}/overview"))[1]["goals"]
            assert [(g["metric"], g["north_star"]) for g in goals] == [
                ("dau", True),
                ("members", False),
            ]
            dau = goals[0]
            assert dau["kind"] == "average" and dau["target"] == 50.0
            assert dau["deadline"] == "2027-01-31" and dau["outlook"] == "no_trend"
            # Complete days only (core/goals/metrics.py): today's activity is not in them yet.
            assert dau["current"] is None and dau["share"] == 0
            assert goals[1]["current"] is None and goals[1]["kind"] == "count"
            # ---- members: paged, searched, sorted, a card, the CSV --------------------------
            status, page = await client.get(f"g/{G}/members", sort="points", size=2)
            assert status == 200 and page["total"] == 3 and page["exact"]
            assert page["rows"][0]["id"] == 200 and len(page["rows"]) == 2  # Bob: most points
            page_points = page["rows"][0]["points"]
            page = (await client.get(f"g/{G}/members", q="@bo"))[1]
            assert [m["name"] for m in page["rows"]] == ["Bob"]
            eve = (await client.get(f"g/{G}/members", q="eve"))[1]["rows"][0]
            assert eve["name"] == "<b>Eve</b> =1+1"  # as written: the page shows it as text
            assert (await client.get(f"g/{G}/members", sort="nonsense"))[0] == 400
            status, card = await client.get(f"g/{G}/members/200")
            assert status == 200 and card["member"]["points"] == page_points
            assert card["redemptions"][0]["status"] == "pending"
            assert (await client.get(f"g/{G}/members/999"))[0] == 400
            response = await client.http.get(f"/api/g/{G}/members.csv", params={"q": "e"})
            csv_text = await response.text()
            assert response.headers["Content-Disposition"].startswith("attachment")
            assert "Eve" in csv_text and "Bob" not in csv_text.split("\n", 1)[1]

            # ---- members: segments' columns, tags from the card, the selector, its CSV -------
            bob = page["rows"][0]
            assert (
                bob["x_stage"] == "active" and bob["x_tier"] == "casual"
            )  # first seen since the last daily run
            assert bob["x_risk"] == "low" and bob["x_tags"] == [] and bob["x_active_days_30"] == 1
            status, tagged = await client.post(f"g/{G}/members/200/tags", {"tags": "VIP #gold"})
            assert status == 200 and tagged == {"tags": ["gold", "vip"], "added": ["gold", "vip"]}
            status, body = await client.post(f"g/{G}/members/200/tags", {"tags": "<b>"})
            assert status == 400 and "<b>" in body["error"]  # /tag's message, nothing changed
            assert (await client.post(f"g/{G}/members/200/tags", {"tags": "x"}, csrf="no"))[
                0
            ] == 403
            status, card = await client.get(f"g/{G}/members/200")
            assert (
                card["segment"]["tags"] == ["gold", "vip"] and card["segment"]["stage"] == "active"
            )
            vip = (await client.get(f"g/{G}/members", f_selector="active+tag:vip"))[1]
            assert [m["id"] for m in vip["rows"]] == [200] and vip["rows"][0]["x_tags"] == [
                "gold",
                "vip",
            ]
            rest = (await client.get(f"g/{G}/members", f_selector="all-tag:vip"))[1]
            assert sorted(m["id"] for m in rest["rows"]) == [100, 300]
            status, body = await client.get(f"g/{G}/members", f_selector="new+dormnt")
            assert status == 400 and body["position"] == 5 and "dormant" in body["error"]
            response = await client.http.get(
                f"/api/g/{G}/members.csv", params={"f_selector": "tag:vip"}
            )
            lines = (await response.text()).strip().split("\n")
            assert lines[0].endswith(",stage,tier,risk,tags,active_days_30")
            assert len(lines) == 2 and lines[1].startswith("200,Bob,bob,")
            assert lines[1].endswith(",active,casual,low,gold vip,1")
            status, untagged = await client.post(f"g/{G}/members/200/tags/remove", {"tag": "vip"})
            assert status == 200 and untagged == {"tags": ["gold"], "removed": ["vip"]}
            actions = await count(
                bot,
                select(func.count())
                .select_from(AuditLog)
                .where(
                    AuditLog.action.in_(("tag_added", "tag_removed")), AuditLog.actor_id == 100
                ),
            )
            assert actions == 2  # both changes audited, with who

            # ---- settings: CSRF, the chat's validation and message, the bot uses it ------------
            assert (
                await client.post(f"g/{G}/settings", {"key": "language", "value": "zh"}, csrf="x")
            )[0] == 403
            status, body = await client.post(
                f"g/{G}/settings", {"key": "timezone", "value": "Mars/Base"}
            )
            refused = plain(
                bot.app.deps["locales"].get("en")(
                    "error-invalid-setting",
                    key="timezone",
                    value="Mars/Base",
                    hint="Asia/Shanghai, Europe/Berlin, UTC",
                )
            )
            assert status == 400 and body["error"] == refused  # the same message as in chat
            status, body = await client.post(f"g/{G}/settings", {"key": "lang", "value": "zh"})
            assert status == 200 and body["key"] == "language" and body["value"] == "zh"
            bot.clear()
            await bot.feed(f.message(f.user(400, "Dan"), "/me", date=NOW))
            assert "积分" in plain(bot.last_text(G))  # the group now speaks Chinese
            settings = (await client.get(f"g/{G}/settings"))[1]["sections"]
            assert any(
                s["key"] == "language" and s["value"] == "zh" for x in settings for s in x["specs"]
            )

            # ---- rewards: approve the pending redemption (the member is told) ---------------
            listing = (await client.get(f"g/{G}/rewards"))[1]
            [pending] = listing["pending"]
            bot.clear()
            status, body = await client.post(f"g/{G}/redemptions/{pending['id']}/approve", {})
            assert status == 200 and body["status"] == "fulfilled"
            await bot.app.outbox.drain(5)
            # In the group's language, now Chinese (set above).
            assert any(plain(t).startswith("✅") and "Mug" in t for t in bot.texts(200))
            again = await client.post(f"g/{G}/redemptions/{pending['id']}/reject", {})
            assert again[0] == 400  # already decided: nothing changes
            assert (
                await count(bot, select(func.count()).where(Redemption.status == "fulfilled")) == 1
            )
            # Add a reward; the same request sent twice adds it once.
            rid = str(uuid.uuid4())
            new = {"name": "Tote bag", "cost": "50", "stock": "unlimited", "mode": "auto"}
            assert (await client.post(f"g/{G}/rewards", new, rid=rid))[0] == 200
            assert (await client.post(f"g/{G}/rewards", new, rid=rid))[0] == 409
            assert await count(bot, select(func.count()).select_from(Reward)) == 2
            status, body = await client.post(f"g/{G}/rewards", {**new, "cost": "0"})
            assert (
                status == 400 and await count(bot, select(func.count()).select_from(Reward)) == 2
            )
            status, body = await client.post(f"g/{G}/rewards/2", {"enabled": False, "stock": "3"})
            assert (
                status == 200
                and body["reward"]["enabled"] is False
                and body["reward"]["stock"] == 3
            )

            # ---- feedback: the reply reaches the member ---------------------------------------
            items = (await client.get(f"g/{G}/feedback"))[1]["items"]
            assert items[0]["text"] == "the shop page <script>alert(1)</script>"
            bot.clear()
            status, _ = await client.post(
                f"g/{G}/feedback/{items[0]['id']}/reply", {"text": "Fixed, thanks!"}
            )
            assert status == 200
            await bot.app.outbox.drain(5)
            assert any("Fixed, thanks!" in plain(t) for t in bot.texts(200))
            thread = (await client.get(f"g/{G}/feedback/{items[0]['id']}"))[1]["thread"]
            assert [line["role"] for line in thread] == ["member", "manager"]

            # ---- schedule -----------------------------------------------------------------------
            status, body = await client.post(
                f"g/{G}/schedule", {"when": "daily 09:00", "text": "Good morning!"}
            )
            assert status == 200 and body["post"]["text"] == "Good morning!"
            post_id = body["post"]["id"]
            assert (await client.post(f"g/{G}/schedule/{post_id}/pause", {}))[1]["post"]["paused"]
            status, body = await client.post(f"g/{G}/schedule", {"when": "someday", "text": "x"})
            assert status == 400 and body["error"]
            best = (await client.get(f"g/{G}/schedule"))[1]["best"]  # the group's day totals
            assert best["status"] == "not_enough_data" and best["choices"] == []
            bot.app.deps["activity_matrix"] = EveningActivity(days=28)
            best = (await client.get(f"g/{G}/schedule"))[1]["best"]
            assert best["status"] == "ok" and best["hours"] == [20]
            assert best["choices"] == ["20:00", "daily 20:00", "weekly sat 20:00"]
            assert best["tz"] == "Asia/Shanghai"
            bot.app.deps["activity_matrix"] = EveningActivity(days=3)
            best = (await client.get(f"g/{G}/schedule"))[1]["best"]
            assert best["status"] == "not_enough_data" and best["choices"] == []

            # ---- the audit log: who and what ----------------------------------------------------
            entries = (await client.get(f"g/{G}/audit"))[1]["entries"]
            actions = [e["action"] for e in entries]
            for action in (
                "setting_changed",
                "redemption_approve",
                "reward_add",
                "feedback_reply",
            ):
                assert action in actions
            assert all(e["actor_id"] == 100 for e in entries if e["action"] != "grant")

            # ---- bad requests: nothing changed -------------------------------------------------
            before = await count(bot, select(func.count()).select_from(AuditLog))
            huge = {"key": "language", "value": "x" * 100_000}
            assert (await client.post(f"g/{G}/settings", huge))[0] == 413
            for path in ("/static/../server.py", "/static/%2e%2e/server.py", "/static/.hidden"):
                assert (await client.http.get(path)).status == 404
            assert (await client.http.get("/static/js/app.js")).status == 200
            # A session is the person's: another group's API is authorized on its own.
            assert (await client.get(f"g/{OTHER_GROUP}/overview"))[0] == 403
            assert await count(bot, select(func.count()).select_from(AuditLog)) == before

            # ---- a member who stops being an admin is refused ---------------------------------
            bot.session.admins.discard((G, 100))
            assert (await client.get(f"g/{G}/overview"))[0] == 403
            bot.session.admins.add((G, 100))

            # ---- a member (not an admin) may log in but sees no group and reaches none ----------
            member = Client(client.http, client.world)
            client.http.session.cookie_jar.clear()
            assert (await member.log_in(200))[0] == 200
            assert (await member.get("groups"))[1]["groups"] == []
            status, body = await member.get(f"g/{G}/members")
            assert status == 403 and "Only administrators" in body["error"]


def test_init_data_scheme_matches_telegrams() -> None:
    """Telegram's documented example check: the signer and the verifier agree, any change to a
    field or to the hash is refused, and a field given twice is refused."""
    world = world_of(BOB)
    raw = webapp.init_data(world, 200, auth_date=int(time.time()))
    user = webapp_auth.verify(raw, TOKEN, datetime.now(UTC), 86400)
    assert (user.id, user.username, user.first_name) == (200, "bob", "Bob")
    tampered = raw.replace("Bob", "Rob")
    for bad in (tampered, raw + "&auth_date=1", raw.replace("hash=", "hash=0"), ""):
        try:
            webapp_auth.verify(bad, TOKEN, datetime.now(UTC), 86400)
        except webapp_auth.InitDataError:
            continue
        raise AssertionError(f"accepted {bad!r}")
    fields = dict(p.split("=", 1) for p in raw.split("&"))
    assert json.loads(__import__("urllib.parse").parse.unquote(fields["user"]))["id"] == 200
