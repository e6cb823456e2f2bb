"""The progress record of a job, as the worker writes it and the API reads it, on a real Redis."""

from __future__ import annotations

import redis.asyncio as aioredis

from shared import keys
from shared.job_progress import JobProgress, read_progress, write_progress
from shared.jobs import JobState


async def test_what_the_worker_writes_the_api_reads_back(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    try:
        assert await read_progress(client, "refresh:x") is None
        await write_progress(
            client, "refresh:x", JobProgress(JobState.IN_PROGRESS, 42, "ETL: leyendo películas.")
        )
        assert await read_progress(client, "refresh:x") == JobProgress(
            JobState.IN_PROGRESS, 42, "ETL: leyendo películas."
        )
        assert 0 < await client.ttl(keys.job_progress("refresh:x")) <= keys.JOB_PROGRESS_TTL_SECONDS
        # A later report replaces the earlier one; percentages stay within 0-100.
        await write_progress(client, "refresh:x", JobProgress(JobState.COMPLETE, 250, "Listo."))
        assert await read_progress(client, "refresh:x") == JobProgress(JobState.COMPLETE, 100, "Listo.")
    finally:
        await client.aclose()


async def test_a_hash_that_is_not_a_progress_record_reads_as_none(redis_url: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    try:
        await client.hset(keys.job_progress("odd"), mapping={"estado": "deferred", "progreso": "x"})
        assert await read_progress(client, "odd") is None
        await client.hset(keys.job_progress("odd"), mapping={"estado": "failed"})
        assert await read_progress(client, "odd") == JobProgress(JobState.FAILED, 0, "")
    finally:
        await client.aclose()


def test_finished_states() -> None:
    assert [state.value for state in JobState if state.finished] == ["complete", "failed"]
    assert JobState.parse("in_progress") is JobState.IN_PROGRESS
    assert JobState.parse("deferred") is None and JobState.parse(None) is None
