"""Publishing a build to Redis as a new dataset version, switched on in one atomic step."""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice
from typing import Any, Protocol, cast

import orjson
import redis

from shared import keys

logger = logging.getLogger(__name__)

_CHUNK = 2_000
# How often a long publish renews its lock and its keys' provisional expiry.
_RENEW_EVERY_SECONDS = 5.0

# A hash's fields, produced lazily: serialising a big hash (156k actors) all at once before
# writing it costs hundreds of MB, since each orjson result starts in its own 8 KB buffer.
Fields = Mapping[str, bytes] | Iterable[tuple[str, bytes]]


class Publishable(Protocol):
    """What a build offers to publishing (etl.pipeline.Build)."""

    @property
    def version(self) -> str: ...

    @property
    def source_digest(self) -> str: ...

    def redis_payload(self) -> Iterator[tuple[str, Fields | bytes]]: ...

    def meta(self) -> dict[str, str]: ...


class PublishError(RuntimeError):
    """Another publish holds the lock, or the build could not be written."""


def dumps(value: Any) -> bytes:
    return orjson.dumps(value)


def _chunks(fields: Fields) -> Iterator[dict[str, bytes]]:
    items = iter(fields.items() if isinstance(fields, Mapping) else fields)
    while chunk := dict(islice(items, _CHUNK)):
        yield chunk


def current_version(client: redis.Redis) -> str | None:
    value = client.get(keys.CURRENT_VERSION)
    return value.decode() if isinstance(value, bytes) else None


def _expire_other_versions(client: redis.Redis, keep: str) -> int:
    """Every key of a version other than `keep` gets the grace TTL (old or abandoned builds)."""
    keep_prefix = keys.version_prefix(keep) + ":"
    pipe = client.pipeline(transaction=False)
    count = 0
    for key in client.scan_iter(match=f"{keys.PREFIX}:v:*", count=1000):
        name = key.decode() if isinstance(key, bytes) else str(key)
        if not name.startswith(keep_prefix) and int(client.ttl(name)) < 0:  # type: ignore[arg-type]
            pipe.expire(name, keys.OLD_VERSION_GRACE_SECONDS)
            count += 1
    pipe.execute()
    return count


def _delete_version(client: redis.Redis, version: str) -> None:
    names = list(client.scan_iter(match=keys.version_pattern(version), count=1000))
    if names:
        client.delete(*names)


def _owner(version: str) -> str:
    return orjson.dumps(
        {"host": socket.gethostname(), "pid": os.getpid(), "version": version, "since": time.time()}
    ).decode()


def _dead_owner(value: bytes) -> dict[str, Any] | None:
    """The lock's record when its owner is a process of this host that no longer exists."""
    try:
        owner = orjson.loads(value)
        if not isinstance(owner, dict) or owner.get("host") != socket.gethostname():
            return None
        os.kill(int(owner["pid"]), 0)
    except ProcessLookupError:
        return cast(dict[str, Any], owner)
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, PermissionError):
        return None
    return None


def _take_lock(client: redis.Redis, token: str) -> None:
    if client.set(keys.PUBLISH_LOCK, token, nx=True, ex=keys.PUBLISH_LOCK_TTL_SECONDS):
        return
    held = client.get(keys.PUBLISH_LOCK)
    dead = _dead_owner(held) if isinstance(held, bytes) else None
    if dead is not None:
        # Compare-and-set: two publishers that both saw the dead owner cannot both take over.
        taken = client.eval(_TAKE_OVER, 1, keys.PUBLISH_LOCK, held, token, keys.PUBLISH_LOCK_TTL_SECONDS)  # type: ignore[arg-type]
        if taken:
            abandoned = str(dead.get("version", ""))
            logger.warning(
                "publish lock of dead process %s taken over; removing its half-written version %s",
                dead.get("pid"),
                abandoned,
            )
            if abandoned and abandoned != current_version(client):
                _delete_version(client, abandoned)
            return
    raise PublishError("otra publicación está en curso; inténtalo más tarde")


