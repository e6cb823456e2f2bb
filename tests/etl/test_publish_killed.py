"""A publish killed with SIGKILL at any moment: the old version keeps answering, what the dead
process wrote goes away, and the next publish succeeds at once (no stale lock to wait out)."""

from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import redis

from etl.pipeline import Build
from etl.publish import current_version, publish
from shared import keys
from tests.worker.conftest import REPO_ROOT

# The child publishes the pickled build and kills itself with SIGKILL right before writing the
# key number `at` (0: before any key, once it holds the lock), or, with `at` = -1, after the
# last write and before the switch.
_CHILD = textwrap.dedent(
    """
    import os, pickle, signal, sys
    import redis
    from etl.publish import publish
    build = pickle.loads(open(sys.argv[1], "rb").read())
    at = int(sys.argv[3])
    calls = []
    def die() -> None:
        os.kill(os.getpid(), signal.SIGKILL)
    def progress(_percent, _detail):
        if len(calls) == at:
            die()
        calls.append(1)
    client = redis.Redis.from_url(sys.argv[2])
    publish(client, build, on_progress=progress, after_write=die if at < 0 else None)
    """
)


@pytest.fixture
def client(redis_url: str) -> Iterator[redis.Redis]:
    connection = redis.Redis.from_url(redis_url)
    yield connection
    connection.close()


def _names(client: redis.Redis, version: str) -> set[bytes]:
    return set(client.scan_iter(match=keys.version_pattern(version)))


@pytest.mark.parametrize("at", [0, 1, 3, -1], ids=["lock-held", "first-key", "half-way", "before-switch"])
def test_a_publish_killed_with_sigkill_leaves_nothing_stuck(
    client: redis.Redis, redis_url: str, sample_build: Build, tmp_path: Path, at: int
) -> None:
    live = publish(client, sample_build)
    baseline = client.dbsize()
    doomed = replace(sample_build, version=keys.new_version("doomed"))
    pickled = tmp_path / "build.pickle"
    pickled.write_bytes(pickle.dumps(doomed))
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, str(pickled), redis_url, str(at)],
        check=False,
        cwd=REPO_ROOT,
        capture_output=True,
        timeout=120,
    )
    assert child.returncode == -9, child.stderr.decode()
    # The old version answers; the dead publisher's lock is still there.
    assert current_version(client) == live
    assert client.hget(keys.movies(live), "862")
    assert client.exists(keys.PUBLISH_LOCK)
    # Whatever it wrote expires by itself even if nobody ever publishes again.
    for name in _names(client, doomed.version):
        assert 0 < client.ttl(name) <= keys.PROVISIONAL_TTL_SECONDS
    # The next publish takes the dead owner's lock at once and removes its keys.
    following = replace(sample_build, version=keys.new_version("following"))
    assert publish(client, following) == current_version(client) == following.version
    assert not _names(client, doomed.version)
    assert not client.exists(keys.PUBLISH_LOCK)
    assert client.ttl(keys.movies(following.version)) == -1
    # Back to the baseline: the live version (in its grace period) and the new one, nothing else.
    assert client.dbsize() == baseline + len(_names(client, following.version))
