"""The sandbox in a browser: a Telegram-like chat page over the emulator (devtools only)."""

from devtools.sandbox_web.server import SandboxWeb

__all__ = ["SandboxWeb"]
