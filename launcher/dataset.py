"""Whether `make run` must run the ETL: nothing published, `--rebuild`, or MOVIES_DATA changed."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import redis

from shared import keys
from shared.source import content_digest, fingerprint, locate

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Decision:
    """The verdict and the sentence the log shows for it."""

    run_etl: bool
    reason: str
    version: str | None


def _text(value: object) -> str | None:
    return value.decode() if isinstance(value, bytes) else None


def published(client: redis.Redis) -> tuple[str | None, str | None]:
    """The current dataset version and the digest of the source it was built from."""
    version = _text(client.get(keys.CURRENT_VERSION))
    if version is None:
        return None, None
    return version, _text(client.hget(keys.meta(version), "source_digest"))


def decide(client: redis.Redis, source: Path, *, rebuild: bool = False) -> Decision:
    """Compare the source with the one the published version was built from.

    The recorded fingerprint (names, sizes, mtimes) settles the usual restart without reading
    the files; otherwise the content digest decides, the same one the worker's refresh uses,
    so a copy of the same files elsewhere is still "unchanged".
    """
    version, digest = published(client)
    if rebuild:
        return Decision(True, "--rebuild was given", version)
    if version is None:
        return Decision(True, "no dataset is published yet", None)
    recorded = {k.decode(): v.decode() for k, v in client.hgetall(keys.LAUNCHER_SOURCE).items()}  # type: ignore[union-attr]
    if digest and recorded.get("fingerprint") == fingerprint(source) and recorded.get("digest") == digest:
        return Decision(False, f"MOVIES_DATA is unchanged since version {version} was built", version)
    current = content_digest(locate(source))
    if current == digest:
        record(client, source, current)
        return Decision(False, f"version {version} was built from these same files", version)
    return Decision(True, f"MOVIES_DATA changed since version {version} was built", version)


def record(client: redis.Redis, source: Path, digest: str | None = None) -> None:
    """Remember which files the published version came from (after an ETL, or a full check)."""
    if digest is None:
        digest = published(client)[1]
        if digest is None:
            return
    mapping = {"path": str(source.resolve()), "fingerprint": fingerprint(source), "digest": digest}
    client.hset(keys.LAUNCHER_SOURCE, mapping=mapping)
