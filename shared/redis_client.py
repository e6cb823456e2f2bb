"""Redis and arq connection factories, so every service connects the same way."""

from __future__ import annotations

from typing import Any

import redis.asyncio as aioredis
from arq.connections import RedisSettings


def async_redis(url: str, **kwargs: Any) -> aioredis.Redis:
    """An asyncio client with short timeouts: a dead Redis must fail fast, never hang a request."""
    options: dict[str, Any] = {
        "socket_connect_timeout": 2.0,
        "socket_timeout": 5.0,
        "health_check_interval": 30,
        "retry_on_timeout": False,
    }
    options.update(kwargs)
    client: aioredis.Redis = aioredis.Redis.from_url(url, **options)
    return client


def arq_redis_settings(url: str) -> RedisSettings:
    """arq's settings for the same server; few retries so an outage surfaces as a clear error."""
    settings = RedisSettings.from_dsn(url)
    settings.conn_timeout = 2
    settings.conn_retries = 1
    settings.conn_retry_delay = 0
    return settings
