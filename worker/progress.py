"""Progress of admin jobs in Redis (`keys.job_progress`), read by `GET /admin/jobs/{job_id}`."""

from __future__ import annotations

import logging

import redis.asyncio as aioredis

from shared import keys

logger = logging.getLogger(__name__)

QUEUED = "queued"
IN_PROGRESS = "in_progress"
COMPLETE = "complete"
FAILED = "failed"


async def report(client: aioredis.Redis, job_id: str, estado: str, progreso: int, detalle: str) -> None:
    """Record where a job is; `detalle` is the Spanish sentence an admin reads."""
    key = keys.job_progress(job_id)
    async with client.pipeline(transaction=True) as pipe:
        pipe.hset(
            key, mapping={"estado": estado, "progreso": str(max(0, min(100, progreso))), "detalle": detalle}
        )
        pipe.expire(key, keys.JOB_PROGRESS_TTL_SECONDS)
        await pipe.execute()
    logger.info("job %s: %s %d%% %s", job_id, estado, progreso, detalle)


async def read(client: aioredis.Redis, job_id: str) -> dict[str, str]:
    raw = await client.hgetall(keys.job_progress(job_id))  # type: ignore[misc]
    return {
        (k.decode() if isinstance(k, bytes) else str(k)): (v.decode() if isinstance(v, bytes) else str(v))
        for k, v in raw.items()
    }
