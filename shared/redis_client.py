"""Redis and arq connection factories, so every service connects the same way."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import redis.asyncio as aioredis
from arq.connections import ArqRedis, RedisSettings

from shared.job_codec import ARQ_CODEC
from shared.jobs import QUEUE_NAME

# How long a worker's command may wait for its reply. arq sets no read timeout, and a Redis that
# stops answering without closing its sockets (SIGSTOP, a lost network) would hang it for ever.
WORKER_COMMAND_TIMEOUT = 5.0

# Connections of one client (one process); pub/sub subscriptions hold one each for their lifetime.
MAX_CONNECTIONS = 64


def async_redis(url: str, *, pool_timeout: float = 5.0, **kwargs: Any) -> aioredis.Redis:
    """An asyncio client with short timeouts: a dead Redis must fail fast, never hang a request.
    `pool_timeout` bounds the wait for a free connection."""
    options: dict[str, Any] = {
        "socket_connect_timeout": 2.0,
        "socket_timeout": 5.0,
        "health_check_interval": 30,
        "retry_on_timeout": False,
    }
    options.update(kwargs)
    # Bounded: a burst of requests waits up to `timeout` for a free connection instead of opening
    # one socket each (which ends in "max number of clients reached" on the server).
    pool = aioredis.BlockingConnectionPool.from_url(
        url, max_connections=MAX_CONNECTIONS, timeout=pool_timeout, **options
    )
    client: aioredis.Redis = aioredis.Redis.from_pool(pool)
    return client


def arq_redis_settings(url: str) -> RedisSettings:
    """arq's settings for the same server; few retries so an outage surfaces as a clear error."""
    settings = RedisSettings.from_dsn(url)
    # arq passes the URL's user and password on still percent-encoded; redis-py decodes them.
    if settings.username:
        settings.username = unquote(settings.username)
    if settings.password:
        settings.password = unquote(settings.password)
    settings.conn_timeout = 2
    settings.conn_retries = 1
    settings.conn_retry_delay = 0
    return settings


def arq_pool(settings: RedisSettings, *, command_timeout: float = WORKER_COMMAND_TIMEOUT) -> ArqRedis:
    """arq's client for `settings`, as `arq.create_pool` builds it but with a read timeout, and
    without its connection attempt: the caller finds out whether Redis answers, and retries."""
    return ArqRedis(
        host=str(settings.host),
        port=settings.port,
        unix_socket_path=settings.unix_socket_path,
        db=settings.database,
        username=settings.username,
        password=settings.password,
        socket_connect_timeout=settings.conn_timeout,
        socket_timeout=command_timeout,
        ssl=settings.ssl,
        ssl_keyfile=settings.ssl_keyfile,
        ssl_certfile=settings.ssl_certfile,
        ssl_cert_reqs=settings.ssl_cert_reqs,
        ssl_ca_certs=settings.ssl_ca_certs,
        ssl_ca_data=settings.ssl_ca_data,
        ssl_check_hostname=settings.ssl_check_hostname,
        default_queue_name=QUEUE_NAME,
        **ARQ_CODEC,
    )
