"""Each Telegram user's personal list ("quiero verla", "vista"): film ids in Redis, atomic per change.

The list holds ids only, outside every dataset version, so it survives refreshes; reading it
resolves the ids against the current version, and a film that version lacks is shown as missing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import orjson
import redis.asyncio as aioredis

from api.errors import ApiError, NotFoundError
from api.services.dataset import DatasetNotPublishedError, DatasetReader
from shared import keys
from shared.wording import lists as wording_lists

MAX_FILMS = 1000
STATES = keys.USER_LIST_STATES

# KEYS: this state's set, the other state's set. ARGV: film id, now (ms), bound, TTL (s).
# Moves the film from the other state if it is there; refuses a new film when the user's lists
# already hold MAX_FILMS. One script, so concurrent changes of one user never lose a write.
_MARK = """
local moved = redis.call('ZREM', KEYS[2], ARGV[1])
local present = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not present and moved == 0 then
  if redis.call('ZCARD', KEYS[1]) + redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then
    return -1
  end
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
for i = 1, 2 do
  if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('EXPIRE', KEYS[i], ARGV[4]) end
end
if present then return 0 end
return 1
"""


class ListFullError(ApiError):
    status_code = 409
    code = "list_full"

    def __init__(self) -> None:
        super().__init__(wording_lists.list_full(MAX_FILMS), maximo=MAX_FILMS)


class MovieNotInCatalogError(NotFoundError):
    code = "movie_not_found"

    def __init__(self, movie_id: int) -> None:
        super().__init__(wording_lists.movie_id_not_found(movie_id), sugerencias=[])


@dataclass(frozen=True)
class Change:
    """What a PUT or DELETE did, and how many films each list holds afterwards."""

    changed: bool
    counts: dict[str, int]


class UserLists:
    """The list routes' operations over the API's Redis client (writes) and dataset reader (titles)."""

    def __init__(self, client: aioredis.Redis, reader: DatasetReader) -> None:
        self.client = client
        self.reader = reader
        self._mark = client.register_script(_MARK)

    async def _counts(self, user_id: int) -> dict[str, int]:
        pipe = self.client.pipeline(transaction=False)
        for state in STATES:
            pipe.zcard(keys.user_list(user_id, state))
        return {state: int(n) for state, n in zip(STATES, await pipe.execute(), strict=True)}

    async def _require_movie(self, movie_id: int) -> None:
        version = await self.reader.current_version()
        if version is None:
            raise DatasetNotPublishedError()
        if not await self.client.hexists(keys.movies(version), str(movie_id)):  # type: ignore[misc]
            raise MovieNotInCatalogError(movie_id)

    async def mark(self, user_id: int, state: str, movie_id: int) -> Change:
        await self._require_movie(movie_id)
        other = next(s for s in STATES if s != state)
        outcome = await self._mark(
            keys=[keys.user_list(user_id, state), keys.user_list(user_id, other)],
            args=[str(movie_id), int(time.time() * 1000), MAX_FILMS, keys.USER_LIST_TTL_SECONDS],
        )
        if int(outcome) < 0:
            raise ListFullError()
        return Change(int(outcome) == 1, await self._counts(user_id))

    async def unmark(self, user_id: int, state: str, movie_id: int) -> Change:
        removed = await self.client.zrem(keys.user_list(user_id, state), str(movie_id))
        return Change(bool(removed), await self._counts(user_id))

    async def read(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        """Both lists, most recent first; films resolved in the current version, else `disponible: false`."""
        pipe = self.client.pipeline(transaction=False)
        for state in STATES:
            pipe.zrevrange(keys.user_list(user_id, state), 0, -1)
        id_lists = [[int(raw) for raw in ids] for ids in await pipe.execute()]
        version = await self.reader.current_version()
        movies: dict[int, dict[str, Any]] = {}
        wanted = sorted({movie_id for ids in id_lists for movie_id in ids})
        if version is not None and wanted:
            raw = await self.client.hmget(keys.movies(version), [str(m) for m in wanted])  # type: ignore[misc]
            for movie_id, payload in zip(wanted, raw, strict=True):
                if payload is not None:
                    movies[movie_id] = orjson.loads(payload)
        return {
            state: [_entry(m, movies.get(m)) for m in ids]
            for state, ids in zip(STATES, id_lists, strict=True)
        }

    async def ids(self, user_id: int, state: str) -> list[int]:
        return [int(raw) for raw in await self.client.zrevrange(keys.user_list(user_id, state), 0, -1)]

    async def forget(self, user_id: int) -> int:
        """Deletes every key stored about the user; how many there were."""
        names = [name async for name in self.client.scan_iter(match=keys.user_pattern(user_id), count=1000)]
        return int(await self.client.delete(*names)) if names else 0


def _entry(movie_id: int, movie: dict[str, Any] | None) -> dict[str, Any]:
    if movie is None:
        return {"id": movie_id, "titulo": None, "anio": None, "disponible": False}
    return {"id": movie_id, "titulo": movie["titulo"], "anio": movie["anio"], "disponible": True}
