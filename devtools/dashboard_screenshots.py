"""`python -m devtools.dashboard_screenshots [--out docs/images] [--members 50000]`: the
README's pictures of the dashboard, taken in Debian's Chromium (Playwright) from the real bot
process against the Bot API emulator, with a seeded community (devtools/seed_members.py) and a
few things done in chat (a reward, a redemption, feedback, a scheduled post).

Deterministic enough to re-run after a change to the pages: same seed, same viewport (a phone,
as Telegram shows a Mini App). Commit the images it writes.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from devtools.bot_process import BotProcess, free_port
from devtools.emulator import BotAPIEmulator, RateLimits
from devtools.emulator import webapp as mini_apps
from devtools.seed_members import seed_group
from storage.db import create_engine
from storage.migrate import upgrade

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
GROUP = -1001600000001
OWNER, BOB = 3001, 3002
VIEWPORT = {"width": 430, "height": 932}
WAIT = 30_000


async def _chat(emu: BotAPIEmulator, user: int, text: str) -> None:
    mark = emu.mark()
    emu.send_message(GROUP, user, text)
    await emu.wait_for_message(chat_id=GROUP, after=mark, timeout=30)


async def take(out: Path, members: int) -> list[Path]:
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bot.db'}"
        engine = create_engine(url)
        await upgrade(engine)
        await engine.dispose()
        await seed_group(url, GROUP, members, title="Morning Runners 晨跑俱乐部")
        emu = BotAPIEmulator(limits=RateLimits(), files_dir=Path(tmp) / "files")
        emu.test_environment = True
        await emu.start()
        emu.add_group(GROUP, "Morning Runners 晨跑俱乐部")
        for user_id, name, status in ((OWNER, "Lin", "creator"), (BOB, "Bob", "member")):
            emu.add_user(user_id, name, username=name.lower(), language_code="en")
            emu.set_member_status(GROUP, user_id, status)
            emu.start_private(user_id)
        port = free_port()
        dashboard = f"http://127.0.0.1:{port}/"
        bot = BotProcess(emu, url, DASHBOARD_URL=dashboard, DASHBOARD_LISTEN=f"127.0.0.1:{port}")
        await bot.start()
        written: list[Path] = []
        try:
            emu.add_bot_to_group(GROUP, OWNER)
            await _chat(emu, OWNER, "/me")
            await _chat(emu, BOB, "/checkin")
            await _chat(emu, OWNER, "/reward_add 200 10 Running socks mode=manual")
            await _chat(emu, BOB, "/feedback Could we start at 6:30 on Sundays?")
            await _chat(
                emu, OWNER, "/schedule daily 06:00 Good morning! Today's route: the river loop."
            )
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                context = await browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
                page = await context.new_page()
                page.set_default_timeout(WAIT)
                data = mini_apps.init_data(emu, OWNER)

                async def shot(name: str, query: str, ready: str, full: bool = True) -> None:
                    await page.goto(mini_apps.open_url(dashboard + query, data))
                    await page.locator(ready).first.wait_for()
                    await page.wait_for_timeout(400)  # charts drawn
                    path = out / f"dashboard-{name}.png"
                    await page.screenshot(path=str(path), full_page=full)
                    written.append(path)

                await shot(
                    "overview", f"?group={GROUP}&page=overview", "#page-overview[data-charts='4']"
                )
                await shot(
                    "members",
                    f"?group={GROUP}&page=members",
                    "#m-table tbody tr[data-id]",
                    full=False,
                )
                await page.fill("#m-selector", "dormant+tag:vip")
                await page.locator("#m-table td:has-text('#vip')").first.wait_for()
                await page.locator("#m-table tbody tr[data-id]").first.click()
                await page.locator("#card-tags").wait_for()
                path = out / "dashboard-member-card.png"
                await page.screenshot(path=str(path))
                written.append(path)
                await shot("schedule", f"?group={GROUP}&page=schedule", "#post-choices")
                await shot("settings", f"?group={GROUP}&page=settings", ".setting", full=False)
                await browser.close()
        finally:
            await bot.stop()
            await emu.stop()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("docs/images"))
    parser.add_argument("--members", type=int, default=50_000)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in asyncio.run(take(args.out, args.members)):
        print(path)


if __name__ == "__main__":
    main()
