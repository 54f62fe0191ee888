"""HAProxy with the shipped configuration (docs/deploy/haproxy.cfg) in front of local bot
replicas, with a self-signed certificate: for the end-to-end tests and the bench.

The emulator delivers the webhook to it over HTTPS (trusting the certificate made here), as
Telegram would to a real deployment.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import ssl
import subprocess
from pathlib import Path

from devtools.bot_process import ROOT, free_port

CONFIG = ROOT / "docs" / "deploy" / "haproxy.cfg"
MISSING = (
    "haproxy is not installed: `make test` installs it (Debian: apt-get install haproxy); "
    "the multi-replica tests run the shipped docs/deploy/haproxy.cfg"
)


def self_signed(directory: Path) -> tuple[Path, Path]:
    """(certificate, certificate+key PEM for HAProxy) for 127.0.0.1."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key, both = directory / "cert.pem", directory / "key.pem", directory / "both.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    both.write_bytes(cert.read_bytes() + key.read_bytes())
    return cert, both


class LoadBalancer:
    """HAProxy in the foreground; `url` is the public webhook URL, `trust` its TLS context."""

    def __init__(self, directory: Path, replicas: list[str], webhook_path: str = "/tg/hook"):
        self.directory = directory
        self.replicas = replicas
        self.path = webhook_path
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.cert, self.pem = self_signed(directory)
        self.log_path = directory / "haproxy.log"

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}{self.path}"

    def trust(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))

    def env(self) -> dict[str, str]:
        values = {
            "LB_BIND": f"127.0.0.1:{self.port}",
            "LB_CERT": str(self.pem),
            "LB_WEBHOOK_PATH": self.path,
        }
        for i in range(3):  # the shipped file names three; unused ones point at nothing
            values[f"LB_REPLICA{i + 1}"] = (
                self.replicas[i] if i < len(self.replicas) else f"127.0.0.1:{free_port()}"
            )
        return {**os.environ, **values}

    def check(self) -> None:
        binary = shutil.which("haproxy")
        assert binary, MISSING
        result = subprocess.run(
            [binary, "-c", "-f", str(CONFIG)], env=self.env(), capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr

    async def start(self) -> LoadBalancer:
        self.check()
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: ASYNC220  (returns at once)
            [shutil.which("haproxy") or "haproxy", "-db", "-f", str(CONFIG)],
            env=self.env(),
            stdout=log,
            stderr=log,
        )
        log.close()
        for _ in range(200):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            await asyncio.sleep(0.05)
        raise AssertionError(f"haproxy did not listen; log:\n{self.log()}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except FileNotFoundError:
            return ""
