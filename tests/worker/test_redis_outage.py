"""The worker outlives Redis: killed and restarted, or stopped (SIGSTOP) for a while, the same
worker process answers again as soon as Redis does; and a failed claim never costs a job slot."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from arq import ArqRedis, create_pool
from redis.exceptions import ConnectionError as RedisConnectionError

from benchmarks.chaos.redis_server import FaultyRedis
from etl.pipeline import Build
from etl.publish import publish
from shared import jobs, keys
from shared.job_codec import ARQ_CODEC
from shared.redis_client import arq_redis_settings
from shared.settings import WorkerServiceSettings
from tests.waiting import eventually_sync
from tests.worker.conftest import WorkerEntryPoint, WorkerFactory, running

TOY_STORY = 862


@pytest.fixture
def faulty_redis(tmp_path: Path, sample_build: Build) -> Iterator[FaultyRedis]:
    """A Redis of the test's own (append-only, with a password) holding the sample."""
    server = FaultyRedis(tmp_path / "redis")
    server.start()
    client = redis.Redis.from_url(server.url)
    publish(client, sample_build)
    client.close()
    yield server
    server.stop()


def _heartbeat(url: str) -> bool:
    client = redis.Redis.from_url(url, socket_timeout=1)
    try:
        return bool(client.exists(jobs.WORKER_HEARTBEAT))
    except redis.RedisError:
        return False
    finally:
        client.close()


def _recommend(url: str, version: str, within: float) -> tuple[Any, float]:
    """A new recommendation job (an id no cache holds) and its result; with the seconds it took."""

    async def ask() -> tuple[Any, float]:
        pool = await create_pool(arq_redis_settings(url), default_queue_name=jobs.QUEUE_NAME, **ARQ_CODEC)
        try:
            started = time.monotonic()
            job = await pool.enqueue_job(
                jobs.RECOMMEND, version, TOY_STORY, [13], _job_id=f"outage:{started}"
            )
            assert job is not None
            await pool.publish(jobs.JOB_ENQUEUED_CHANNEL, job.job_id)
            result = await job.result(timeout=within, poll_delay=0.02)
            return result, time.monotonic() - started
        finally:
            await pool.aclose()

    return asyncio.run(ask())


def _version(url: str) -> str:
    client = redis.Redis.from_url(url)
    try:
        raw = client.get(keys.CURRENT_VERSION)
        assert isinstance(raw, bytes)
        return raw.decode()
    finally:
        client.close()


@pytest.fixture
def worker_entry_point(faulty_redis: FaultyRedis, tmp_path: Path) -> Iterator[WorkerEntryPoint]:
    worker = WorkerEntryPoint(faulty_redis.url, tmp_path)
    eventually_sync(lambda: _heartbeat(faulty_redis.url), "the worker's first heartbeat")
    yield worker
    worker.stop()


def test_worker_outlives_redis_killed_and_restarted(
    faulty_redis: FaultyRedis, worker_entry_point: WorkerEntryPoint
) -> None:
    version = _version(faulty_redis.url)
    answer, _ = _recommend(faulty_redis.url, version, within=10)
    assert answer["titulo"] == "Toy Story"

    faulty_redis.kill()
    # Longer than the old worker would have lasted, and than several of its backoff periods.
    time.sleep(8)
    assert worker_entry_point.process.poll() is None, worker_entry_point.log()
    faulty_redis.start()

    # The same process, back within 2 s of Redis: its heartbeat, then a job computed.
    back = time.monotonic()
    eventually_sync(lambda: _heartbeat(faulty_redis.url), "the worker's heartbeat after the restart", 5)
    assert time.monotonic() - back < 2.5, worker_entry_point.log()
    answer, seconds = _recommend(faulty_redis.url, version, within=10)
    assert answer["titulo"] == "Toy Story"
    assert seconds < 2
    assert worker_entry_point.process.poll() is None
    log = worker_entry_point.log()
    assert "Redis does not answer" in log and "Redis answers again" in log
    assert "Traceback" not in log


def test_worker_outlives_redis_stopped_and_resumed(
    faulty_redis: FaultyRedis, worker_entry_point: WorkerEntryPoint
) -> None:
    version = _version(faulty_redis.url)
    faulty_redis.pause()
    # Longer than a command's read timeout: the worker must notice, not hang on a socket.
    time.sleep(7)
    assert worker_entry_point.process.poll() is None
    faulty_redis.resume()
    answer, seconds = _recommend(faulty_redis.url, version, within=10)
    assert answer["titulo"] == "Toy Story"
    assert seconds < 2
    assert worker_entry_point.process.poll() is None
    assert "Redis does not answer" in worker_entry_point.log()
    # Stopping it still works, and is no crash.
    assert worker_entry_point.stop() == 0


class _FailingOnce:
    """The arq pool's transactions, except that the first one (a claim) fails as a lost
    connection does."""

    def __init__(self, pool: ArqRedis) -> None:
        self.pipeline = pool.pipeline
        self.failed = False

    def __call__(self, *args: Any, transaction: bool = True, **kwargs: Any) -> Any:
        if transaction and not self.failed:
            self.failed = True
            raise RedisConnectionError("Connection refused")
        return self.pipeline(*args, transaction=transaction, **kwargs)


async def test_a_failed_claim_gives_its_slot_back(
    worker_settings: WorkerServiceSettings, arq_pool: ArqRedis, make_worker: WorkerFactory
) -> None:
    version = _version(str(worker_settings.redis_url))
    job = await arq_pool.enqueue_job(jobs.RECOMMEND, version, TOY_STORY)
    assert job is not None
    # One slot only: if the failed claim kept it, the job would never run.
    worker = make_worker(worker_settings, max_jobs=1)
    failing = _FailingOnce(arq_pool)
    arq_pool.pipeline = failing  # type: ignore[method-assign]
    try:
        await asyncio.wait_for(worker.async_run(), 20)
    finally:
        arq_pool.pipeline = failing.pipeline  # type: ignore[method-assign]
        await worker.close()
    assert failing.failed
    assert worker.jobs_complete == 1
    result = await job.result(timeout=5)
    assert result["titulo"] == "Toy Story"


async def test_the_heartbeat_always_has_half_an_interval_to_spare(
    worker_settings: WorkerServiceSettings, arq_pool: ArqRedis, make_worker: WorkerFactory
) -> None:
    # arq's own refresh leaves the key one second from lapsing each interval: a worker a second
    # late, or restarted after a kill, looked dead to the API.
    worker = make_worker(worker_settings, burst=False, health_check_interval=2)
    lowest = 3000
    async with running(worker):
        await asyncio.sleep(0.5)
        deadline = time.monotonic() + 4.5
        while time.monotonic() < deadline:
            lowest = min(lowest, await arq_pool.pttl(jobs.WORKER_HEARTBEAT))
            await asyncio.sleep(0.05)
    assert lowest > 1500
