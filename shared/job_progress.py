"""The progress record of an admin job: written by the worker, read by `GET /admin/jobs/{job_id}`."""

from __future__ import annotations

from dataclasses import dataclass

import redis.asyncio as aioredis

from shared import keys
from shared.jobs import JobState


@dataclass(frozen=True)
class JobProgress:
    """Where a job is: its state, a percentage and the Spanish sentence an admin reads."""

    estado: JobState
    progreso: int
    detalle: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "progreso", max(0, min(100, self.progreso)))


async def write_progress(client: aioredis.Redis, job_id: str, progress: JobProgress) -> None:
    """Replace the job's record; it expires with `keys.JOB_PROGRESS_TTL_SECONDS`."""
    key = keys.job_progress(job_id)
    fields = {
        "estado": progress.estado.value,
        "progreso": str(progress.progreso),
        "detalle": progress.detalle,
    }
    async with client.pipeline(transaction=True) as pipe:
        pipe.hset(key, mapping=fields)
        pipe.expire(key, keys.JOB_PROGRESS_TTL_SECONDS)
        await pipe.execute()


async def read_progress(client: aioredis.Redis, job_id: str) -> JobProgress | None:
    """The job's record, or None when there is none (never reported, expired, or not one of ours)."""
    raw = await client.hgetall(keys.job_progress(job_id))  # type: ignore[misc]
    fields = {_text(k): _text(v) for k, v in raw.items()}
    estado = JobState.parse(fields.get("estado"))
    if estado is None:
        return None
    return JobProgress(estado, _percent(fields.get("progreso")), fields.get("detalle", ""))


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else value


def _percent(value: str | None) -> int:
    try:
        return round(float(value or 0))
    except (ValueError, OverflowError):
        return 0
