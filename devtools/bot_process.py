"""Start `python -m bot` as a process against the emulator, and stop it."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

from devtools.emulator import BotAPIEmulator

ROOT = Path(__file__).resolve().parents[1]  # the project: `python -m bot` runs from here
TOKEN = "777000111:E2E-TOKEN"
BOT_ID = 777000111


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BotProcess:
    def __init__(
        self,
        emu: BotAPIEmulator,
        database_url: str,
        *,
        argv: tuple[str, ...] = ("-m", "bot", "run"),
        root: Path = ROOT,
        niceness: int = 0,
        **env: str,
    ) -> None:
        self.emu = emu
        self.argv = argv
        self.root = root  # another checkout of the project runs its own bot (a bench baseline)
        # Scheduling priority: a test that measures what reaches the emulator (its clock) runs
        # the bots a little nicer than itself, so the emulator is not the one left waiting for
        # a core on a loaded machine.
        self.niceness = niceness
        self.env = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("BOT_", "DATABASE_", "TELEGRAM_"))
            },
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": emu.base_url,
            "DATABASE_URL": database_url,
            "DEFAULT_TIMEZONE": "Asia/Shanghai",
            "DEFAULT_LANGUAGE": "en",
            "POLL_TIMEOUT": "1",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        self.process: asyncio.subprocess.Process | None = None
        self.log_path = (
            Path(os.environ.get("TMPDIR", "/tmp")) / f"e2e-bot-{os.getpid()}-{id(self)}.log"
        )

    async def start(self, ready_method: str | None = None) -> BotProcess:
        ready_method = ready_method or (
            "setWebhook" if self.env.get("BOT_MODE") == "webhook" else "getUpdates"
        )
        calls_before = len(self.emu.calls)
        log = self.log_path.open("ab")
        niceness = self.niceness
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            *self.argv,
            cwd=self.root,
            env=self.env,
            stdout=log,
            stderr=log,
            preexec_fn=(lambda: os.nice(niceness)) if niceness else None,
        )
        log.close()
        try:
            await self.emu.wait_for(
                lambda: (
                    any(c.method == ready_method for c in self.emu.calls[calls_before:])
                    or self.process.returncode is not None
                ),  # type: ignore[union-attr]
                timeout=60,
            )
        except TimeoutError:
            raise AssertionError(f"bot did not start polling; log:\n{self.log()}") from None
        if self.process.returncode is not None:
            raise AssertionError(f"bot exited with {self.process.returncode}; log:\n{self.log()}")
        return self

    async def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(sig)
        try:
            return await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            raise AssertionError(
                f"bot did not stop within {timeout}s; log:\n{self.log()}"
            ) from None

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-6000:]
        except FileNotFoundError:
            return ""
