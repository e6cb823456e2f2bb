"""The per-worker model cache: one load per version, at most two versions in memory, clear errors."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis.asyncio as aioredis

from etl.pipeline import Build
from shared import keys
from worker.models import ModelCache, UnknownVersionError


async def test_lru_of_versions_and_shared_loads(redis_url: str, sample_build: Build) -> None:
    client = aioredis.Redis.from_url(redis_url)
    fields = sample_build.model.to_redis_fields()
    for version in ("v1", "v2", "v3"):
        await client.hset(keys.model(version), mapping=fields)  # type: ignore[misc]
    with ThreadPoolExecutor(2) as executor:
        cache = ModelCache(client, executor, capacity=2)
        # Ten concurrent requests for a version not yet loaded share one load.
        loaded = await asyncio.gather(*(cache.get("v1") for _ in range(10)))
        assert all(model is loaded[0] for model in loaded)
        assert loaded[0].top_k(862) == sample_build.model.top_k(862)
        await cache.get("v2")
        await cache.get("v1")  # v1 is now the most recently used
        await cache.get("v3")
        assert cache.versions() == ["v1", "v3"]  # v2 was evicted, never more than two
        assert await cache.get("v1") is loaded[0]
        with pytest.raises(UnknownVersionError, match="no existe o ya expiró"):
            await cache.get("missing")
        assert "missing" not in cache.versions()
    await client.aclose()
