"""Follows the published dataset version (pub/sub plus a once-a-second read) for the answer memo."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from redis.exceptions import RedisError

from shared import keys
from shared.redis_client import async_redis

logger = logging.getLogger(__name__)

POLL_SECONDS = 1.0
_FIRST_RETRY_SECONDS = 0.05
_LAST_RETRY_SECONDS = 1.0


class VersionWatch:
    """Calls `on_version` with the current version: at once on a publish (the publisher announces
    the switch on `keys.VERSION_CHANNEL`), within `poll_seconds` of any other change (a flush, a
    version set by hand), and with None as soon as the connection to Redis is lost."""

    def __init__(
        self, url: str, on_version: Callable[[str | None], None], poll_seconds: float = POLL_SECONDS
    ) -> None:
        self.url = url
        self.on_version = on_version
        self.poll_seconds = poll_seconds
        self._task: asyncio.Task[None] | None = None
        self._connected = False
        self._stopping = False

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="dataset-version-watch")

    async def stop(self) -> None:
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            # redis-py's read timeout can swallow a cancellation that lands as it expires; the
            # flag then ends the loop at its next turn, within one poll interval.
            await asyncio.wait({self._task}, timeout=self.poll_seconds + 1.0)
            if not self._task.done():
                logger.warning("version watch did not stop in time")
            elif not self._task.cancelled() and self._task.exception() is not None:
                logger.warning("version watch ended with an error", exc_info=self._task.exception())
        self.on_version(None)

    async def _run(self) -> None:
        retry = _FIRST_RETRY_SECONDS
        while not self._stopping:
            self._connected = False
            try:
                await self._follow()
            except (RedisError, OSError) as exc:
                self.on_version(None)
                logger.debug(
                    "version watch lost Redis (%s); retrying in %.2f s", exc.__class__.__name__, retry
                )
            except Exception:
                # Never let the watch die: without it nothing is answered from memory.
                self.on_version(None)
                logger.warning("version watch failed; retrying", exc_info=True)
            if self._connected:
                retry = _FIRST_RETRY_SECONDS
            await asyncio.sleep(retry)
            retry = min(retry * 2, _LAST_RETRY_SECONDS)

    async def _follow(self) -> None:
        client = async_redis(self.url, socket_timeout=self.poll_seconds + 2.0, health_check_interval=0)
        try:
            async with client.pubsub(ignore_subscribe_messages=True) as pubsub:
                # Subscribe first, then read: a switch between the two is still seen.
                await pubsub.subscribe(keys.VERSION_CHANNEL)
                while not self._stopping:
                    raw = await client.get(keys.CURRENT_VERSION)
                    self._connected = True
                    self.on_version(raw.decode() if isinstance(raw, bytes) else None)
                    # Any message (or none within the poll interval) means: read the pointer again.
                    await pubsub.get_message(timeout=self.poll_seconds)
        finally:
            await client.aclose()
