"""What a worker process holds between jobs (settings, Redis client, executor, model cache), kept in ctx."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aioredis

from shared.redis_client import async_redis
from shared.settings import WorkerServiceSettings
from worker.models import ModelCache

logger = logging.getLogger(__name__)

STATE_KEY = "cartelera"
# Two versions at most: the current one, and the previous one during the switch's grace period.
MODEL_CACHE_VERSIONS = 2
CPU_THREADS = 2


@dataclass
class WorkerState:
    settings: WorkerServiceSettings
    redis_url: str
    client: aioredis.Redis
    executor: ThreadPoolExecutor
    models: ModelCache


def state_of(ctx: dict[str, Any]) -> WorkerState:
    state = ctx.get(STATE_KEY)
    if not isinstance(state, WorkerState):
        raise RuntimeError("the worker was started without its on_startup hook")
    return state


def _url_of(pool: aioredis.Redis) -> str:
    """The URL of the server arq is connected to, so the ETL child publishes to the same one."""
    options = pool.connection_pool.connection_kwargs
    auth = ""
    if options.get("password"):
        auth = f"{options.get('username') or ''}:{options['password']}@"
    scheme = "rediss" if pool.connection_pool.connection_class.__name__ == "SSLConnection" else "redis"
    host, port, db = options.get("host", "127.0.0.1"), options.get("port", 6379), options.get("db", 0)
    return f"{scheme}://{auth}{host}:{port}/{db}"


async def startup(ctx: dict[str, Any]) -> None:
    """arq's on_startup: open the clients and the executor every job shares."""
    settings = ctx.get("settings")
    if not isinstance(settings, WorkerServiceSettings):
        raise RuntimeError("the worker's ctx carries no settings (see worker.settings.worker_options)")
    # The `arq` command configured its own handler after ours; its lines go through ours instead.
    logging.getLogger("arq").handlers[:] = []
    redis_url = str(settings.redis_url) if settings.redis_url else _url_of(ctx["redis"])
    client = async_redis(redis_url)
    executor = ThreadPoolExecutor(max_workers=CPU_THREADS, thread_name_prefix="cartelera-cpu")
    ctx[STATE_KEY] = WorkerState(
        settings=settings,
        redis_url=redis_url,
        client=client,
        executor=executor,
        models=ModelCache(client, executor, capacity=MODEL_CACHE_VERSIONS),
    )
    logger.info("worker ready (data source %s)", settings.movies_data)


async def shutdown(ctx: dict[str, Any]) -> None:
    """arq's on_shutdown: close what on_startup opened."""
    state = ctx.pop(STATE_KEY, None)
    if not isinstance(state, WorkerState):
        return
    state.executor.shutdown(wait=False, cancel_futures=True)
    await state.client.aclose()
    logger.info("worker stopped")
