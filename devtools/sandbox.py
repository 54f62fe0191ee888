"""The sandbox: the emulator, the bot and a console chat in one process (no Telegram account needed)."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from pydantic import SecretStr

from bot.config import DEFAULT_DATABASE_URL, Settings
from devtools.bot_process import free_port
from devtools.emulator import BotAPIEmulator, RateLimits
from devtools.sandbox_web import SandboxWeb

logger = logging.getLogger(__name__)

GROUP_ID = -1001000000001
GROUP_TITLE = "Sandbox Community"
PEOPLE = [
    (1001, "Alice", "alice", "en", "creator"),
    (1002, "Bob", "bob", "en", "member"),
    (1003, "小明", "xiaoming", "zh-hans", "member"),
    (1004, "Carol", "carol", "en", "member"),
]

BANNER = """\
Sandbox: you are chatting with the bot in a simulated Telegram group "Sandbox Community".
Type a message to send it as the current member (try /checkin, 签到, /me, /top, /help).
Console commands:
  :as <name>        speak as another member     :members         list members
  :admin <name>     make a member admin         :unadmin <name>  take admin away
  :join <name>      member joins                :leave <name>    member leaves
  :newuser <name>   a new member joins          :dm / :group     private chat with the bot / the group
  :day [+N]         move the simulated date N days ahead (default 1)   :time   show the date
  :press <label>    press the newest button with that label           :sent   show the last bot messages
  :help             this help                   :quit            leave
