"""Fixtures of the scale tests: the launcher's (they run `make run` as it is), and a replicated Redis."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from shared.embedded_redis import EmbeddedRedis, free_port, redis_executable
from tests.launcher.conftest import launch
from tests.waiting import eventually_sync

__all__ = ["launch"]


@pytest.fixture
def primary_and_replica(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two real Redis servers: a primary, and a read-only replica of it (`--replicaof`) in sync."""
    primary = EmbeddedRedis(tmp_path / "primary", persistent=False, port=free_port())
    primary_url = primary.start()
    folder = tmp_path / "replica"
    folder.mkdir()
    port = free_port()
    replica = subprocess.Popen(
        [
            redis_executable(),
            *("--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder)),
            *("--save", "", "--appendonly", "no", "--logfile", "redis.log"),
            *("--replicaof", "127.0.0.1", str(primary.port), "--replica-read-only", "yes"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    replica_url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(replica_url, socket_connect_timeout=0.5)

    def in_sync() -> bool:
        assert replica.poll() is None, f"the replica exited (see {folder}/redis.log)"
        try:
            return client.info("replication").get("master_link_status") == "up"
        except redis.ConnectionError:
            return False

    try:
        eventually_sync(in_sync, "the replica's first sync with the primary", within=30)
        yield primary_url, replica_url
    finally:
        client.close()
        replica.terminate()
        replica.wait(10)
        primary.stop()