_TAKE_OVER = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0
"""


class _Writer:
    """Writes a version's keys, each with the provisional expiry, and keeps the lock and those
    expiries alive while the writing lasts (a slow publish never loses its first keys)."""

    def __init__(self, client: redis.Redis, token: str) -> None:
        self.client = client
        self.token = token
        self.names: list[str] = []
        self._renewed = time.monotonic()

    def write(self, name: str, value: Fields | bytes) -> None:
        pipe = self.client.pipeline(transaction=False)
        if name not in self.names:
            self.names.append(name)
        if isinstance(value, bytes):
            pipe.set(name, value, ex=keys.PROVISIONAL_TTL_SECONDS)
            pipe.execute()
        else:
            for chunk in _chunks(value):
                pipe.hset(name, mapping=chunk)
                pipe.expire(name, keys.PROVISIONAL_TTL_SECONDS)
                pipe.execute()
                self.keep_alive()
        self.keep_alive()

    def keep_alive(self) -> None:
        if time.monotonic() - self._renewed < _RENEW_EVERY_SECONDS:
            return
        self._renewed = time.monotonic()
        if self.client.get(keys.PUBLISH_LOCK) != self.token.encode():
            raise PublishError("la publicación perdió su turno: otra la reemplazó")
        pipe = self.client.pipeline(transaction=False)
        pipe.expire(keys.PUBLISH_LOCK, keys.PUBLISH_LOCK_TTL_SECONDS)
        for name in self.names:
            pipe.expire(name, keys.PROVISIONAL_TTL_SECONDS)
        pipe.execute()

    def switch(self, version: str) -> bytes | None:
        """Make every key permanent and point readers at `version`, in one transaction."""
        pipe = self.client.pipeline(transaction=True)
        for name in self.names:
            pipe.persist(name)
        pipe.set(keys.CURRENT_VERSION, version, get=True)
        replies = pipe.execute()
        previous = replies[-1]
        return previous if isinstance(previous, bytes) else None


def publish(
    client: redis.Redis,
    build: Publishable,
    *,
    on_progress: Callable[[int, str], None] | None = None,
    after_write: Callable[[], None] | None = None,
) -> str:
    """Write every key of `build.version`, then point readers at it in one atomic step.

    Readers never see a half-written version: nothing points at it until the switch. If anything
    fails before the switch, the partial keys are removed and the previous version keeps
    serving; if the process is killed, they expire by themselves (provisional expiry) or the next
    publisher removes them when it takes the dead owner's lock. The previous version expires only
    after the switch, after a grace period. `after_write` runs between the writes and the switch
    (tests use it to fail right there).
    """
    token = _owner(build.version)
    _take_lock(client, token)
    try:
        writer = _Writer(client, token)
        try:
            _write(writer, build, on_progress)
            if after_write is not None:
                after_write()
            writer.keep_alive()
        except BaseException:
            logger.warning("publish of %s failed before the switch; removing its keys", build.version)
            _delete_version(client, build.version)
            raise
        # The switch: the new keys made permanent and the pointer moved, in one MULTI.
        previous = writer.switch(build.version)
        client.publish(keys.VERSION_CHANNEL, build.version)
        expired = _expire_other_versions(client, build.version)
        logger.info(
            "dataset version %s is live (previous: %s; %d old keys expire in %ds)",
            build.version,
            previous.decode() if previous is not None else None,
            expired,
            keys.OLD_VERSION_GRACE_SECONDS,
        )
        return build.version
    finally:
        # Release only our own lock (a stale one may have expired and been retaken).
        if client.get(keys.PUBLISH_LOCK) == token.encode():
            client.delete(keys.PUBLISH_LOCK)


def _write(writer: _Writer, build: Publishable, on_progress: Callable[[int, str], None] | None) -> None:
    payload: Iterable[tuple[str, Fields | bytes]] = build.redis_payload()
    for name, value in payload:
        if on_progress is not None:
            on_progress(0, f"escribiendo {name.rsplit(':', 1)[-1]}")
        writer.write(name, value)
    # meta last: a version with meta is complete.
    writer.write(keys.meta(build.version), {k: v.encode() for k, v in build.meta().items()})
