"""REDIS_READ_URL: the API reads the dataset from a real replica (`redis-server --replicaof`) while
jobs go to the primary; a publish on the primary reaches the API once the replica has it, never half."""

from __future__ import annotations

import asyncio
import threading
import time
from urllib.parse import quote

import pytest
import redis

from etl.pipeline import Build
from etl.publish import publish
from shared import jobs, keys
from tests.api.conftest import ADMIN_TOKEN, serve_in_process, settings_for
from tests.scale.directors import busiest_directors, version_kind
from tests.waiting import eventually, eventually_sync

pytestmark = pytest.mark.timeout(90)

SWITCH_SECONDS = 1.0


def _pointer(client: redis.Redis) -> str | None:
    value = client.get(keys.CURRENT_VERSION)
    return value.decode() if isinstance(value, bytes) else None


async def test_the_api_on_a_replica_serves_a_new_version_once_replicated_and_never_half(
    primary_and_replica: tuple[str, str], sample_build: Build, changed_build: Build
) -> None:
    primary_url, replica_url = primary_and_replica
    primary, replica = redis.Redis.from_url(primary_url), redis.Redis.from_url(replica_url)
    old, new = sample_build.version, changed_build.version
    publish(primary, sample_build)
    eventually_sync(lambda: _pointer(replica) == old, "the replica to hold the first version")
    path = f"/get_director/{quote(busiest_directors(1)[0])}"

    settings = settings_for(primary_url, redis_read_url=replica_url)
    async with serve_in_process(settings) as api:
        ready = await api.get("/readyz")
        assert ready.status_code == 200 and ready.json()["version"] == old
        first = await api.get(path)
        assert first.status_code == 200 and version_kind(first.json()) == "old"

        # Jobs go to the primary (the replica is read-only: an enqueue there would fail).
        refresh = await api.post("/admin/refresh", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        assert refresh.status_code == 202, refresh.text
        assert primary.exists(jobs.QUEUE_NAME) and primary.zscore(jobs.QUEUE_NAME, refresh.json()["job_id"])

        # Publish on the primary and stop right before the switch, once the replica holds every
        # key of the new version: the API on the replica still answers the old one, whole.
        written, go_on = threading.Event(), threading.Event()

        def after_write() -> None:
            written.set()
            go_on.wait(30)

        publishing = asyncio.create_task(
            asyncio.to_thread(publish, primary, changed_build, after_write=after_write)
        )
        try:
            await eventually(written.is_set, "the new version written on the primary")
            await eventually(
                lambda: bool(replica.exists(keys.meta(new))), "the new version's keys on the replica"
            )
            assert _pointer(replica) == old
            for _ in range(20):
                answer = await api.get(path)
                assert answer.status_code == 200 and version_kind(answer.json()) == "old"
        finally:
            go_on.set()

        # The switch: ask all along; the answers are old then new, never mixed, never back.
        kinds: list[str] = []
        replicated_at: list[float] = []

        async def switched() -> bool:
            if not replicated_at and _pointer(replica) == new:
                replicated_at.append(time.monotonic())
            answer = await api.get(path)
            assert answer.status_code == 200, answer.text
            kinds.append(version_kind(answer.json()))
            return kinds[-1] == "new"

        await eventually(switched, "the API to answer the new version", within=10)
        assert replicated_at and time.monotonic() - replicated_at[0] < SWITCH_SECONDS
        await publishing
        assert _pointer(primary) == new
        assert "mixed" not in kinds and kinds == sorted(kinds, key=lambda kind: kind == "new"), kinds
        for _ in range(20):
            answer = await api.get(path)
            assert version_kind(answer.json()) == "new"
        assert (await api.get("/readyz")).json()["version"] == new

    # Every lookup ran on the replica (the Lua step reading pointer and data); none on the primary.
    assert _lookups(replica) > 0 and _lookups(primary) == 0
    primary.close()
    replica.close()


def _lookups(client: redis.Redis) -> int:
    """Scripts the server ran (EVALSHA and EVAL: the API's dataset lookups)."""
    stats = client.info("commandstats")
    return sum(int(stats.get(f"cmdstat_{name}", {}).get("calls", 0)) for name in ("evalsha", "eval"))
