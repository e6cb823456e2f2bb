"""Publishing a build to Redis as a new dataset version, switched on in one atomic step."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from itertools import islice
from typing import Any, Protocol

import orjson
import redis

from shared import keys

logger = logging.getLogger(__name__)

_CHUNK = 2_000

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
    serving. The previous version expires only after the switch, after a grace period.
    `after_write` runs between the writes and the switch (tests use it to fail right there).
    """
    token = f"{build.version}:{datetime.now(UTC).isoformat()}"
    if not client.set(keys.PUBLISH_LOCK, token, nx=True, ex=keys.PUBLISH_LOCK_TTL_SECONDS):
        raise PublishError("otra publicación está en curso; inténtalo más tarde")
    try:
        try:
            _write(client, build, on_progress)
            if after_write is not None:
                after_write()
        except BaseException:
            logger.warning("publish of %s failed before the switch; removing its keys", build.version)
            _delete_version(client, build.version)
            raise
        # The switch: one SET (returning the version it replaced).
        previous = client.set(keys.CURRENT_VERSION, build.version, get=True)
        client.publish(keys.VERSION_CHANNEL, build.version)
        expired = _expire_other_versions(client, build.version)
        logger.info(
            "dataset version %s is live (previous: %s; %d old keys expire in %ds)",
            build.version,
            previous.decode() if isinstance(previous, bytes) else previous,
            expired,
            keys.OLD_VERSION_GRACE_SECONDS,
        )
        return build.version
    finally:
        # Release only our own lock (a stale one may have expired and been retaken).
        if client.get(keys.PUBLISH_LOCK) == token.encode():
            client.delete(keys.PUBLISH_LOCK)


def _write(client: redis.Redis, build: Publishable, on_progress: Callable[[int, str], None] | None) -> None:
    payload: Iterable[tuple[str, Fields | bytes]] = build.redis_payload()
    for name, value in payload:
        if on_progress is not None:
            on_progress(0, f"escribiendo {name.rsplit(':', 1)[-1]}")
        if isinstance(value, bytes):
            client.set(name, value)
            continue
        for chunk in _chunks(value):
            client.hset(name, mapping=chunk)
    # meta last: a version with meta is complete.
    client.hset(keys.meta(build.version), mapping=build.meta())
