"""Fixtures for the worker: settings, an arq pool and real arq workers against the embedded Redis."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from arq import ArqRedis, create_pool
from arq.worker import Worker

from shared import jobs
from shared.job_codec import ARQ_CODEC
from shared.redis_client import arq_redis_settings
from shared.settings import SAMPLE_DATA, WorkerServiceSettings
from worker.settings import POLL_DELAY_SECONDS, worker_options
from worker.waking_worker import WakingWorker

WorkerFactory = Callable[..., Worker]
REPO_ROOT = Path(__file__).resolve().parents[2]
HEALTH_KEY = jobs.QUEUE_NAME + ":health-check"


@pytest.fixture
def worker_settings(published_redis_url: str, tmp_path: Path) -> WorkerServiceSettings:
    """The worker's settings: the sample as the source (the one already published), a private data dir."""
    return WorkerServiceSettings(
        redis_url=published_redis_url,
        movies_data=SAMPLE_DATA,
        data_dir=tmp_path / "data",
        refresh_cron_hour=None,
    )


@pytest.fixture
async def arq_pool(published_redis_url: str) -> AsyncIterator[ArqRedis]:
    """What the API holds: an arq pool on the same Redis."""
    pool = await create_pool(
        arq_redis_settings(published_redis_url), default_queue_name=jobs.QUEUE_NAME, **ARQ_CODEC
    )
    yield pool
    await pool.aclose()


@pytest.fixture
def make_worker(arq_pool: ArqRedis) -> WorkerFactory:
    """A real arq worker with the production options; burst (drain the queue and stop) by default."""

    def build(settings: WorkerServiceSettings, *, burst: bool = True, **overrides: Any) -> Worker:
        options = worker_options(settings)
        options.update(
            burst=burst,
            poll_delay=0 if burst else POLL_DELAY_SECONDS,
            redis_pool=arq_pool,
            handle_signals=False,
        )
        options.update(overrides)
        return WakingWorker(**options)

    return build


class WorkerProcess:
    """`arq worker.settings.WorkerSettings` in its own process, as in production."""

    def __init__(self, redis_url: str, data_dir: Path, movies_data: Path = SAMPLE_DATA) -> None:
        self.redis_url = redis_url
        self.env = {k: v for k, v in os.environ.items() if k not in {"MOVIES_DATA", "DATA_DIR"}}
        self.env.update(
            REDIS_URL=redis_url,
            PYTHONPATH=str(REPO_ROOT),
            DATA_DIR=str(data_dir),
            MOVIES_DATA=str(movies_data),
            REFRESH_CRON_HOUR="",
        )
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "arq", "worker.settings.WorkerSettings"]
        self.process = subprocess.Popen(command, env=self.env, cwd=REPO_ROOT)
        client = redis.Redis.from_url(self.redis_url)
        deadline = time.monotonic() + 30
        while not client.exists(HEALTH_KEY):
            assert self.process.poll() is None and time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(15)


class WorkerEntryPoint:
    """`python -m worker`, what `make run` and compose run, with its log in a file."""

    def __init__(self, redis_url: str, tmp_path: Path, movies_data: Path = SAMPLE_DATA) -> None:
        env = {k: v for k, v in os.environ.items() if k not in {"MOVIES_DATA", "DATA_DIR"}}
        env.update(
            REDIS_URL=redis_url,
            PYTHONPATH=str(REPO_ROOT),
            DATA_DIR=str(tmp_path / "data"),
            MOVIES_DATA=str(movies_data),
            REFRESH_CRON_HOUR="",
            LOG_LEVEL="INFO",
        )
        tmp_path.mkdir(parents=True, exist_ok=True)
        self.log_path = tmp_path / "worker.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "worker"],
            env=env,
            cwd=REPO_ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(20)
        self._log.close()
        return self.process.returncode


@pytest.fixture
def worker_process(published_redis_url: str, tmp_path: Path) -> Iterator[WorkerProcess]:
    """A worker process on the published sample (not started yet)."""
    worker = WorkerProcess(published_redis_url, tmp_path / "data")
    yield worker
    worker.stop()


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
