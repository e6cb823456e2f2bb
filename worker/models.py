"""Each dataset version's fitted recommender, loaded from Redis once per worker and kept in a small LRU."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from concurrent.futures import Executor

import redis.asyncio as aioredis

from etl.recommender_model import RecommenderModel
from shared import keys
from shared.wording import jobs as wording

logger = logging.getLogger(__name__)


class UnknownVersionError(LookupError):
    """No model is published under this dataset version (never published, or already expired)."""

    def __init__(self, version: str) -> None:
        super().__init__(wording.unknown_version(version))
        self.version = version

    def __reduce__(self) -> tuple[type[LookupError], tuple[str]]:
        # Read back anywhere as a plain LookupError (results travel as JSON text, see shared.job_codec).
        return (LookupError, (str(self),))


class ModelCache:
    """At most `capacity` versions in memory: the current one and, right after a switch, the
    previous one (readers that resolved the old pointer a moment ago still ask for it)."""

    def __init__(self, client: aioredis.Redis, executor: Executor, capacity: int = 2) -> None:
        self._client = client
        self._executor = executor
        self._capacity = max(1, capacity)
        self._models: OrderedDict[str, RecommenderModel] = OrderedDict()
        self._loading: dict[str, asyncio.Lock] = {}

    def versions(self) -> list[str]:
        """Cached versions, least recently used first."""
        return list(self._models)

    def drop(self, version: str) -> None:
        if self._models.pop(version, None) is not None:
            logger.info("model of version %s released", version)

    async def get(self, version: str) -> RecommenderModel:
        model = self._models.get(version)
        if model is not None:
            self._models.move_to_end(version)
            return model
        # Concurrent requests for a version not yet loaded share one load.
        lock = self._loading.setdefault(version, asyncio.Lock())
        try:
            async with lock:
                model = self._models.get(version)
                if model is None:
                    model = await self._load(version)
                    self._models[version] = model
                    while len(self._models) > self._capacity:
                        evicted, _ = self._models.popitem(last=False)
                        logger.info("model of version %s evicted from the cache", evicted)
        finally:
            if not lock.locked():
                self._loading.pop(version, None)
        self._models.move_to_end(version)
        return model

    async def _load(self, version: str) -> RecommenderModel:
        started = time.perf_counter()
        fields = await self._fields(version)
        if not fields:
            raise UnknownVersionError(version)
        loop = asyncio.get_running_loop()
        # The model's arrays are views of these bytes: loading copies nothing.
        model = await loop.run_in_executor(self._executor, RecommenderModel.from_redis_fields, fields)
        del fields
        logger.info(
            "model of version %s loaded: %d films, %d non-zeros, %.1f MB, %.2f s",
            version,
            len(model.ids),
            model.matrix.nnz,
            model.nbytes / 1e6,
            time.perf_counter() - started,
        )
        return model

    async def _fields(self, version: str) -> dict[bytes, bytes]:
        """The model's hash, read on a connection of its own.

        hiredis keeps the buffer of the last reply a connection read (here as large as the model)
        until that connection reads another one; a PING right after lets it go at once instead of
        whenever the pool happens to hand that connection out again.
        """
        async with self._client.client() as connection:
            fields: dict[bytes, bytes] = await connection.hgetall(keys.model(version))  # type: ignore[misc]
            await connection.ping()
        return fields
