"""The worker's side of a job's progress record: write it (`shared.job_progress`) and log it."""

from __future__ import annotations

import logging

import redis.asyncio as aioredis

from shared.job_progress import JobProgress, write_progress
from shared.jobs import JobState

logger = logging.getLogger(__name__)


async def report(client: aioredis.Redis, job_id: str, estado: JobState, progreso: int, detalle: str) -> None:
    """Record where a job is; `detalle` is the Spanish sentence an admin reads."""
    await write_progress(client, job_id, JobProgress(estado, progreso, detalle))
    logger.info("job %s: %s %d%% %s", job_id, estado.value, progreso, detalle)
