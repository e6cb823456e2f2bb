"""A worker killed (SIGKILL) in the middle of a refresh: its ETL child dies with it, nothing is
published, and the old version keeps serving."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path
from typing import Any

import psutil
import redis
from arq import create_pool

from shared import jobs, keys
from shared.job_codec import ARQ_CODEC
from shared.redis_client import arq_redis_settings
from tests.worker.conftest import WorkerEntryPoint, WorkerProcess


def test_killed_worker_takes_its_etl_child_along(
    published_redis_url: str, tmp_path: Path, changed_source: Path
) -> None:
    store = redis.Redis.from_url(published_redis_url)
    old = store.get(keys.CURRENT_VERSION)
    worker = WorkerProcess(published_redis_url, tmp_path / "data", movies_data=changed_source)
    worker.start()
    assert worker.process is not None
    job_id = jobs.refresh_job_id(old.decode() if old else None)
    asyncio.run(_enqueue(published_redis_url, jobs.REFRESH_DATASET, _job_id=job_id))
    parent = psutil.Process(worker.process.pid)
    deadline = time.monotonic() + 30
    children: list[psutil.Process] = []
    while not children:
        assert time.monotonic() < deadline, "the ETL child never started"
        children = [c for c in parent.children() if "worker.refresh_child" in " ".join(c.cmdline())]
        time.sleep(0.02)
    # Kill it half-way, once the child reports ETL steps (it has asked to die with its parent by
    # then; a child killed while still importing exits on its own, only later on a loaded machine).
    while not (store.hget(keys.job_progress(job_id), "detalle") or b"").startswith(b"ETL"):
        assert time.monotonic() < deadline, "the ETL child never reported progress"
        time.sleep(0.02)
    worker.process.send_signal(signal.SIGKILL)
    worker.process.wait(10)
    # The ETL needs several seconds more: a child that outlived its worker would still be here.
    gone, alive = psutil.wait_procs(children, timeout=2)
    assert alive == [] and len(gone) == len(children)

    assert store.get(keys.CURRENT_VERSION) == old
    versions = {k.decode() for k in store.scan_iter(match=f"{keys.PREFIX}:v:*:meta")}
    assert versions == {keys.meta(old.decode())}  # type: ignore[union-attr]
    assert store.hget(keys.job_progress(job_id), "estado") == b"in_progress"

    # Another worker keeps answering from the old version.
    replacement = WorkerProcess(published_redis_url, tmp_path / "data2")
    replacement.start()
    try:
        answer = asyncio.run(_enqueue(published_redis_url, jobs.RECOMMEND, old.decode(), 862, wait=True))  # type: ignore[union-attr]
        assert answer["titulo"] == "Toy Story"
    finally:
        replacement.stop()
    store.close()


async def _enqueue(url: str, function: str, *args: object, wait: bool = False, **kwargs: object) -> Any:
    pool = await create_pool(arq_redis_settings(url), default_queue_name=jobs.QUEUE_NAME, **ARQ_CODEC)
    try:
        job = await pool.enqueue_job(function, *args, **kwargs)
        assert job is not None
        return await job.result(timeout=30, poll_delay=0.01) if wait else None
    finally:
        await pool.aclose()


def test_refresh_of_a_killed_worker_is_run_again_by_its_replacement(
    published_redis_url: str, tmp_path: Path, changed_source: Path
) -> None:
    """A worker killed mid-refresh leaves a lease naming a dead process: the worker started after
    it (as the launcher restarts one) frees the job and its refresh lock at once and publishes."""
    store = redis.Redis.from_url(published_redis_url)
    old = store.get(keys.CURRENT_VERSION)
    assert isinstance(old, bytes)
    killed = WorkerEntryPoint(published_redis_url, tmp_path / "first", movies_data=changed_source)
    job_id = jobs.refresh_job_id(old.decode())
    asyncio.run(_enqueue(published_redis_url, jobs.REFRESH_DATASET, _job_id=job_id))
    deadline = time.monotonic() + 60
    while not (store.hget(keys.job_progress(job_id), "detalle") or b"").startswith(b"ETL"):
        assert time.monotonic() < deadline, "the refresh never reached the ETL"
        time.sleep(0.02)
    assert store.exists(keys.REFRESH_LOCK)
    killed.process.send_signal(signal.SIGKILL)
    killed.stop()

    replacement = WorkerEntryPoint(published_redis_url, tmp_path / "second", movies_data=changed_source)
    try:
        started = time.monotonic()
        while store.hget(keys.job_progress(job_id), "estado") != b"complete":
            assert replacement.process.poll() is None, replacement.log()
            assert time.monotonic() - started < 60, replacement.log()
            time.sleep(0.05)
        new = store.get(keys.CURRENT_VERSION)
        assert new is not None and new != old
        log = replacement.log()
        assert f"job {job_id} was left by process {killed.process.pid}" in log
        assert "refresh lock of process" in log
        # Retried, not counted out: the second try of two.
        assert "try=2" in log
    finally:
        replacement.stop()
        store.close()
