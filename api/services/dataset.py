"""Reads the published dataset: the current version and its data in one atomic Lua step."""

from __future__ import annotations

from collections.abc import Callable

from api.errors import UnavailableError
from api.services.answer_memo import note_version_read
from api.services.pipelined_redis import PipelinedRedis, PipelinedScript
from shared import keys
from shared.wording import errors as messages

# GET the pointer, then read one field of that version's key, in one script: an answer can never
# mix two versions, nor read a version the publisher is deleting between two round trips.
_LOOKUP = """
local version = redis.call('GET', KEYS[1])
if not version then
  return false
end
local key = ARGV[1] .. version .. ARGV[2]
local value
if ARGV[3] == 'h' then
  value = redis.call('HGET', key, ARGV[4])
else
  value = redis.call('GET', key)
end
return {version, value}
"""

_MARK = "\x00version\x00"

KeyFor = Callable[[str], str]


class DatasetNotPublishedError(UnavailableError):
    code = "dataset_not_published"

    def __init__(self) -> None:
        super().__init__(messages.DATASET_NOT_PUBLISHED, headers={"Retry-After": "30"})


class DatasetReader:
    """Looks fields up in the current dataset version; raises DatasetNotPublishedError when there is none."""

    def __init__(self, client: PipelinedRedis) -> None:
        self.client = client
        self._script = PipelinedScript(client, _LOOKUP)
        self._templates: dict[KeyFor, tuple[str, str]] = {}

    def _template(self, key_for: KeyFor) -> tuple[str, str]:
        template = self._templates.get(key_for)
        if template is None:
            prefix, suffix = key_for(_MARK).split(_MARK)
            template = self._templates[key_for] = (prefix, suffix)
        return template

    async def field(self, key_for: KeyFor, field: str) -> tuple[str, bytes | None]:
        """(version, value of `field` in the hash `key_for(version)`) for the current version."""
        prefix, suffix = self._template(key_for)
        return self._unpack(
            await self._script(keys=[keys.CURRENT_VERSION], args=[prefix, suffix, "h", field])
        )

    async def string(self, key_for: KeyFor) -> tuple[str, bytes | None]:
        """(version, value of the string `key_for(version)`) for the current version."""
        prefix, suffix = self._template(key_for)
        return self._unpack(await self._script(keys=[keys.CURRENT_VERSION], args=[prefix, suffix, "s", ""]))

    async def current_version(self) -> str | None:
        raw = await self.client.execute("GET", keys.CURRENT_VERSION)
        return raw.decode() if isinstance(raw, bytes) else None

    async def get(self, key: str) -> bytes | None:
        """A key of a version already known (from an answer), e.g. its recommendation cache."""
        raw = await self.client.execute("GET", key)
        return raw if isinstance(raw, bytes) else None

    async def hget(self, key: str, field: str) -> bytes | None:
        raw = await self.client.execute("HGET", key, field)
        return raw if isinstance(raw, bytes) else None

    @staticmethod
    def _unpack(reply: object) -> tuple[str, bytes | None]:
        if not reply:
            raise DatasetNotPublishedError()
        assert isinstance(reply, list)
        version = reply[0].decode() if isinstance(reply[0], bytes) else str(reply[0])
        note_version_read(version)
        value = reply[1] if len(reply) > 1 else None
        return version, value
