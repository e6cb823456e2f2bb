"""Finished jobs as the worker announces them (pub/sub), so a waiting request wakes at once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from shared import jobs

logger = logging.getLogger(__name__)

_FIRST_RETRY_SECONDS = 0.1
_LAST_RETRY_SECONDS = 5.0


class JobEvents:
    """One subscription per API process; requests wait on an asyncio.Event per job id. While the
    subscription is down, waiters fall back to their slow check (see services.recommendations)."""

    def __init__(self, client: aioredis.Redis) -> None:
        self.client = client
        self._waiting: dict[str, set[asyncio.Event]] = {}
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="job-announcements")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            # redis-py can swallow a cancellation that lands as a read times out: never wait for
            # the listener for ever (it holds nothing a request needs).
            await asyncio.wait({self._task}, timeout=2.0)

    @contextlib.contextmanager
    def expect(self, job_id: str) -> Iterator[asyncio.Event]:
        """An event set when the worker announces `job_id` finished (register before enqueueing)."""
        event = asyncio.Event()
        self._waiting.setdefault(job_id, set()).add(event)
        try:
            yield event
        finally:
            waiters = self._waiting.get(job_id)
            if waiters is not None:
                waiters.discard(event)
                if not waiters:
                    del self._waiting[job_id]

    async def _run(self) -> None:
        retry = _FIRST_RETRY_SECONDS
        while True:
            try:
                async with self.client.pubsub() as pubsub:
                    await pubsub.subscribe(jobs.JOB_DONE_CHANNEL)
                    retry = _FIRST_RETRY_SECONDS
                    while True:
                        # A bounded wait: the client's read timeout is for commands, and a quiet
                        # channel is no failure (listen() would reconnect after each one).
                        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                        if message is None or message.get("type") != "message":
                            continue
                        data = message.get("data")
                        job_id = data.decode() if isinstance(data, bytes) else str(data)
                        for event in self._waiting.get(job_id, ()):
                            event.set()
            except (RedisError, OSError) as exc:
                logger.debug("job announcements lost (%s); listening again", exc.__class__.__name__)
                await asyncio.sleep(retry)
                retry = min(retry * 2, _LAST_RETRY_SECONDS)
