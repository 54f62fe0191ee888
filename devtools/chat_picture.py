"""The README's picture of a chat, from a real session.

The bot runs as a process (`python -m bot`) against the Bot API emulator with the sandbox's
group and people; a short script of members and a manager talks to it; what was said and
answered (the bot's final texts and buttons, as Telegram would show them) is laid out as a
Telegram-like page and photographed by headless Chromium (Debian's `chromium`).

    python -m devtools.chat_picture [--out docs/images/chat.png] [--html chat.html]
"""

from __future__ import annotations

import argparse
import asyncio
import html
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from devtools.bot_process import ROOT, BotProcess
from devtools.emulator import BotAPIEmulator, RateLimits
from devtools.sandbox import GROUP_ID, GROUP_TITLE, PEOPLE

WIDTH = 560  # CSS pixels: a phone held upright
SCALE = 2  # device pixels per CSS pixel (sharp on high-density screens)
BOT_NAME = "Community Bot"
NAME_COLOURS = ("#e17076", "#7bc862", "#6ec9cb", "#65aadd", "#a695e7", "#ee7aae", "#faa774")

ALICE, BOB, XIAOMING, CAROL = (person[0] for person in PEOPLE)
# (who, what they send): members check in and look at the board; the manager asks for help.
SCRIPT = (
    (BOB, "/checkin"),
    (XIAOMING, "签到"),
    (CAROL, "/checkin"),
    (BOB, "/top"),
    (ALICE, "/help"),
)


@dataclass
class Bubble:
    sender: str
    sender_id: int
    html: str  # Telegram's HTML subset (the bot's), or escaped text (a member's)
    at: datetime
    from_bot: bool = False
    quote: tuple[str, str] | None = None  # (name, text) of the message it replies to
    buttons: list[list[str]] = field(default_factory=list)


async def record_session(database_url: str) -> list[Bubble]:
    emu = BotAPIEmulator(limits=RateLimits())
    await emu.start()
    emu.add_group(GROUP_ID, GROUP_TITLE)
    for user_id, name, username, language, status in PEOPLE:
        emu.add_user(user_id, name, username=username, language_code=language)
        emu.set_member_status(GROUP_ID, user_id, status)
    bot = BotProcess(emu, database_url)
    try:
        await bot.start()
        emu.add_bot_to_group(GROUP_ID, ALICE)
        await emu.wait_for_message(chat_id=GROUP_ID, timeout=30)  # the bot's hello
        first_line = len(emu.sent)
        said: list[tuple[int, int]] = []  # (message id, user id)
        for user_id, text in SCRIPT:
            before = len(emu.sent)
            update = emu.send_message(GROUP_ID, user_id, text)
            said.append((update["message"]["message_id"], user_id))
            await emu.wait_for_message(chat_id=GROUP_ID, after=before, timeout=30)
        await asyncio.sleep(0.5)  # edits of what was just sent (none expected)
        return _transcript(emu, said, first_line)
    finally:
        await bot.stop()
        await emu.stop()


def _transcript(emu: BotAPIEmulator, said: list[tuple[int, int]], first: int) -> list[Bubble]:
    names = {user_id: name for user_id, name, *_ in PEOPLE}
    texts = {
        message_id: emu.messages[(GROUP_ID, message_id)].get("text", "") for message_id, _ in said
    }
    by_id: dict[int, Bubble] = {}
    for message_id, user_id in said:
        date = emu.messages[(GROUP_ID, message_id)]["date"]
        by_id[message_id] = Bubble(
            names[user_id], user_id, html.escape(texts[message_id]), _at(date)
        )
    for sent in emu.sent[first:]:
        if sent.chat_id != GROUP_ID:
            continue
        date = emu.messages.get((GROUP_ID, sent.message_id), {}).get("date")
        replied = sent.reply_to_message_id
        quote = None
        if replied in texts:
            quote = (names[dict(said)[replied]], texts[replied])
        rows = (sent.reply_markup or {}).get("inline_keyboard", [])
        by_id[sent.message_id] = Bubble(
            BOT_NAME,
            0,
            sent.text,
            _at(date),
            from_bot=True,
            quote=quote,
            buttons=[[button.get("text", "") for button in row] for row in rows],
        )
    return [by_id[key] for key in sorted(by_id)]


def _at(date: int | None) -> datetime:
    return datetime.fromtimestamp(date, UTC) if date else datetime.now(UTC)


