"""Screenshots of the dashboard's main pages and the sandbox chat, for the README.

    .venv/bin/python -m devtools.screenshots [--out docs/images]

Starts the Bot API emulator, the bot (`python -m bot`) with its dashboard, and the sandbox's
browser view; fills a community (5,000 seeded members, rewards, a redemption waiting, feedback,
a scheduled post, a survey) through the bot's own commands; then Debian's Chromium (Playwright)
opens each page as Telegram would and saves it as a PNG.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from devtools.bot_process import BotProcess, free_port
from devtools.emulator import BotAPIEmulator, RateLimits
from devtools.emulator import webapp as mini_apps
from devtools.sandbox_web import SandboxWeb
from devtools.seed_members import seed_group
from storage.db import create_engine
from storage.migrate import upgrade

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
GROUP = -1001700000001
ALICE, BOB, XIAOMING, CAROL = 3001, 3002, 3003, 3004
PAGES = ("overview", "members", "rewards", "schedule", "feedback", "settings", "audit")


async def _say(emu: BotAPIEmulator, chat: int, user: int, text: str) -> None:
    mark = emu.mark()
    emu.send_message(chat, user, text)
    await emu.wait_for(lambda: len(emu.sent) > mark or emu.pending_updates() == 0, 15)
    await asyncio.sleep(0.3)


async def main(out: Path) -> None:
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'shots.db'}"
        engine = create_engine(url)
        await upgrade(engine)
        await engine.dispose()
        await seed_group(url, GROUP, 5_000, title="Coffee Lovers 咖啡社群")
        emu = BotAPIEmulator(limits=RateLimits(), files_dir=Path(tmp) / "files")
        emu.test_environment = True
        await emu.start()
        emu.add_group(GROUP, "Coffee Lovers 咖啡社群")
        for user, name, lang, status in (
            (ALICE, "Alice", "en", "creator"),
            (BOB, "Bob", "en", "member"),
            (XIAOMING, "小明", "zh-hans", "member"),
            (CAROL, "Carol", "en", "member"),
        ):
            emu.add_user(user, name, username=f"u{user}", language_code=lang)
            emu.set_member_status(GROUP, user, status)
            emu.start_private(user)
        port = free_port()
        dashboard = f"http://127.0.0.1:{port}/"
        bot = BotProcess(emu, url, DASHBOARD_URL=dashboard, DASHBOARD_LISTEN=f"127.0.0.1:{port}")
        await bot.start()
        sandbox = SandboxWeb(emu, GROUP)
        sandbox_url = await sandbox.start()
        try:
            for user, text in (
                (BOB, "/checkin"),
                (XIAOMING, "签到"),
                (CAROL, "/checkin"),
                (ALICE, "/grant @u3002 200"),
                (ALICE, "/reward_add 120 20 Coffee voucher | A free latte at any store"),
                (ALICE, "/reward_add 150 5 Mug mode=manual"),
                (ALICE, "/reward_add 50 unlimited Sticker pack mode=code"),
                (ALICE, "/schedule daily 09:00 Good morning! Today's topic: pour-over at home ☕"),
                (ALICE, "/schedule weekly fri 18:00 Weekend brew challenge: share your cup!"),
                (BOB, "/feedback The shop page takes long to open on my phone"),
                (XIAOMING, "/feedback 希望增加夜间模式"),
                (ALICE, "/survey nps How likely are you to recommend us to a friend?"),
                (BOB, "/redeem 2"),
                (ALICE, "/goal set dau 600 by 2027-03-31"),
                (ALICE, "/goal set members 6000"),
                (ALICE, "/goal star dau"),
            ):
                await _say(emu, GROUP, user, text)
            emu.press_button_by_label(GROUP, BOB, "✅ Confirm")
            await asyncio.sleep(1)
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                context = await browser.new_context(
                    viewport={"width": 430, "height": 860}, device_scale_factor=2
                )
                page = await context.new_page()
                data = mini_apps.init_data(emu, ALICE)
                for name in PAGES:
                    await page.goto(
                        mini_apps.open_url(f"{dashboard}?group={GROUP}&page={name}", data)
                    )
                    await page.locator(f"#page-{name}").wait_for(timeout=20_000)
                    await asyncio.sleep(0.8)  # charts drawn
                    await page.screenshot(path=str(out / f"dashboard-{name}.png"))
                    if name == "overview":  # the charts and the heat map, further down
                        await page.locator("#page-overview[data-charts='4']").wait_for()
                        await page.locator(".charts").scroll_into_view_if_needed()
                        await page.screenshot(path=str(out / "dashboard-charts.png"))
                # Members: a segment (the selector), and a member's card with tags.
                await page.goto(
                    mini_apps.open_url(f"{dashboard}?group={GROUP}&page=members", data)
                )
                await page.fill("#m-selector", "dormant+tag:vip")
                await page.locator("#m-table td:has-text('#vip')").first.wait_for()
                await asyncio.sleep(0.5)
                await page.screenshot(path=str(out / "dashboard-segment.png"))
                await page.locator("#m-table tbody tr[data-id]").first.click()
                await page.locator("#card-tags").wait_for()
                await asyncio.sleep(0.5)
                await page.screenshot(path=str(out / "dashboard-member-card.png"))
                chat = await browser.new_context(viewport={"width": 1100, "height": 760})
                view = await chat.new_page()
                await view.goto(sandbox_url)
                await view.locator(".msg").first.wait_for()
                await asyncio.sleep(1)
                await view.screenshot(path=str(out / "sandbox-chat.png"))
                await browser.close()
        finally:
            await sandbox.stop()
            await bot.stop()
            await emu.stop()
    print(f"screenshots in {out}/")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m devtools.screenshots")
    parser.add_argument("--out", type=Path, default=Path("docs/images"))
    folder = parser.parse_args().out
    folder.mkdir(parents=True, exist_ok=True)
    asyncio.run(main(folder))
