"""Recommendations: from the worker's cache, else a deduplicated job awaited for a bounded time."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

from arq.connections import ArqRedis
from arq.constants import result_key_prefix
from arq.jobs import Job, JobStatus
from pydantic import ValidationError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from api.errors import UnavailableError
from api.services.dataset import DatasetReader
from api.services.exclusions import exclusion_digest
from api.services.job_events import JobEvents
from api.services.titles import TitleMatch
from shared import jobs
from shared.jobs import JobState
from shared.schemas import RecommendationResult
from shared.wording import errors as messages

logger = logging.getLogger(__name__)

# The worker announces each finished job (JobEvents); this slow check is only the safety net for
# an announcement lost while the subscription reconnects.
CHECK_SECONDS = 0.5
# A recommendation answers within its wait plus this, whatever Redis does: a server that stalls
# mid-request (stopped, not dead) would otherwise add one command timeout per call still to make.
OVERRUN_SECONDS = 1.5


@dataclass(frozen=True)
class Pending:
    """The worker has not finished within the wait: the client asks again later."""

    job_id: str
    estado: JobState


class NoWorkerError(UnavailableError):
    code = "worker_unavailable"

    def __init__(self) -> None:
        super().__init__(messages.NO_WORKER, headers={"Retry-After": "30"})


async def worker_alive(queue: ArqRedis) -> bool:
    """Whether a worker's heartbeat is fresh (see shared.jobs.WORKER_HEARTBEAT)."""
    return bool(await queue.exists(jobs.WORKER_HEARTBEAT))


async def _enqueue(queue: ArqRedis, job_id: str, args: tuple[object, ...]) -> Job:
    """The job computing this answer: a new one, the one already queued or running, or a new one
    in place of one that failed (its kept result would otherwise refuse the id for an hour)."""
    job = await queue.enqueue_job(jobs.RECOMMEND, *args, _job_id=job_id)
    if job is not None:
        return job
    existing = Job(job_id, queue, _deserializer=queue.job_deserializer)
    info = await existing.result_info()
    if info is None or info.success:
        return existing
    logger.info("recommendation job %s failed before; asking the worker again", job_id)
    await queue.delete(result_key_prefix + job_id)
    return await queue.enqueue_job(jobs.RECOMMEND, *args, _job_id=job_id) or existing


class RecommendationFailedError(UnavailableError):
    code = "recommendation_failed"

    def __init__(self) -> None:
        super().__init__(messages.RECOMMENDATION_FAILED, headers={"Retry-After": "30"})


async def _result(job: Job, done: asyncio.Event, wait_seconds: float) -> Any:
    """The job's result as soon as the worker announces it (TimeoutError after `wait_seconds`)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_seconds
    while True:
        info = await job.result_info()
        if info is not None:
            if info.success:
                return info.result
            logger.warning("recommendation job %s failed: %s", job.job_id, type(info.result).__name__)
            raise RecommendationFailedError() from (
                info.result if isinstance(info.result, BaseException) else None
            )
        remaining = deadline - loop.time()
        if remaining <= 0:
            raise TimeoutError
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), min(remaining, CHECK_SECONDS))
        done.clear()


def _leaves_out(answer: RecommendationResult, exclude: frozenset[int]) -> bool:
    return not any(film.id in exclude for film in answer.detalle)


async def recommend(
    reader: DatasetReader,
    queue: ArqRedis,
    events: JobEvents,
    match: TitleMatch,
    wait_seconds: float,
    *,
    exclude: frozenset[int] = frozenset(),
) -> RecommendationResult | Pending:
    """`_recommend`, bounded: past the wait and OVERRUN_SECONDS, Redis is deemed unavailable (503)."""
    try:
        async with asyncio.timeout(wait_seconds + OVERRUN_SECONDS):
            return await _recommend(reader, queue, events, match, wait_seconds, exclude=exclude)
    except TimeoutError as exc:
        raise RedisTimeoutError("Redis did not answer within the recommendation's time") from exc


async def _recommend(
    reader: DatasetReader,
    queue: ArqRedis,
    events: JobEvents,
    match: TitleMatch,
    wait_seconds: float,
    *,
    exclude: frozenset[int] = frozenset(),
) -> RecommendationResult | Pending:
    """The worker's answer for the matched movie, or Pending with the job to poll.

    Read in the version the title was resolved in, so the answer stays within one version. With
    `exclude`, the cached five serve when none of them is excluded; otherwise the worker ranks
    again without those films (a job of its own, not cached: it answers one user's list).
    """
    version, movie_id = match.version, match.movie["id"]
    hit = await reader.recommendation(version, movie_id)
    if hit is not None and _leaves_out(hit, exclude):
        return hit
    args: tuple[object, ...] = (version, movie_id)
    if exclude:
        job_id = jobs.recommend_excluding_job_id(version, movie_id, exclusion_digest(exclude))
        args = (version, movie_id, sorted(exclude))
    else:
        job_id = jobs.recommend_job_id(version, movie_id)
    try:
        with events.expect(job_id) as done:
            # Someone asked already: share that computation instead of starting another.
            job = await _enqueue(queue, job_id, args)
            await queue.publish(jobs.JOB_ENQUEUED_CHANNEL, job_id)
            result = await _result(job, done, wait_seconds)
    except TimeoutError:
        # A job that ran without keeping its result (or whose result expired): the cache answers.
        hit = await reader.recommendation(version, movie_id)
        if hit is not None and _leaves_out(hit, exclude):
            return hit
        status = await job.status()
        if not await worker_alive(queue):
            # Nobody will compute it: say so instead of a 202 the client would retry for ever.
            raise NoWorkerError() from None
        return Pending(job_id, JobState.IN_PROGRESS if status == JobStatus.in_progress else JobState.QUEUED)
    except (asyncio.CancelledError, RecommendationFailedError, RedisError, ConnectionError):
        # Redis away is said as such (redis_unavailable), not as a failed computation.
        raise
    except Exception as exc:
        logger.warning("recommendation job %s failed: %s", job_id, exc.__class__.__name__)
        raise RecommendationFailedError() from exc
    try:
        return RecommendationResult.model_validate(result)
    except ValidationError as exc:
        logger.warning("recommendation job %s returned %s", job_id, type(result).__name__)
        raise RecommendationFailedError() from exc
