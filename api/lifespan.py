"""The gateway's long-lived clients, opened when the app starts and closed when it stops."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import redis.asyncio as aioredis
from arq.connections import ArqRedis

from api.answer_memo import AnswerMemo
from api.observability import Metrics
from api.services.dataset import DatasetReader
from api.services.job_events import JobEvents
from api.services.pipelined_redis import PipelinedRedis
from api.services.suggestions import CatalogCache
from api.services.version_watch import VersionWatch
from shared.job_codec import ARQ_CODEC
from shared.jobs import QUEUE_NAME
from shared.redis_client import async_redis
from shared.settings import ApiSettings

logger = logging.getLogger(__name__)

# Redis away or stalled (a stopped server accepts connections and answers nothing): every request
# must still get its 503 within 5 s. A connection is refused or made within a second; a command
# fails after COMMAND_SECONDS (the lookups' watchdog looks once a second, so up to one more). The
# wait for a free connection of the admin, job and list client stays at 5 s: 200 people changing
# their lists at once wait more than 3 s for one on a loaded machine; a stall adds to it only when
# more than the pool's 64 connections are held by stalled commands at once.
CONNECT_SECONDS = 1.0
COMMAND_SECONDS = 2.0
POOL_SECONDS = 5.0


@dataclass(frozen=True)
class Resources:
    """What every request may use; yielded as lifespan state, so nothing lives in module globals."""

    settings: ApiSettings
    redis: aioredis.Redis
    queue: ArqRedis
    dataset: DatasetReader
    catalogs: CatalogCache
    metrics: Metrics
    job_events: JobEvents


@asynccontextmanager
async def open_resources(
    settings: ApiSettings, metrics: Metrics, memo: AnswerMemo | None = None
) -> AsyncIterator[Resources]:
    """Connects lazily: the app starts even while Redis is down, answers 503, and recovers by itself.
    The Redis at `settings.redis_url` belongs to whoever started it: nothing here starts or stops one.

    With a `memo`, it sits behind the dataset reader: a version watch keeps it on the current
    dataset version, and the reader moves it on as soon as a lookup reads a newer one.
    """
    url = settings.redis_address()
    client = async_redis(
        url, socket_connect_timeout=CONNECT_SECONDS, socket_timeout=COMMAND_SECONDS, pool_timeout=POOL_SECONDS
    )
    # arq shares the client's connection pool; no ping at start-up (arq's create_pool would fail).
    queue = ArqRedis(pool_or_conn=client.connection_pool, default_queue_name=QUEUE_NAME, **ARQ_CODEC)
    # The dataset is read where REDIS_READ_URL points (a replica), jobs and admin work stay on the
    # primary. A replica applies the primary's writes in order, and the publisher writes the version
    # pointer last: a replica that shows a pointer holds every key of that version.
    read_url = settings.read_address()
    lookups = PipelinedRedis(read_url, connect_timeout=CONNECT_SECONDS, command_timeout=COMMAND_SECONDS)
    reader = DatasetReader(lookups, on_version=memo.advance if memo is not None else None)
    catalogs = CatalogCache(reader)
    job_events = JobEvents(client)
    job_events.start()
    warming = asyncio.create_task(catalogs.warm())
    # On the replica too: it relays the switch announcement after the pointer it follows, so the
    # memo never switches to a version the replica does not hold yet.
    watch = VersionWatch(read_url, memo.switch) if memo is not None else None
    if watch is not None:
        watch.start()
    try:
        yield Resources(settings, client, queue, reader, catalogs, metrics, job_events)
    finally:
        await job_events.stop()
        if watch is not None:
            await watch.stop()
        warming.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await warming
        await lookups.aclose()
        await client.aclose(close_connection_pool=True)
