"""The dashboard and the sandbox chat in a real browser (Debian's Chromium, driven by
Playwright), against the real bot process and the Bot API emulator.

One bot process, one browser and one seeded database (a community of 200,000 members, and a
small one to act in) serve every scenario of this module, run as one test.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio

from devtools.bot_process import BotProcess, free_port
from devtools.emulator import BotAPIEmulator, RateLimits
from devtools.emulator import webapp as mini_apps
from devtools.sandbox_web import SandboxWeb
from devtools.seed_members import seed_group
from storage.db import create_engine
from storage.migrate import upgrade

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]

CHROMIUM = "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
GROUP = -1001500000001
BIG = -1001500000002
BIG_MEMBERS = 200_000
ALICE, BOB, CAROL = 2001, 2002, 2004
WAIT = 15_000  # ms: what a page may take on a busy 2-core machine


@dataclass
class Scene:
    emu: BotAPIEmulator
    bot: BotProcess
    dashboard: str  # its URL
    sandbox: str
    browser: object


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def scene(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Scene]:
    from playwright.async_api import async_playwright

    assert HAVE_CHROMIUM, "Chromium is missing: `make test` installs it (apt-get)"
    tmp = tmp_path_factory.mktemp("browser")
    url = f"sqlite+aiosqlite:///{tmp / 'bot.db'}"
    engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()
    await seed_group(url, BIG, BIG_MEMBERS, title="Big Community")

    emu = BotAPIEmulator(limits=RateLimits(), files_dir=tmp / "files")
    emu.test_environment = True
    await emu.start()
    emu.add_group(GROUP, "Browser Community")
    for user_id, name, status in (
        (ALICE, "Alice", "creator"),
        (BOB, "Bob <b>", "member"),
        (CAROL, "Carol", "member"),
    ):
        emu.add_user(user_id, name, username=name.split()[0].lower(), language_code="en")
        emu.set_member_status(GROUP, user_id, status)
        emu.start_private(user_id)
    emu.set_member_status(BIG, ALICE, "administrator")
    emu.add_group(BIG, "Big Community")
    port = free_port()
    dashboard = f"http://127.0.0.1:{port}/"
    bot = BotProcess(
        emu,
        url,
        DASHBOARD_URL=dashboard,
        DASHBOARD_LISTEN=f"127.0.0.1:{port}",
        BOT_OWNER_IDS="",
    )
    await bot.start()
    emu.add_bot_to_group(GROUP, ALICE)
    # Alice speaks in the big group: the bot knows her there (the dashboard lists the groups
    # someone is known in and Telegram says they administer).
    mark = emu.mark()
    emu.send_message(BIG, ALICE, "/me")
    await emu.wait_for_message(chat_id=BIG, after=mark, timeout=30)
    sandbox = SandboxWeb(emu, GROUP)
    sandbox_url = await sandbox.start()
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            try:
                yield Scene(emu, bot, dashboard, sandbox_url, browser)
            finally:
                try:
                    await asyncio.wait_for(browser.close(), 30)
                except TimeoutError:
                    pass  # the browser process ends with Playwright's driver below
    finally:
        await sandbox.stop()
        await bot.stop()
        await emu.stop()


async def new_page(scene: Scene):  # type: ignore[no-untyped-def]
    context = await scene.browser.new_context(viewport={"width": 430, "height": 900})  # type: ignore[attr-defined]
    page = await context.new_page()
    page.set_default_timeout(WAIT)
    return page


async def open_dashboard(scene: Scene, user_id: int, query: str = "", **signing):  # type: ignore[no-untyped-def]
    """The dashboard as Telegram opens it: its URL with initData in the fragment."""
    page = await new_page(scene)
    data = mini_apps.init_data(scene.emu, user_id, **signing)
    await page.goto(mini_apps.open_url(scene.dashboard + query, data))
    return page


async def bot_says(scene: Scene, chat_id: int, contains: str, after: int) -> str:
    found = await scene.emu.wait_for_message(
        chat_id=chat_id, contains=contains, after=after, timeout=15
    )
    return found.plain_text


async def sandbox_chat_check_in_press_a_button_open_the_dashboard(scene: Scene) -> None:
    page = await new_page(scene)
    await page.goto(scene.sandbox)
    await page.select_option("#who", str(ALICE))
    mark = scene.emu.mark()
    await page.fill("#text", "/checkin")
    await page.click("#send")
    await bot_says(scene, GROUP, "", mark)
    await page.wait_for_selector(".msg.bot >> text=/check/i")
    # A button: /settings shows its panel; pressing a setting's button edits the message.
    await page.fill("#text", "/settings")
    await page.click("#send")
    button = page.locator(".msg.bot .kb button[data-label='Language']").last
    await button.click()
    await page.wait_for_selector(".msg.bot .kb button:has-text('✓ en')")
    # The private chat: /dashboard answers with a Mini App button per group; it opens the
    # dashboard in the phone frame, logged in through the initData the emulator signs.
    await page.click("#chat-private")
    await page.fill("#text", "/dashboard")
    await page.click("#send")
    await page.locator(".msg.bot .kb button", has_text="Browser Community").click()
    frame = page.frame_locator("#miniapp")
    await frame.locator("#kpis .kpi").first.wait_for()
    assert await frame.locator("#group option:checked").inner_text() == "Browser Community"
    # The menu button opens it too.
    await page.click("#phone-close")
    await page.click("#menu")
    await frame.locator("#nav button").first.wait_for()
    assert "Dashboard" in await page.locator("#menu").inner_text()
    await page.context.close()


async def forged_expired_and_future_init_data_and_a_non_admin_are_refused(
    scene: Scene,
) -> None:
    now = int(time.time())
    for signing in (
        {"token": "111:FORGED"},
        {"auth_date": now - 2 * 86400},
        {"auth_date": now + 3600},
    ):
        page = await open_dashboard(scene, ALICE, **signing)
        message = await page.locator("#fatal .error").inner_text()
        assert "could not be checked" in message
        await page.context.close()
    page = await open_dashboard(scene, BOB)  # a member, not an administrator
    assert "administer no group" in await page.locator("#fatal .error").inner_text()
    status = await page.evaluate(f"fetch('api/g/{GROUP}/members').then(r => r.status)")
    assert status == 403
    await page.context.close()


async def change_a_setting_approve_a_redemption_reply_to_feedback(scene: Scene) -> None:
    emu = scene.emu
    # The scene: a manual reward, Bob redeems it, and sends feedback with markup in it.
    emu.send_message(GROUP, BOB, "hello")  # the bot knows @bob from here on
    mark = emu.mark()
    emu.send_message(GROUP, ALICE, "/grant @bob 50")
    await bot_says(scene, GROUP, "50", mark)
    mark = emu.mark()
    emu.send_message(GROUP, ALICE, "/reward_add 10 5 Mug mode=manual")
    await bot_says(scene, GROUP, "Mug", mark)
    mark = emu.mark()
    emu.send_message(GROUP, BOB, "/redeem 1")
    await bot_says(scene, GROUP, "Mug", mark)
    edits = sum(len(s.edits) for s in emu.sent)
    emu.press_button_by_label(GROUP, BOB, "✅ Confirm")  # the confirmation is edited
    await emu.wait_for(lambda: sum(len(s.edits) for s in emu.sent) > edits, 15)
    mark = emu.mark()
    emu.send_message(GROUP, BOB, "/feedback <b>dark mode</b> please")
    await bot_says(scene, GROUP, "#1", mark)

    page = await open_dashboard(scene, ALICE, f"?group={GROUP}&page=settings")
    # Settings: a refused value gets the chat's message; a good one the bot uses at once.
    row = page.locator(".setting[data-key='timezone']")
    await row.locator("input").fill("Mars/Base")
    await row.locator("[data-role='save']").click()
    await row.locator(".message.error").wait_for()
    assert "Mars/Base" in await row.locator(".message").inner_text()
    await page.locator(".setting[data-key='language'] .chip[data-value='zh']").click()
    await page.locator(".setting[data-key='language'] .message:has-text('✓')").wait_for()
    mark = emu.mark()
    emu.send_message(GROUP, CAROL, "/me")  # Carol's Telegram is in English
    assert "积分" in await bot_says(scene, GROUP, "", mark)

    # Rewards: approve the pending redemption; Bob is told in private.
    await page.click("#nav button[data-page='rewards']")
    await page.locator("#pending [data-act='approve']").click()
    mark = emu.mark()
    await page.click("#ask-ok")
    await (
        page.locator("text=No redemption is waiting.")
        .or_(page.locator("text=没有待审核的兑换。"))
        .wait_for()
    )
    assert "Mug" in await bot_says(scene, BOB, "Mug", mark)

    # Feedback: the member's text is shown as written (the markup is not run); a reply
    # reaches them.
    await page.click("#nav button[data-page='feedback']")
    item = page.locator("#fb-items .item").first
    assert "<b>dark mode</b> please" in await item.inner_text()
    assert await page.locator("#fb-items b").count() == 0
    await item.click()
    await page.fill("#fb-reply", "On our list for May!")
    mark = emu.mark()
    await page.click("#fb-send")
    await page.locator("#fb-thread .bubble.manager").wait_for()
    assert "On our list for May!" in await bot_says(scene, BOB, "On our list", mark)
    # The audit log names who did each of these.
    await page.keyboard.press("Escape")
    await page.goto(scene.dashboard + f"?group={GROUP}&page=audit")
    table = await page.locator("#audit").inner_text()
    for words in ("changed a setting", "approved a redemption", "replied to feedback"):
        assert words in table  # Alice's Telegram is in English: so is her dashboard
    assert "Alice" in table
    await page.context.close()


async def members_table_at_200000_members(scene: Scene) -> None:
    page = await open_dashboard(scene, ALICE, f"?group={BIG}&page=members")
    rows = page.locator("#m-table tbody tr")
    await rows.nth(49).wait_for()
    total = int("".join(ch for ch in await page.locator("#m-total").inner_text() if ch.isdigit()))
    assert 190_000 < total <= BIG_MEMBERS + 1  # those who left are not listed
    timings = []
    for _ in range(3):  # next page, three times: each within a second
        first = await rows.first.get_attribute("data-id")
        started = time.perf_counter()
        await page.click("#m-next")
        await page.wait_for_function(
            "id => document.querySelector('#m-table tbody tr')?.dataset.id !== id", arg=first
        )
        timings.append(time.perf_counter() - started)
    assert max(timings) < 1.0, timings
    # Filtered: a search (timed by the page: the request and drawing the rows, after its
    # 300 ms typing pause), then those who left, sorted by streak.
    await page.fill("#m-search", "Member 199999")
    await page.wait_for_function(
        "() => document.querySelectorAll('#m-table tbody tr').length === 1"
    )
    loaded = await page.locator("#page-members").get_attribute("data-loaded-ms")
    assert loaded is not None and int(loaded) < 1000, loaded
    assert "Member 199999" in await rows.first.inner_text()
    await page.fill("#m-search", "")
    await page.select_option("#m-state", "left")
    await page.select_option("#m-sort", "streak")
    await asyncio.sleep(0)
    await page.wait_for_function(
        "() => document.querySelectorAll('#m-table tbody tr').length === 50"
    )
    # A member's card.
    await rows.first.click()
    await page.locator(".modal h2").wait_for()
    await page.context.close()


async def overview_goals_charts_and_the_period_picker(scene: Scene) -> None:
    page = await open_dashboard(scene, ALICE, f"?group={BIG}&page=overview")
    await page.locator("#page-overview[data-charts='4']").wait_for()  # the four charts drawn
    cards = page.locator("#kpis .kpi")
    assert await cards.count() == 14
    members = await page.locator("#kpis .kpi[data-key='members'] .value").inner_text()
    assert 190_000 < int("".join(ch for ch in members if ch.isdigit())) <= BIG_MEMBERS
    change = await page.locator("#kpis .kpi[data-key='dau'] .change").inner_text()
    assert "vs previous period" in change and any(ch in change for ch in "↑↓→")
    assert await page.locator("#heat > div[title]").count() == 7 * 24
    assert "No goals yet" in await page.locator("#goals").inner_text()  # the empty state
    await page.click("#periods .chip[data-period='30d']")
    await page.locator("#periods .chip.on[data-period='30d']").wait_for()
    await page.fill("#period-from", "2026-01-01")
    await page.fill("#period-to", "2025-12-01")  # reversed: /stats' message, back to 7 days
    await page.click("#period-apply")
    assert "starts after it ends" in await page.locator("#period-error").inner_text()
    await page.context.close()


async def members_segments_selector_tags_and_csv(scene: Scene) -> None:
    page = await open_dashboard(scene, ALICE, f"?group={BIG}&page=members")
    rows = page.locator("#m-table tbody tr[data-id]")
    await rows.nth(49).wait_for()
    head = await page.locator("#m-table thead").inner_text()
    for column in ("Stage", "Tier", "Risk", "Tags", "Active days (30)"):
        assert column in head
    # A selector that does not parse: the message, and a mark under where it failed.
    await page.fill("#m-selector", "dormant+tag:vip+dormnt")
    error = page.locator("#m-selector-error")
    await error.locator("pre").wait_for()
    assert "dormant" in await error.inner_text() and "^" in await error.inner_text()
    started = time.perf_counter()
    await page.fill("#m-selector", "dormant+tag:vip")
    await page.wait_for_function("() => !document.querySelector('#m-selector-error pre')")
    await page.locator("#m-table td:has-text('#vip')").first.wait_for()
    assert time.perf_counter() - started < 1.5  # with the page's 400 ms typing pause
    first = await rows.first.inner_text()
    assert "dormant" in first and "#vip" in first
    href = await page.locator("#m-csv").get_attribute("href")
    assert href is not None and "f_selector=dormant%2Btag%3Avip" in href
    # Tags from the member's card: added (the rules of /tag), shown, removed.
    await rows.first.click()
    await page.fill("#card-tag-input", "#Gold runner")
    await page.click("#card-tag-add")
    await page.locator("#card-tags .tag[data-tag='gold']").wait_for()
    await page.locator("#card-tags .tag[data-tag='runner'] button").click()
    await page.locator("#card-tags .tag[data-tag='runner']").wait_for(state="detached")
    assert "#vip" in await page.locator("#card-tags").inner_text()
    await page.context.close()


async def campaigns_audience_builder_counts_as_you_type(scene: Scene) -> None:
    page = await open_dashboard(scene, ALICE, f"?group={BIG}&page=campaigns")
    await page.locator("#c-selector").wait_for()
    await page.fill("#c-selector", "dormant+dormnt")  # marked where it failed
    error = page.locator("#c-selector-error")
    await error.locator("pre").wait_for()
    assert "dormnt" in await error.inner_text() and "^" in await error.inner_text()
    started = time.perf_counter()
    await page.fill("#c-selector", "dormant+tag:vip")
    await page.locator("#c-count:has-text('reachable now')").wait_for()
    assert time.perf_counter() - started < 3  # with the page's 350 ms typing pause
    counted = await page.locator("#c-count").inner_text()
    audience = int("".join(ch for ch in counted.split("·")[0] if ch.isdigit()))
    assert 0 < audience < 20_000 and not await error.inner_text()
    await page.context.close()


async def test_the_dashboard_and_the_sandbox_in_a_browser(scene: Scene) -> None:
    """One test (so one worker, one scene): pytest-xdist spreads a module's tests over workers,
    and each would seed 200,000 members and start its own bot and browser."""
    await sandbox_chat_check_in_press_a_button_open_the_dashboard(scene)
    await forged_expired_and_future_init_data_and_a_non_admin_are_refused(scene)
    await change_a_setting_approve_a_redemption_reply_to_feedback(scene)
    await members_table_at_200000_members(scene)
    await overview_goals_charts_and_the_period_picker(scene)
    await members_segments_selector_tags_and_csv(scene)
    await campaigns_audience_builder_counts_as_you_type(scene)
