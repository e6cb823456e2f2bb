"""Short leases on the jobs a worker runs, so a killed worker's jobs are run again soon.

arq marks a started job with `arq:in-progress:<id>` for the longest job timeout plus 10 s (a
refresh: half an hour); while the key exists no worker takes the job, so a worker killed mid-job
left it stuck that long. Here the key lasts `LEASE_SECONDS`, the worker renews it every
`RENEW_SECONDS` while the job runs and writes itself into it (host, pid): a worker that dies stops
renewing and its jobs are free within the lease, and a worker starting on the same host frees at
once the jobs of a process that no longer exists.
"""

from __future__ import annotations

import logging

from arq.connections import ArqRedis
from arq.constants import in_progress_key_prefix

from shared.process_owner import free_if_dead, owner_token

logger = logging.getLogger(__name__)

LEASE_SECONDS = 15
RENEW_SECONDS = 5


def lease_key(job_id: str) -> str:
    return in_progress_key_prefix + job_id


class JobLeases:
    """The leases of the jobs one worker process runs."""

    def __init__(self, pool: ArqRedis) -> None:
        self._pool = pool
        self.owner = owner_token()

    async def hold(self, job_id: str) -> None:
        """Write this process into the lease arq has just taken for `job_id`."""
        await self._pool.set(lease_key(job_id), self.owner, px=LEASE_SECONDS * 1000, xx=True)

    async def renew(self, job_ids: list[str]) -> None:
        """Extend the lease of every job still running here. Only a lease that still exists: one
        that just ended with its job stays ended, and one that lapsed while Redis was away may
        have been taken by another worker, which then runs the job too (jobs are idempotent)."""
        async with self._pool.pipeline(transaction=False) as pipe:
            for job_id in job_ids:
                pipe.set(lease_key(job_id), self.owner, px=LEASE_SECONDS * 1000, xx=True)
            await pipe.execute()

    async def free_orphans(self) -> list[str]:
        """Free the jobs whose lease names a process of this host that no longer runs."""
        freed = []
        async for raw in self._pool.scan_iter(match=in_progress_key_prefix + "*", count=500):
            key = raw.decode() if isinstance(raw, bytes) else str(raw)
            owner = await free_if_dead(self._pool, key)
            if owner is not None:
                job_id = key.removeprefix(in_progress_key_prefix)
                logger.warning(
                    "job %s was left by process %s, which is gone: run again", job_id, owner.get("pid")
                )
                freed.append(job_id)
        return freed
