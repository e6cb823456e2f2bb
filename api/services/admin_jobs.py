"""Admin jobs: enqueue a dataset refresh, and report any job's state and progress."""

from __future__ import annotations

import logging
from typing import Any

import orjson
import redis.asyncio as aioredis
from arq.connections import ArqRedis
from arq.jobs import Job, JobStatus

from api.errors import NotFoundError
from shared import jobs, keys
from shared.job_progress import JobProgress, read_progress
from shared.jobs import JobState
from shared.wording import errors as messages
from shared.wording.jobs import JOB_ABANDONED, STATE_DETAIL

logger = logging.getLogger(__name__)

_DETAIL_LIMIT = 500


class JobNotFoundError(NotFoundError):
    code = "job_not_found"

    def __init__(self, job_id: str) -> None:
        super().__init__(messages.job_not_found(job_id))


async def enqueue_refresh(queue: ArqRedis, *, force: bool) -> tuple[str, str]:
    """(job id, state): a new refresh job, or the one already queued for the published version.

    The API reads no data file (compose mounts the data into the worker and the ETL only): the job
    refreshes "whatever follows the published version", and the worker compares the source with it.
    """
    published = await queue.get(keys.CURRENT_VERSION)
    version = published.decode() if isinstance(published, bytes) else published
    job_id = jobs.refresh_job_id(version, force=force)
    job = await queue.enqueue_job(jobs.REFRESH_DATASET, force=force, _job_id=job_id)
    if job is not None:
        return job_id, JobState.QUEUED
    state = await job_state(queue, queue, job_id)
    return job_id, state["estado"]


async def job_state(queue: ArqRedis, client: aioredis.Redis, job_id: str) -> dict[str, Any]:
    """`job_id`, `estado`, `progreso` (0-100), `detalle`: arq's view plus the worker's progress record."""
    job = Job(job_id, queue, _deserializer=queue.job_deserializer)
    status = await job.status()
    progress = await read_progress(client, job_id)
    reported = progress.estado if progress is not None else None
    if status == JobStatus.not_found and progress is None:
        raise JobNotFoundError(job_id)
    extra: dict[str, Any] = {}
    if status == JobStatus.complete:
        estado, outcome = await _outcome(job, reported)
        if outcome is not None:
            extra["resultado"] = outcome
    elif status == JobStatus.in_progress:
        estado = JobState.IN_PROGRESS
    elif status in (JobStatus.queued, JobStatus.deferred):
        estado = JobState.QUEUED
    elif reported is not None and not reported.finished:
        # arq no longer knows the job, and its record never said it ended: whatever ran it is
        # gone and nothing will finish it. Failed, not "in progress" for the record's 24 hours.
        estado = JobState.FAILED
        progress = JobProgress(
            JobState.FAILED, progress.progreso if progress is not None else 0, JOB_ABANDONED
        )
    else:
        estado = reported or JobState.COMPLETE
    progreso = 100 if estado == JobState.COMPLETE else progress.progreso if progress is not None else 0
    detalle = (progress.detalle if progress is not None else "") or STATE_DETAIL[estado]
    return {
        "job_id": job_id,
        "estado": estado.value,
        "progreso": progreso,
        "detalle": detalle[:_DETAIL_LIMIT],
        **extra,
    }


async def _outcome(job: Job, reported: JobState | None) -> tuple[JobState, Any]:
    try:
        info = await job.result_info()
    except Exception:
        # A result that is not readable here (not JSON: an older release's pickle): trust the worker's record.
        logger.info("result of job %s is not readable here", job.job_id)
        return reported or JobState.FAILED, None
    if info is None:
        return reported or JobState.COMPLETE, None
    if not info.success:
        return JobState.FAILED, None
    return JobState.COMPLETE, _plain(info.result)


def _plain(value: Any) -> Any:
    """The job's return value when it is plain JSON (a version id, a summary), else nothing."""
    try:
        orjson.dumps(value)
    except TypeError:
        return None
    return value
