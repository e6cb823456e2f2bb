"""Reads the published dataset as typed records: the current version and its data in one Lua step."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar, cast

import orjson
from pydantic import ValidationError
from redis.exceptions import NoScriptError

from api.errors import UnavailableError
from shared import keys
from shared.schemas import ActorStats, DirectorStats, Movie, RecommendationResult
from shared.wording import errors as messages

# GET the pointer, then read that version's key, in one script: an answer can never mix two
# versions, nor read a version the publisher is deleting between two round trips. A hash lookup
# tries each field in turn (the readings of one title, most literal first) and says which matched.
_LOOKUP = """
local version = redis.call('GET', KEYS[1])
if not version then
  return false
end
local key = ARGV[1] .. version .. ARGV[2]
if ARGV[3] == 's' then
  return {version, redis.call('GET', key), 0}
end
for i = 4, #ARGV do
  local value = redis.call('HGET', key, ARGV[i])
  if value then
    return {version, value, i - 4}
  end
end
return {version}
"""
_LOOKUP_SHA = hashlib.sha1(_LOOKUP.encode()).hexdigest()

logger = logging.getLogger(__name__)

_MARK = "\x00version\x00"

KeyFor = Callable[[str], str]
_T = TypeVar("_T")


class Commands(Protocol):
    """What the reader needs of a Redis client: one command, its decoded reply."""

    async def execute_command(self, *args: Any) -> Any: ...


@dataclass(frozen=True, slots=True)
class Found(Generic[_T]):
    """A lookup in one dataset version: what it found (None: nothing) and which field matched."""

    version: str
    value: _T | None
    field: int = 0


class DatasetNotPublishedError(UnavailableError):
    code = "dataset_not_published"

    def __init__(self) -> None:
        super().__init__(messages.DATASET_NOT_PUBLISHED, headers={"Retry-After": "30"})


class DatasetReader:
    """Looks records up in the current dataset version; raises DatasetNotPublishedError when there
    is none. `on_version` hears every version a lookup resolved (the answer memo follows it)."""

    def __init__(self, client: Commands, on_version: Callable[[str], None] | None = None) -> None:
        self.client = client
        self.on_version = on_version
        self._templates: dict[KeyFor, tuple[str, str]] = {}

    async def movies_titled(self, title_keys: Sequence[str]) -> Found[list[Movie]]:
        """The movies of the first of `title_keys` that names any, most voted first."""
        found = await self._hash_fields(keys.titles, title_keys)
        return Found(found.version, _records(found.value), found.field)

    async def actors_named(self, name_keys: Sequence[str]) -> Found[list[ActorStats]]:
        found = await self._hash_fields(keys.actors, name_keys)
        return Found(found.version, _records(found.value), found.field)

    async def directors_named(self, name_keys: Sequence[str]) -> Found[list[DirectorStats]]:
        found = await self._hash_fields(keys.directors, name_keys)
        return Found(found.version, _records(found.value), found.field)

    async def month_count(self, month: int) -> Found[int]:
        found = await self._hash_fields(keys.months, [str(month)])
        return Found(found.version, int(found.value or 0))

    async def weekday_count(self, weekday: int) -> Found[int]:
        found = await self._hash_fields(keys.weekdays, [str(weekday)])
        return Found(found.version, int(found.value or 0))

    async def recommendation(self, version: str, movie_id: int) -> RecommendationResult | None:
        """The worker's cached answer for a movie of `version` (the version its title came from)."""
        raw = await self.client.execute_command("HGET", keys.recommendations(version), str(movie_id))
        if not isinstance(raw, bytes):
            return None
        try:
            return RecommendationResult.model_validate_json(raw)
        except ValidationError:
            # Cached by a worker of another release: ask for it again rather than fail the request.
            logger.warning(
                "cached recommendation %s:%d has another shape; computing it again", version, movie_id
            )
            return None

    async def catalogue(self, key_for: KeyFor, version: str) -> Found[bytes]:
        """A suggestion catalogue of `version`, or of the current version when that one expired."""
        raw = await self.client.execute_command("GET", key_for(version))
        if isinstance(raw, bytes):
            return Found(version, raw)
        prefix, suffix = self._template(key_for)
        return self._unpack(await self._lookup([prefix, suffix, "s"]))

    async def current_version(self) -> str | None:
        raw = await self.client.execute_command("GET", keys.CURRENT_VERSION)
        return raw.decode() if isinstance(raw, bytes) else None

    async def _hash_fields(self, key_for: KeyFor, fields: Sequence[str]) -> Found[bytes]:
        prefix, suffix = self._template(key_for)
        return self._unpack(await self._lookup([prefix, suffix, "h", *fields]))

    async def _lookup(self, args: list[str]) -> Any:
        try:
            return await self.client.execute_command("EVALSHA", _LOOKUP_SHA, 1, keys.CURRENT_VERSION, *args)
        except NoScriptError:
            # Loaded once per Redis process; EVAL loads it again after a restart or a flush.
            return await self.client.execute_command("EVAL", _LOOKUP, 1, keys.CURRENT_VERSION, *args)

    def _template(self, key_for: KeyFor) -> tuple[str, str]:
        template = self._templates.get(key_for)
        if template is None:
            prefix, suffix = key_for(_MARK).split(_MARK)
            template = self._templates[key_for] = (prefix, suffix)
        return template

    def _unpack(self, reply: object) -> Found[bytes]:
        if not reply:
            raise DatasetNotPublishedError()
        assert isinstance(reply, list)
        version = reply[0].decode() if isinstance(reply[0], bytes) else str(reply[0])
        if self.on_version is not None:
            self.on_version(version)
        if len(reply) < 3 or not isinstance(reply[1], bytes):
            return Found(version, None)
        return Found(version, reply[1], int(reply[2]))


def _records(raw: bytes | None) -> list[Any] | None:
    # The ETL wrote these records from the TypedDicts of shared.schemas (a test validates them);
    # decoding without validating keeps a lookup at one orjson call.
    return cast(list[Any], orjson.loads(raw)) if raw is not None else None
