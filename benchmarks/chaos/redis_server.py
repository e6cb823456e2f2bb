"""A redis-server the fault suite may kill, restart, stop and resume: append-only, with a password."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import time
from pathlib import Path

import redis

from shared.embedded_redis import free_port, redis_executable


class FaultyRedis:
    """One redis-server in `directory`, always on the same port: a restart after SIGKILL loads the
    append-only file, as a production Redis with `appendonly yes` would. Clients connect through
    `url` (it carries the password), never through a bare port."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = directory
        self.port = port or free_port()
        self.password = secrets.token_urlsafe(24)
        self.url = f"redis://:{self.password}@127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self, timeout: float = 30.0) -> str:
        """Start the server (again) and wait until it answers: after a kill, once it has loaded its data."""
        self.directory.mkdir(parents=True, exist_ok=True)
        args = [
            redis_executable(),
            "-",  # the rest of the configuration on stdin: the password stays out of `ps`
            *("--port", str(self.port), "--bind", "127.0.0.1", "--protected-mode", "yes"),
            *("--dir", str(self.directory.resolve()), "--logfile", "redis.log"),
            *("--appendonly", "yes", "--appendfsync", "everysec", "--save", ""),
        ]
        process = subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        assert process.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            process.stdin.write(f"requirepass {self.password}\n".encode())
            process.stdin.close()
        self._process = process
        deadline = time.monotonic() + timeout
        while not self.answers():
            if process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"redis-server did not start (see {self.directory}/redis.log)")
            time.sleep(0.02)
        return self.url

    def answers(self, timeout: float = 0.5) -> bool:
        client = redis.Redis.from_url(self.url, socket_connect_timeout=timeout, socket_timeout=timeout)
        try:
            return bool(client.ping())
        except (redis.RedisError, OSError):
            return False
        finally:
            client.close()

    def kill(self) -> None:
        """SIGKILL: no snapshot, no goodbye; what reached the append-only file survives."""
        self._signal(signal.SIGKILL)
        if self._process is not None:
            self._process.wait()
            self._process = None

    def pause(self) -> None:
        """SIGSTOP: the sockets stay open and nothing answers."""
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        self._signal(signal.SIGCONT)

    def stop(self) -> None:
        if self._process is None:
            return
        self.resume()
        self._process.terminate()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def _signal(self, signum: signal.Signals) -> None:
        if self._process is not None and self._process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._process.pid, signum)

    def __enter__(self) -> FaultyRedis:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
