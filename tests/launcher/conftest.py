"""Fixtures for the launcher: `python -m launcher` as a real process, and a data folder already published."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
import redis

from etl.pipeline import Build
from etl.publish import publish
from shared.embedded_redis import EmbeddedRedis, free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
# Variables of the developer's shell that would steer the run away from the test's own folders.
_CLEARED = {
    "REDIS_URL",
    "REDIS_PASSWORD",
    "REDIS_READ_URL",
    "MOVIES_DATA",
    "DATA_DIR",
    "API_HOST",
    "API_PORT",
    "TELEGRAM_BOT_TOKEN",
    "GATEWAY_URL",
    "ADMIN_TOKEN",
}


class LauncherRun:
    """One `python -m launcher` process, its log in a file, and helpers to watch it."""

    def __init__(
        self, args: list[str], data_dir: Path, extra_env: dict[str, str], port: int | None, cwd: Path
    ) -> None:
        self.data_dir = data_dir
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir.parent / f"launcher-{self.port}.log"
        env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
        env.update(
            PYTHONPATH=str(REPO_ROOT),
            DATA_DIR=str(data_dir),
            API_PORT=str(self.port),
            REFRESH_CRON_HOUR="",
            NO_COLOR="1",
            LOG_LEVEL="INFO",
        )
        env.update(extra_env)
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "launcher", *args],
            env=env,
            cwd=cwd,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.seen: list[psutil.Process] = []

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def lines(self, prefix: str) -> list[str]:
        return [line for line in self.log().splitlines() if line.startswith(f"{prefix} ")]

    def wait_for(self, predicate: Callable[[], bool], what: str, timeout: float = 45) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if self.process.poll() is not None:
                raise AssertionError(
                    f"the launcher exited ({self.process.returncode}) before {what}:\n{self.log()}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}:\n{self.log()}")
            time.sleep(0.1)

    def worker_replaced(self, old_pid: int) -> bool:
        return any(p.pid != old_pid and "-m worker" in " ".join(_cmdline(p)) for p in self.children())

    def wait_logged(self, text: str, timeout: float = 45) -> None:
        self.wait_for(lambda: text in self.log(), repr(text), timeout)

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=5) as response:
                return int(response.status), response.read()
        except urllib.error.HTTPError as exc:
            return int(exc.code), exc.read()
        except OSError:
            return 0, b""

    def wait_ready(self, timeout: float = 45) -> None:
        self.wait_for(lambda: self.get("/readyz")[0] == 200, "/readyz to answer 200", timeout)

    def children(self) -> list[psutil.Process]:
        """Every process the launcher started (remembered, to check later that each one ended)."""
        found = psutil.Process(self.process.pid).children(recursive=True)
        self.seen.extend(p for p in found if p not in self.seen)
        return found

    def child(self, marker: str) -> psutil.Process:
        """The live child whose command line holds `marker` (`-m worker`, `redis-server`)."""
        matches = [p for p in self.children() if marker in " ".join(_cmdline(p))]
        assert len(matches) == 1, f"{marker!r}: {[_cmdline(p) for p in self.children()]}"
        return matches[0]

    def redis_url(self) -> str:
        return (self.data_dir / "redis" / "redis.url").read_text().strip()

    def redis_client(self) -> redis.Redis:
        return redis.Redis.from_url(self.redis_url())

    def stop(self, signum: signal.Signals = signal.SIGINT, timeout: float = 30) -> int:
        self.children()
        self.process.send_signal(signum)
        return self.wait_exit(timeout)

    def wait_exit(self, timeout: float = 30) -> int:
        code = self.process.wait(timeout)
        self._log.close()
        return code

    def assert_everything_ended(self) -> None:
        assert self.seen, "no child process was ever seen"
        alive = [p for p in self.seen if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        assert not alive, f"still running: {[_cmdline(p) for p in alive]}"
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", self.port))  # the API's port is free again

    def cleanup(self) -> None:
        if self.process.poll() is None:
            self.children()
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for leftover in self.seen:
            with contextlib.suppress(psutil.Error):
                leftover.kill()
        self._log.close()


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []


LaunchFactory = Callable[..., LauncherRun]


@pytest.fixture
def launch() -> Iterator[LaunchFactory]:
    """Start `python -m launcher` (as `make run` does); whatever a test leaves running is stopped."""
    runs: list[LauncherRun] = []

    def start(
        data_dir: Path, *args: str, port: int | None = None, cwd: Path = REPO_ROOT, **env: str
    ) -> LauncherRun:
        run = LauncherRun(list(args), data_dir, env, port, cwd)
        runs.append(run)
        return run

    yield start
    for run in runs:
        run.cleanup()


@pytest.fixture
def published_data_dir(tmp_path: Path, sample_build: Build) -> Path:
    """A data folder whose embedded Redis already holds the sample, as a previous `make run` leaves it."""
    data_dir = tmp_path / "var"
    server = EmbeddedRedis(data_dir / "redis")
    client = redis.Redis.from_url(server.start())
    try:
        publish(client, sample_build)
    finally:
        client.close()
        server.stop()  # saves dump.rdb, which the next start loads
    return data_dir
