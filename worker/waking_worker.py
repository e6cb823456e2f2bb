"""arq's worker, woken by pub/sub instead of polling Redis every few milliseconds.

arq polls its queue every `poll_delay`. A short delay makes a recommendation fast but keeps an
idle worker busy (5 ms: about 10% of a core doing nothing); a long one makes every job wait. This
worker polls slowly (`poll_delay`, as a safety net) and looks at the queue at once when the API
announces a job (`shared.jobs.JOB_ENQUEUED_CHANNEL`) or one of its own jobs ends; it announces
every finished job on `shared.jobs.JOB_DONE_CHANNEL` so a waiting request reads the result at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from arq.connections import create_pool, log_redis_info
from arq.worker import Worker
from redis.exceptions import RedisError

from shared import jobs

logger = logging.getLogger(__name__)

_FIRST_RETRY_SECONDS = 0.1
_LAST_RETRY_SECONDS = 5.0


class WakingWorker(Worker):
    """`arq.worker.Worker` whose queue loop waits on an event set by pub/sub or a finished job."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wake = asyncio.Event()

    async def main(self) -> None:
        if self._pool is None:
            self._pool = await create_pool(
                self.redis_settings,
                job_deserializer=self.job_deserializer,
                job_serializer=self.job_serializer,
                default_queue_name=self.queue_name,
                expires_extra_ms=self.expires_extra_ms,
            )
        logger.info("Starting worker for %d functions: %s", len(self.functions), ", ".join(self.functions))
        await log_redis_info(self.pool, logger.info)
        self.ctx["redis"] = self.pool
        if self.on_startup:
            await self.on_startup(self.ctx)
        listener = asyncio.create_task(self._listen(), name="job-announcements")
        try:
            while True:
                self._wake.clear()
                await self._poll_iteration()
                if self.burst and await self._burst_done():
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll_delay_s)
        finally:
            listener.cancel()
            # redis-py can swallow a cancellation that lands as a read times out: bounded wait.
            await asyncio.wait({listener}, timeout=2.0)

    async def _burst_done(self) -> bool:
        # arq's own burst rule: stop once the queue is empty and the jobs started have ended.
        if 0 <= self.max_burst_jobs <= self._jobs_started() or await self.pool.zcard(self.queue_name) == 0:
            await asyncio.gather(*self.tasks.values())
            return True
        return False

    async def run_job(self, job_id: str, score: int) -> None:
        try:
            await super().run_job(job_id, score)
        finally:
            # A slot is free: look at the queue now, not at the next poll.
            self._wake.set()
            with contextlib.suppress(RedisError, OSError):
                await self.pool.publish(jobs.JOB_DONE_CHANNEL, job_id)

    async def _listen(self) -> None:
        """Wake on every announced job; reconnect with backoff when Redis goes away (the slow poll
        goes on meanwhile, and fails and retries on its own)."""
        retry = _FIRST_RETRY_SECONDS
        while True:
            try:
                async with self.pool.pubsub() as pubsub:
                    await pubsub.subscribe(jobs.JOB_ENQUEUED_CHANNEL)
                    retry = _FIRST_RETRY_SECONDS
                    # A job may have been announced while we were not listening.
                    self._wake.set()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self._wake.set()
            except (RedisError, OSError) as exc:
                logger.debug("job announcements lost (%s); listening again", exc.__class__.__name__)
                await asyncio.sleep(retry)
                retry = min(retry * 2, _LAST_RETRY_SECONDS)
