"""arq's worker, woken by pub/sub instead of polling, and outliving any Redis outage.

arq polls its queue every `poll_delay`. A short delay makes a recommendation fast but keeps an
idle worker busy (5 ms: about 10% of a core doing nothing); a long one makes every job wait. This
worker polls slowly (`poll_delay`, as a safety net) and looks at the queue at once when the API
announces a job (`shared.jobs.JOB_ENQUEUED_CHANNEL`) or one of its own jobs ends; it announces
every finished job on `shared.jobs.JOB_DONE_CHANNEL` so a waiting request reads the result at once.

arq's worker ends on the first failed Redis command. This one waits and retries with backoff
instead (Redis being away is not a crash: the launcher's restart budget is for crashes), gives back
the job slot of a claim that failed, and holds short leases on its jobs (`worker.job_leases`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from arq.connections import RedisSettings, log_redis_info
from arq.worker import Worker
from redis.exceptions import RedisError

from shared import jobs
from shared.backoff import Backoff
from shared.redis_client import arq_pool
from worker.job_leases import LEASE_SECONDS, RENEW_SECONDS, JobLeases

logger = logging.getLogger(__name__)

# Redis away: the next attempt after 0.1 s, doubling up to this cap. A refused connection costs
# Redis nothing, and the worker must be back within 2 s of Redis (the heartbeat the API reads).
RETRY_CAP_SECONDS = 1.0
# Exit code of a Redis failure nothing here foresaw (EX_TEMPFAIL): the launcher restarts the worker
# without counting it as a crash.
REDIS_LOST_EXIT = 75

_REDIS_DOWN = (RedisError, OSError)


class WakingWorker(Worker):
    """`arq.worker.Worker` whose queue loop waits on an event set by pub/sub or a finished job, and
    retries while Redis is away instead of ending."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wake = asyncio.Event()
        # arq's claim lasts the longest job timeout; ours is a lease renewed while the job runs.
        self.in_progress_timeout_s = LEASE_SECONDS
        self._running: set[str] = set()
        self._leases: JobLeases | None = None

    async def main(self) -> None:
        if self._pool is None:
            self._pool = arq_pool(self.redis_settings or RedisSettings())
        logger.info("Starting worker for %d functions: %s", len(self.functions), ", ".join(self.functions))
        await self._until_redis_answers(self._start)
        leases = JobLeases(self.pool)
        self._leases = leases
        with contextlib.suppress(*_REDIS_DOWN):
            await leases.free_orphans()
        listener = asyncio.create_task(self._listen(), name="job-announcements")
        keeper = asyncio.create_task(self._keep_leases(leases), name="job-leases")
        try:
            while True:
                self._wake.clear()
                if await self._until_redis_answers(self._poll_once):
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll_delay_s)
        finally:
            for task in (listener, keeper):
                task.cancel()
            # redis-py can swallow a cancellation that lands as a read times out: bounded wait.
            await asyncio.wait({listener, keeper}, timeout=2.0)

    async def _start(self) -> bool:
        await log_redis_info(self.pool, logger.info)
        self.ctx["redis"] = self.pool
        if self.on_startup:
            await self.on_startup(self.ctx)
        return False

    async def _poll_once(self) -> bool:
        """One look at the queue; True when a burst worker is done."""
        await self._poll_iteration()
        return self.burst and await self._burst_done()

    async def _until_redis_answers(self, step: Callable[[], Awaitable[bool]]) -> bool:
        """Run `step` until it gets through, waiting with backoff while Redis is away."""
        backoff = Backoff(last=RETRY_CAP_SECONDS)
        lost_at: float | None = None
        loop = asyncio.get_running_loop()
        while True:
            try:
                done: bool = await step()
            except _REDIS_DOWN as exc:
                if lost_at is None:
                    lost_at = loop.time()
                    logger.warning(
                        "Redis does not answer (%s); retrying until it does", exc.__class__.__name__
                    )
                pause = backoff.next()
                # A job announcement means Redis is back: try again at once.
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), pause)
                continue
            if lost_at is not None:
                logger.info("Redis answers again, after %.1f s", loop.time() - lost_at)
            return done

    async def _burst_done(self) -> bool:
        # arq's own burst rule: stop once the queue is empty and the jobs started have ended.
        if 0 <= self.max_burst_jobs <= self._jobs_started() or await self.pool.zcard(self.queue_name) == 0:
            await asyncio.gather(*self.tasks.values())
            return True
        return False

    async def start_jobs(self, job_ids: list[bytes]) -> None:
        for raw in job_ids:
            if raw.decode() in self._running:
                # Running here already: its lease lapsed while Redis was away.
                continue
            try:
                await super().start_jobs([raw])
            except _REDIS_DOWN:
                # arq took a slot (counter and semaphore) before its claim failed, and gives it
                # back only when a claim is refused: without this, each outage leaks slots until
                # the worker takes no job at all.
                self.job_counter -= 1
                self.sem.release()
                raise

    async def run_job(self, job_id: str, score: int) -> None:
        self._running.add(job_id)
        try:
            if self._leases is not None:
                with contextlib.suppress(*_REDIS_DOWN):
                    await self._leases.hold(job_id)
            await super().run_job(job_id, score)
        except _REDIS_DOWN as exc:
            # The job stays queued; its lease lapses and a worker runs it again.
            logger.warning(
                "job %s: Redis was lost (%s); it runs again when Redis is back",
                job_id,
                exc.__class__.__name__,
            )
        finally:
            self._running.discard(job_id)
            # A slot is free: look at the queue now, not at the next poll.
            self._wake.set()
            with contextlib.suppress(*_REDIS_DOWN):
                await self.pool.publish(jobs.JOB_DONE_CHANNEL, job_id)

    async def record_health(self) -> None:
        """arq's heartbeat, written twice per `health_check_interval` instead of once. Its key lives
        the interval plus one second: written once per interval, a loop a second late (a loaded
        machine) or a worker restarted after a kill leaves a gap in which the API finds no live
        worker and answers 503. Written twice, the key always has half an interval to spare."""
        now = time.time()
        if now - self._last_health_check < self.health_check_interval / 2:
            return
        self._last_health_check = now
        queued = await self.pool.zcard(self.queue_name)
        ongoing = sum(not task.done() for task in self.tasks.values())
        info = (
            f"{datetime.now():%b-%d %H:%M:%S} j_complete={self.jobs_complete} j_failed={self.jobs_failed} "
            f"j_retried={self.jobs_retried} j_ongoing={ongoing} queued={queued}"
        )
        await self.pool.psetex(
            self.health_check_key, int((self.health_check_interval + 1) * 1000), info.encode()
        )

    async def _keep_leases(self, leases: JobLeases) -> None:
        while True:
            await asyncio.sleep(RENEW_SECONDS)
            if self._running:
                with contextlib.suppress(*_REDIS_DOWN):
                    await leases.renew(sorted(self._running))

    async def _listen(self) -> None:
        """Wake on every announced job; reconnect with backoff when Redis goes away (the slow poll
        goes on meanwhile, and fails and retries on its own)."""
        backoff = Backoff(last=RETRY_CAP_SECONDS)
        while True:
            try:
                async with self.pool.pubsub() as pubsub:
                    await pubsub.subscribe(jobs.JOB_ENQUEUED_CHANNEL)
                    backoff.reset()
                    # A job may have been announced while we were not listening.
                    self._wake.set()
                    while True:
                        # A bounded wait: the connection's read timeout is for commands, not for
                        # a quiet channel.
                        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                        if message is not None:
                            self._wake.set()
            except _REDIS_DOWN as exc:
                logger.debug("job announcements lost (%s); listening again", exc.__class__.__name__)
                await asyncio.sleep(backoff.next())

    async def close(self) -> None:
        """arq's close, except that Redis being away does not turn a clean stop into a crash."""
        if not self._handle_signals:
            self.handle_sig(signal.SIGUSR1)
        if not self._pool:
            return
        await asyncio.gather(*self.tasks.values(), return_exceptions=True)
        with contextlib.suppress(*_REDIS_DOWN):
            await self.pool.delete(self.health_check_key)
        if self.on_shutdown:
            await self.on_shutdown(self.ctx)
        await self.pool.aclose(close_connection_pool=True)
        self._pool = None
