"""Recommendations: from the worker's cache, else a deduplicated job awaited for a bounded time."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from arq.connections import ArqRedis
from arq.jobs import Job, JobStatus, ResultNotFound
from pydantic import ValidationError

from api.errors import UnavailableError
from api.services.dataset import DatasetReader
from api.services.exclusions import exclusion_digest
from api.services.titles import TitleMatch
from shared import jobs
from shared.jobs import JobState
from shared.schemas import RecommendationResult
from shared.wording import errors as messages

logger = logging.getLogger(__name__)

# How often the API checks whether the worker has finished; small because most jobs take ms.
POLL_SECONDS = 0.005


@dataclass(frozen=True)
class Pending:
    """The worker has not finished within the wait: the client asks again later."""

    job_id: str
    estado: JobState


class RecommendationFailedError(UnavailableError):
    code = "recommendation_failed"

    def __init__(self) -> None:
        super().__init__(messages.RECOMMENDATION_FAILED, headers={"Retry-After": "30"})


def _leaves_out(answer: RecommendationResult, exclude: frozenset[int]) -> bool:
    return not any(film.id in exclude for film in answer.detalle)


async def recommend(
    reader: DatasetReader,
    queue: ArqRedis,
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
    if exclude:
        job_id = jobs.recommend_excluding_job_id(version, movie_id, exclusion_digest(exclude))
        job = await queue.enqueue_job(jobs.RECOMMEND, version, movie_id, sorted(exclude), _job_id=job_id)
    else:
        job_id = jobs.recommend_job_id(version, movie_id)
        job = await queue.enqueue_job(jobs.RECOMMEND, version, movie_id, _job_id=job_id)
    if job is None:
        # Someone asked already: share that computation instead of starting another.
        job = Job(job_id, queue)
    try:
        result = await job.result(timeout=wait_seconds, poll_delay=POLL_SECONDS)
    except TimeoutError:
        status = await job.status()
        return Pending(job_id, JobState.IN_PROGRESS if status == JobStatus.in_progress else JobState.QUEUED)
    except ResultNotFound:
        # The job ran without keeping its result (or it expired): its cache entry is the answer.
        hit = await reader.recommendation(version, movie_id)
        if hit is not None and _leaves_out(hit, exclude):
            return hit
        return Pending(job_id, JobState.QUEUED)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        logger.warning("recommendation job %s failed: %s", job_id, exc.__class__.__name__)
        raise RecommendationFailedError() from exc
    try:
        return RecommendationResult.model_validate(result)
    except ValidationError as exc:
        logger.warning("recommendation job %s returned %s", job_id, type(result).__name__)
        raise RecommendationFailedError() from exc
