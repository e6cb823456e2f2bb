"""Fixtures for the gateway: the real app over a real Redis with the sample published by the ETL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from starlette.types import Receive, Scope, Send

from api.main import create_app
from etl.pipeline import Build
from etl.publish import publish
from shared import keys
from shared.embedded_redis import EmbeddedRedis, free_port
from shared.settings import ApiSettings

ADMIN_TOKEN = "a-real-secret-for-tests-7f3c"


@asynccontextmanager
async def serve_in_process(settings: ApiSettings) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan running, called through httpx like an ASGI server would call it."""
    app = create_app(settings)
    async with app.router.lifespan_context(app) as state:

        async def server(scope: Scope, receive: Receive, send: Send) -> None:
            # What uvicorn does with the lifespan state: a shallow copy per request.
            scope["state"] = dict(state or {})
            await app(scope, receive, send)

        transport = httpx.ASGITransport(app=server)
        async with httpx.AsyncClient(transport=transport, base_url="http://cartelera.test") as client:
            yield client


def settings_for(url: str, **overrides: Any) -> ApiSettings:
    values: dict[str, Any] = {"redis_url": url, "admin_token": ADMIN_TOKEN, "recommend_wait_seconds": 0.5}
    values.update(overrides)
    return ApiSettings(**values)


@pytest.fixture
async def api(published_redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the gateway serving the sample, as published by the real ETL."""
    async with serve_in_process(settings_for(published_redis_url)) as client:
        yield client


@pytest.fixture
def current_version(published_redis_url: str) -> str:
    client = redis.Redis.from_url(published_redis_url)
    try:
        value = client.get(keys.CURRENT_VERSION)
    finally:
        client.close()
    assert isinstance(value, bytes)
    return value.decode()


@pytest.fixture
def sync_redis(published_redis_url: str) -> Callable[[], redis.Redis]:
    def factory() -> redis.Redis:
        return redis.Redis.from_url(published_redis_url)

    return factory


@pytest.fixture
def restartable_redis(tmp_path: Path, sample_build: Build) -> Iterator[EmbeddedRedis]:
    """A Redis server of the test's own, with the sample published, that the test may stop and start.

    Persistent, so a restart loads what the first run saved (like a real Redis restart).
    """
    server = EmbeddedRedis(tmp_path / "redis", persistent=True, port=free_port())
    url = server.start()
    try:
        client = redis.Redis.from_url(url)
        publish(client, sample_build)
        client.close()
        yield server
    finally:
        server.stop()
