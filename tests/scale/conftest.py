"""Fixtures of the scale tests: the launcher's (they run `make run` as it is), and a replicated Redis."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from shared.embedded_redis import EmbeddedRedis
from tests.launcher.conftest import launch
from tests.waiting import eventually_sync

__all__ = ["launch"]


@pytest.fixture
def primary_and_replica(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two real Redis servers, each with its own password: a primary, and a read-only replica of it
    (`--replicaof`, authenticated with the primary's password) in sync."""
    primary = EmbeddedRedis(tmp_path / "primary", persistent=False)
    primary_url = primary.start()
    replica = EmbeddedRedis(tmp_path / "replica", persistent=False, replica_of=primary_url)
    try:
        replica_url = replica.start()
    except RuntimeError:
        primary.stop()
        raise
    client = redis.Redis.from_url(replica_url, socket_connect_timeout=0.5)

    def in_sync() -> bool:
        try:
            return client.info("replication").get("master_link_status") == "up"
        except redis.ConnectionError:
            return False

    try:
        eventually_sync(in_sync, "the replica's first sync with the primary", within=30)
        yield primary_url, replica_url
    finally:
        client.close()
        replica.stop()
        primary.stop()
