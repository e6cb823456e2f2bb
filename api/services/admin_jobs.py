"""Admin jobs: enqueue a dataset refresh, and report any job's state and progress."""

from __future__ import annotations

import logging
from typing import Any

import orjson
import redis.asyncio as aioredis
from arq.connections import ArqRedis
from arq.jobs import Job, JobStatus

from api import messages
from api.errors import NotFoundError
from shared import jobs, keys

logger = logging.getLogger(__name__)

STATES = ("queued", "in_progress", "complete", "failed")
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
    job_id = jobs.refresh_job_id(_text(published), force=force)
    job = await queue.enqueue_job(jobs.REFRESH_DATASET, force=force, _job_id=job_id)
    if job is not None:
        return job_id, "queued"
    state = await job_state(queue, queue, job_id)
    return job_id, state["estado"]


def _text(value: bytes | str | None) -> str | None:
    if value is None:
        return None
    return value.decode(errors="replace") if isinstance(value, bytes) else value


async def job_state(queue: ArqRedis, client: aioredis.Redis, job_id: str) -> dict[str, Any]:
    """`job_id`, `estado`, `progreso` (0-100), `detalle`: arq's view plus the worker's progress hash."""
    job = Job(job_id, queue)
    status = await job.status()
    progress = {
        _text(k): _text(v)
        for k, v in (await client.hgetall(keys.job_progress(job_id))).items()  # type: ignore[misc]
    }
    reported = progress.get("estado")
    if status == JobStatus.not_found and not progress:
        raise JobNotFoundError(job_id)
    extra: dict[str, Any] = {}
    if status == JobStatus.complete:
        estado, outcome = await _outcome(job, reported)
        if outcome is not None:
            extra["resultado"] = outcome
    elif status == JobStatus.in_progress:
        estado = "in_progress"
    elif status in (JobStatus.queued, JobStatus.deferred):
        estado = "queued"
    else:
        estado = reported if reported in STATES else "complete"
    progreso = _percent(progress.get("progreso"))
    if estado == "complete":
        progreso = 100
    detalle = progress.get("detalle") or messages.JOB_STATES[estado]
    return {
        "job_id": job_id,
        "estado": estado,
        "progreso": progreso,
        "detalle": detalle[:_DETAIL_LIMIT],
        **extra,
    }


async def _outcome(job: Job, reported: str | None) -> tuple[str, Any]:
    try:
        info = await job.result_info()
    except Exception:
        # A result arq cannot unpickle here (an exception class of the worker's): trust the worker's hash.
        logger.info("result of job %s is not readable here", job.job_id)
        return (reported if reported in STATES else "failed"), None
    if info is None:
        return (reported if reported in STATES else "complete"), None
    if not info.success:
        return "failed", None
    return "complete", _plain(info.result)


def _plain(value: Any) -> Any:
    """The job's return value when it is plain JSON (a version id, a summary), else nothing."""
    try:
        orjson.dumps(value)
    except TypeError:
        return None
    return value


def _percent(value: str | None) -> int:
    try:
        return max(0, min(100, round(float(value or 0))))
    except (ValueError, OverflowError):
        return 0
