"""Fixtures for the worker: settings, an arq pool and real arq workers against the embedded Redis."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from arq import ArqRedis, create_pool
from arq.worker import Worker

from shared import jobs
from shared.redis_client import arq_redis_settings
from shared.settings import SAMPLE_DATA, Settings
from worker.settings import worker_options

WorkerFactory = Callable[..., Worker]


@pytest.fixture
def worker_settings(published_redis_url: str, tmp_path: Path) -> Settings:
    """The worker's settings: the sample as the source (the one already published), a private data dir."""
    return Settings(
        redis_url=published_redis_url,
        movies_data=SAMPLE_DATA,
        data_dir=tmp_path / "data",
        refresh_cron_hour=None,
    )


@pytest.fixture
async def arq_pool(published_redis_url: str) -> AsyncIterator[ArqRedis]:
    """What the API holds: an arq pool on the same Redis."""
    pool = await create_pool(arq_redis_settings(published_redis_url), default_queue_name=jobs.QUEUE_NAME)
    yield pool
    await pool.aclose()


@pytest.fixture
def make_worker(arq_pool: ArqRedis) -> WorkerFactory:
    """A real arq worker with the production options; burst (drain the queue and stop) by default."""

    def build(settings: Settings, *, burst: bool = True, **overrides: Any) -> Worker:
        options = worker_options(settings)
        options.update(
            burst=burst,
            poll_delay=0 if burst else 0.005,
            redis_pool=arq_pool,
            handle_signals=False,
        )
        options.update(overrides)
        return Worker(**options)

    return build


@contextlib.asynccontextmanager
async def running(worker: Worker) -> AsyncIterator[Worker]:
    """A non-burst worker serving in the background for the duration of the block."""
    task = asyncio.create_task(worker.async_run())
    try:
        yield worker
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await worker.close()
