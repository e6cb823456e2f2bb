"""Redis and arq connection factories, so every service connects the same way."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import redis.asyncio as aioredis
from arq.connections import RedisSettings

# Connections of one client (one process); pub/sub subscriptions hold one each for their lifetime.
MAX_CONNECTIONS = 64


def async_redis(url: str, **kwargs: Any) -> aioredis.Redis:
    """An asyncio client with short timeouts: a dead Redis must fail fast, never hang a request."""
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
        url, max_connections=MAX_CONNECTIONS, timeout=5, **options
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