CSS = """
* { box-sizing: border-box; }
body { margin: 0; width: %(width)dpx; font: 15px/1.35 "Noto Sans", "Noto Sans CJK SC",
  "WenQuanYi Zen Hei", "Noto Color Emoji", sans-serif; background: #dfe8d0; color: #000; }
header { background: #517da2; color: #fff; padding: 10px 14px; display: flex; gap: 10px;
  align-items: center; }
header .title { font-weight: 600; font-size: 16px; }
header .sub { font-size: 13px; opacity: .8; }
main { padding: 10px 10px 14px; display: flex; flex-direction: column; gap: 6px; }
.row { display: flex; gap: 8px; align-items: flex-end; }
.avatar { width: 34px; height: 34px; border-radius: 50%%; color: #fff; font-weight: 600;
  display: flex; align-items: center; justify-content: center; flex: none; }
.col { max-width: 86%%; display: flex; flex-direction: column; gap: 3px; }
.bubble { background: #fff; border-radius: 12px 12px 12px 4px; padding: 6px 10px 5px;
  box-shadow: 0 1px 1px rgba(0,0,0,.12); }
.name { font-weight: 600; font-size: 14px; margin-bottom: 1px; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.text code { font-family: "Noto Sans Mono", monospace; font-size: 13.5px; color: #a5381e; }
.quote { border-left: 3px solid #65aadd; background: #eef5fb; padding: 2px 7px; margin: 2px 0 4px;
  border-radius: 4px; font-size: 13.5px; }
.quote b { color: #3e88c7; display: block; font-size: 13px; }
.time { float: right; font-size: 11px; color: #8a9aa8; margin: 6px 0 0 10px; }
.keys { display: grid; gap: 3px; }
.keys div { display: flex; gap: 3px; }
.keys span { flex: 1; text-align: center; background: rgba(80,110,90,.35); color: #fff;
  border-radius: 8px; padding: 7px 6px; font-size: 13.5px; font-weight: 500; }
"""


def render_html(bubbles: list[Bubble]) -> str:
    colours: dict[int, str] = {}
    rows = []
    for bubble in bubbles:
        colour = colours.setdefault(
            bubble.sender_id, NAME_COLOURS[len(colours) % len(NAME_COLOURS)]
        )
        if bubble.from_bot:
            colour = "#517da2"
        quote = ""
        if bubble.quote:
            name, text = bubble.quote
            quote = f'<div class="quote"><b>{html.escape(name)}</b>{html.escape(text)}</div>'
        keys = "".join(
            "<div>" + "".join(f"<span>{html.escape(label)}</span>" for label in row) + "</div>"
            for row in bubble.buttons
        )
        rows.append(
            f'<div class="row"><div class="avatar" style="background:{colour}">'
            f"{html.escape(bubble.sender[:1])}</div>"
            f'<div class="col"><div class="bubble"><div class="name" style="color:{colour}">'
            f"{html.escape(bubble.sender)}</div>{quote}"
            f'<div class="text">{_telegram_html(bubble.html)}'
            f'<span class="time">{bubble.at:%H:%M}</span></div></div>'
            + (f'<div class="keys">{keys}</div>' if keys else "")
            + "</div></div>"
        )
    members = len(PEOPLE) + 1
    return (
        '<!doctype html><html><head><meta charset="utf-8"><style>'
        + CSS % {"width": WIDTH}
        + "</style></head><body><header>"
        + f'<div class="avatar" style="background:#7bc862">{html.escape(GROUP_TITLE[:1])}</div>'
        + f'<div><div class="title">{html.escape(GROUP_TITLE)}</div>'
        + f'<div class="sub">{members} members</div></div></header><main>'
        + "".join(rows)
        + "</main></body></html>"
    )


def _telegram_html(text: str) -> str:
    """Telegram's HTML subset as a browser should show it (its own tags become spans)."""
    return re.sub(r"</?tg-[a-z]+[^>]*>", "", text)


def photograph(page: Path, out: Path, chromium: str = "chromium") -> None:
    """Two passes of headless Chromium: measure the page's height, then shoot it whole."""
    browser = shutil.which(chromium) or "/usr/bin/chromium"
    common = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    measure = page.with_suffix(".measure.html")
    measure.write_text(
        page.read_text(encoding="utf-8").replace(
            "</body>",
            "<script>document.title='h='+document.documentElement.scrollHeight</script></body>",
        ),
        encoding="utf-8",
    )
    dom = subprocess.run(
        [*common, f"--window-size={WIDTH},800", "--dump-dom", measure.as_uri()],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    found = re.search(r"<title>h=(\d+)</title>", dom)
    height = int(found.group(1)) if found else 1200
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            *common,
            f"--window-size={WIDTH},{height}",
            f"--force-device-scale-factor={SCALE}",
            f"--screenshot={out}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


async def main(out: Path, html_out: Path | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bubbles = await record_session(f"sqlite+aiosqlite:///{tmp}/chat.db")
        page = Path(tmp) / "chat.html"
        page.write_text(render_html(bubbles), encoding="utf-8")
        if html_out is not None:
            shutil.copy(page, html_out)
        photograph(page, out)
    print(f"{out} ({len(bubbles)} messages)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "chat.png")
    parser.add_argument("--html", type=Path, default=None, help="also keep the page")
    args = parser.parse_args()
    asyncio.run(main(args.out.resolve(), args.html))