Documents the bot sends are saved under ./sandbox_files/."""


class SandboxConsole:
    """Turns console lines into updates on the emulator; returns what to print."""

    def __init__(self, emu: BotAPIEmulator, group_id: int = GROUP_ID) -> None:
        self.emu = emu
        self.group_id = group_id
        self.names: dict[str, int] = {}
        self.current: int | None = None
        self.in_private = False
        self.quit = False
        self._next_id = 2000
        self._commands: dict[str, Callable[[str], str]] = {
            "help": lambda _a: BANNER,
            "as": self._as,
            "members": self._members,
            "admin": lambda a: self._status(a, "administrator"),
            "unadmin": lambda a: self._status(a, "member"),
            "join": self._join,
            "leave": self._leave,
            "newuser": self._newuser,
            "dm": self._dm,
            "group": self._group,
            "day": self._day,
            "time": lambda _a: f"Simulated time: {self.emu.now:%Y-%m-%d %H:%M} UTC",
            "press": self._press,
            "sent": self._sent,
            "quit": self._quit,
            "exit": self._quit,
        }

    def add_person(
        self, user_id: int, name: str, username: str | None, language: str | None, status: str
    ) -> None:
        self.emu.add_user(user_id, name, username=username, language_code=language)
        self.emu.set_member_status(self.group_id, user_id, status)
        self.emu.start_private(user_id)
        self.names[name.lower()] = user_id
        if username:
            self.names[username.lower()] = user_id
        if self.current is None:
            self.current = user_id

    def prompt(self) -> str:
        user = self.emu.users.get(self.current or 0, {"first_name": "?"})
        where = "private chat" if self.in_private else "group"
        return f"[{user['first_name']} @ {where}] > "

    def handle(self, line: str) -> str:
        line = line.strip()
        if not line:
            return ""
        if line.startswith(":"):
            word, _, arg = line[1:].partition(" ")
            command = self._commands.get(word.lower())
            if command is None:
                return f"Unknown console command :{word}. Type :help."
            try:
                return command(arg.strip())
            except LookupError as exc:
                return str(exc.args[0] if exc.args else exc)
        assert self.current is not None
        if self.in_private:
            self.emu.send_private(self.current, line)
        else:
            self.emu.send_message(self.group_id, self.current, line)
        return ""

    def _who(self, arg: str) -> int:
        key = arg.strip().lstrip("@").lower()
        if key.isdecimal() and int(key) in self.emu.users:
            return int(key)
        if key not in self.names:
            raise LookupError(f"No member called {arg!r}. Try :members.")
        return self.names[key]

    def _as(self, arg: str) -> str:
        self.current = self._who(arg)
        return f"You are now {self.emu.users[self.current]['first_name']}."

    def _members(self, _arg: str) -> str:
        lines = []
        for user_id, user in self.emu.users.items():
            status = self.emu.status.get((self.group_id, user_id), "left")
            mark = "*" if user_id == self.current else " "
            lines.append(
                f"{mark} {user['first_name']:<10} @{user.get('username', '-'):<10} id {user_id:<6} {status}"
            )
        return "\n".join(lines)

    def _status(self, arg: str, status: str) -> str:
        user_id = self._who(arg)
        self.emu.set_member_status(self.group_id, user_id, status)
        return f"{self.emu.users[user_id]['first_name']} is now {status} (the bot re-checks admin rights within a minute)."

    def _join(self, arg: str) -> str:
        user_id = self._who(arg)
        self.emu.join(self.group_id, user_id)
        return f"{self.emu.users[user_id]['first_name']} joined."

    def _leave(self, arg: str) -> str:
        user_id = self._who(arg)
        self.emu.leave(self.group_id, user_id)
        return f"{self.emu.users[user_id]['first_name']} left."

    def _newuser(self, arg: str) -> str:
        name = arg.strip() or f"Guest{self._next_id}"
        self._next_id += 1
        self.add_person(
            self._next_id, name, name.lower() if name.isascii() else None, "en", "left"
        )
        self.emu.join(self.group_id, self._next_id)
        return f"{name} (id {self._next_id}) joined the group."

    def _dm(self, _arg: str) -> str:
        self.in_private = True
        return "Now in your private chat with the bot."

    def _group(self, _arg: str) -> str:
        self.in_private = False
        return "Back in the group."

    def _day(self, arg: str) -> str:
        text = arg.strip().lstrip("+") or "1"
        if not text.isdecimal() or int(text) > 3650:
            return "Usage: :day [+N] (N days, at most 3650)"
        self.emu.advance(timedelta(days=int(text)))
        return f"Simulated time: {self.emu.now:%Y-%m-%d %H:%M} UTC"

    def _press(self, arg: str) -> str:
        assert self.current is not None
        chat_id = self.current if self.in_private else self.group_id
        self.emu.press_button_by_label(chat_id, self.current, arg.strip())
        return ""

    def _sent(self, _arg: str) -> str:
        return (
            "\n".join(render_message(self.emu, m) for m in self.emu.sent[-5:]) or "(nothing yet)"
        )

    def _quit(self, _arg: str) -> str:
        self.quit = True
        return "Bye."


def render_message(emu: BotAPIEmulator, sent) -> str:  # type: ignore[no-untyped-def]
    chat = (
        "group"
        if sent.chat_id < 0
        else f"private chat with {emu.users.get(sent.chat_id, {}).get('first_name', sent.chat_id)}"
    )
    lines = [f"🤖 bot → {chat}:"]
    if sent.file_name:
        lines.append(f"  📎 {sent.file_name} (saved to sandbox_files/{sent.file_name})")
    lines.extend(f"  {line}" for line in sent.plain_text.splitlines())
    buttons = sent.buttons()
    if buttons:
        lines.append("  " + " ".join(f"[{b}]" for b in buttons))
    return "\n".join(lines)


class _Printer:
    """Prints what the bot sends, edits and reacts, as it happens."""

    def __init__(self, emu: BotAPIEmulator, write: Callable[[str], None]) -> None:
        self.emu = emu
        self.write = write
        self.sent = 0
        self.edits: dict[int, int] = {}
        self.reactions = 0

    def flush(self) -> bool:
        out = []
        for sent in self.emu.sent[self.sent :]:
            out.append(render_message(self.emu, sent))
            self.edits[id(sent)] = len(sent.edits)
        self.sent = len(self.emu.sent)
        for sent in self.emu.sent:
            if len(sent.edits) > self.edits.get(id(sent), 0):
                self.edits[id(sent)] = len(sent.edits)
                out.append("✏️ (edited) " + render_message(self.emu, sent))
        for chat_id, message_id, emoji in self.emu.reactions[self.reactions :]:
            message = self.emu.messages.get((chat_id, message_id), {})
            who = message.get("from", {}).get("first_name", "?")
            out.append(f"  {' '.join(emoji)} on {who}'s message")
        self.reactions = len(self.emu.reactions)
        if out:
            self.write("\n".join(out))
        return bool(out)


RunBot = Callable[..., Awaitable[None]]
SANDBOX_WEB_PORT = 8765  # the browser view's port, if free (SANDBOX_WEB_PORT overrides it)


def settings_port(default: int) -> int:
    """The browser view's port: SANDBOX_WEB_PORT, else `default` when free, else any free one."""
    import os
    import socket

    wanted = int(os.environ.get("SANDBOX_WEB_PORT", default))
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", wanted))
        except OSError:
            return free_port()
    return wanted


