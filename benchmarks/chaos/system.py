"""The system under test: our own Redis, a fake Bot API, and `python -m launcher` running everything."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import psutil

from benchmarks.chaos.redis_server import FaultyRedis
from bot.devtools.fake_bot_api import FakeBotApi
from bot.devtools.fake_server import FakeBotApiServer
from shared.embedded_redis import free_port
from shared.settings import REPO_ROOT, SAMPLE_DATA

BOT_TOKEN = "7000001:" + secrets.token_urlsafe(24)
ADMIN_TOKEN = secrets.token_hex(16)
# Variables of the caller's shell that would point the run somewhere else.
_CLEARED = ("REDIS_", "MOVIES_DATA", "DATA_DIR", "API_", "TELEGRAM_", "BOT_", "GATEWAY_URL", "ADMIN_TOKEN")


class System:
    """Everything `make run` starts, on a Redis the suite may kill; the launcher's log in a file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.redis = FaultyRedis(folder / "redis")
        self.bot_api = FakeBotApi(BOT_TOKEN)
        self._bot_server = FakeBotApiServer(self.bot_api, free_port())
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / "launcher.log"
        self._launcher: subprocess.Popen[bytes] | None = None

    async def start(self, within: float = 120.0) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(self.redis.start)
        self._bot_server.start()
        env = {k: v for k, v in os.environ.items() if not k.startswith(_CLEARED)}
        env.update(
            PYTHONPATH=str(REPO_ROOT),
            REDIS_URL=self.redis.url,
            MOVIES_DATA=str(SAMPLE_DATA),
            DATA_DIR=str(self.folder / "data"),
            API_PORT=str(self.port),
            ADMIN_TOKEN=ADMIN_TOKEN,
            TELEGRAM_BOT_TOKEN=BOT_TOKEN,
            TELEGRAM_API_BASE_URL=self._bot_server.base_url,
            # 200 people each asking once; the limit is per person.
            BOT_RATE_LIMIT_PER_MINUTE="20",
            REFRESH_CRON_HOUR="",
            LOG_LEVEL="INFO",
            NO_COLOR="1",
        )
        self._launcher = await asyncio.to_thread(self._spawn, env)
        await self.wait_ready(within)
        await self._wait(lambda: any(m == "getUpdates" for m, _ in self.bot_api.calls), "the bot", within)

    def _spawn(self, env: dict[str, str]) -> subprocess.Popen[bytes]:
        with self.log_path.open("wb") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "launcher"],
                env=env,
                cwd=REPO_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    async def wait_ready(self, within: float) -> None:
        async with httpx.AsyncClient(base_url=self.base_url, timeout=2) as client:

            async def ready() -> bool:
                with contextlib.suppress(httpx.HTTPError, ValueError):
                    response = await client.get("/readyz")
                    return response.status_code == 200 and response.json().get("worker") is True
                return False

            deadline = time.monotonic() + within
            while not await ready():
                self.check_alive()
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the system was not ready within {within:.0f} s:\n{self.log_tail()}")
                await asyncio.sleep(0.2)

    async def _wait(self, condition: Callable[[], bool], what: str, within: float) -> None:
        deadline = time.monotonic() + within
        while not condition():
            self.check_alive()
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out waiting for {what}:\n{self.log_tail()}")
            await asyncio.sleep(0.1)

    def check_alive(self) -> None:
        if self._launcher is not None and self._launcher.poll() is not None:
            raise RuntimeError(f"the launcher exited ({self._launcher.returncode}):\n{self.log_tail()}")

    @property
    def launcher_running(self) -> bool:
        return self._launcher is not None and self._launcher.poll() is None

    def service_pids(self) -> dict[str, int]:
        """The pid of each service the launcher runs, by the module it runs (`api`, `worker`, `bot`)."""
        assert self._launcher is not None
        found: dict[str, int] = {}
        for child in psutil.Process(self._launcher.pid).children():
            with contextlib.suppress(psutil.Error):
                command = child.cmdline()
                if "-m" in command:
                    found[command[command.index("-m") + 1]] = child.pid
        return found

    def kill_worker(self) -> int:
        pid = self.service_pids()["worker"]
        psutil.Process(pid).kill()
        return pid

    def log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""

    async def stop(self) -> int | None:
        """Stop the launcher as Ctrl-C does; its exit code (0 when every service stopped cleanly)."""
        code = None
        if self._launcher is not None:
            if self._launcher.poll() is None:
                self._launcher.terminate()
            try:
                code = await asyncio.to_thread(self._launcher.wait, 60)
            except subprocess.TimeoutExpired:
                self._launcher.kill()
                await asyncio.to_thread(self._launcher.wait)
        await self._bot_server.stop()
        await asyncio.to_thread(self.redis.stop)
        return code