async def run_sandbox(settings: Settings, run_bot: RunBot) -> None:
    """`run_bot(settings, stop_event=...)` runs the bot (the composition root passes its own)."""
    database_url = settings.database_url
    if database_url == DEFAULT_DATABASE_URL:
        database_url = "sqlite+aiosqlite:///./data/sandbox.db"
    emu = BotAPIEmulator(limits=RateLimits(), files_dir=Path("sandbox_files"))
    emu.test_environment = True  # Mini Apps over plain http on this machine
    await emu.start()
    console = SandboxConsole(emu)
    emu.add_group(GROUP_ID, GROUP_TITLE)
    for person in PEOPLE:
        console.add_person(*person)
    # The dashboard, on a port of its own; the browser view opens it from the menu button.
    dashboard_port = free_port()
    bot_settings = settings.model_copy(
        update={
            "bot_token": SecretStr("123456:SANDBOX"),
            "telegram_api_url": emu.base_url,
            "database_url": database_url,
            "bot_mode": "polling",
            "poll_timeout": 1,
            "dashboard_url": f"http://127.0.0.1:{dashboard_port}/",
            "dashboard_listen": f"127.0.0.1:{dashboard_port}",
        }
    )
    browser = SandboxWeb(emu, GROUP_ID)
    browser_url = await browser.start(port=settings_port(SANDBOX_WEB_PORT))
    logging.getLogger().setLevel(logging.WARNING)
    stop = asyncio.Event()
    bot_task = asyncio.create_task(run_bot(bot_settings, stop_event=stop))
    await emu.wait_for(
        lambda: any(c.method == "getUpdates" for c in emu.calls) or bot_task.done(), 60
    )
    emu.add_bot_to_group(GROUP_ID, PEOPLE[0][0])

    def write(text: str) -> None:
        print(text, flush=True)

    printer = _Printer(emu, write)
    watcher = asyncio.create_task(_watch(emu, printer))
    write(BANNER)
    write(
        f"\nIn a browser: {browser_url} (the same chat; the dashboard opens from its menu button)"
    )
    loop = asyncio.get_running_loop()
    try:
        while not console.quit and not bot_task.done():
            await asyncio.sleep(0.3)  # let the bot's answers arrive before the next prompt
            printer.flush()
            print(console.prompt(), end="", flush=True)
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                break
            output = console.handle(line)
            if output:
                write(output)
    finally:
        stop.set()
        watcher.cancel()
        await asyncio.gather(bot_task, watcher, return_exceptions=True)
        await browser.stop()
        await emu.stop()


async def _watch(emu: BotAPIEmulator, printer: _Printer) -> None:
    while True:
        count = (len(emu.sent), sum(len(s.edits) for s in emu.sent), len(emu.reactions))
        await emu.wait_for(
            lambda count=count: (
                (len(emu.sent), sum(len(s.edits) for s in emu.sent), len(emu.reactions)) != count
            ),
            timeout=3600,
        )
        if printer.flush():
            print("", flush=True)
