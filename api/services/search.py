"""Title search as typed (`/buscar`): one lookup in the ETL's prefix index, typo-tolerant fill-in after.

The index (etl.search_index) keeps, for every prefix it holds, the best films it names or, once
few enough films share it, all of them. One script resolves the current version, finds the
longest indexed prefix of what was typed and returns those films' cards, so an answer is one
round trip and never mixes two versions. Only when no title matches what was typed does the
fuzzy title catalogue (the 404 suggestions') offer close titles instead.
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

import orjson
from redis.exceptions import NoScriptError

from api.errors import InvalidInputError
from api.services.dataset import DatasetNotPublishedError, DatasetReader
from api.services.suggestions import CatalogCache
from shared import keys
from shared.text import fold
from shared.title_match import tier
from shared.wording import lists as wording_lists

MAX_QUERY_LENGTH = 100
DEFAULT_LIMIT = 10
MAX_LIMIT = 25
# Mirrors etl.search_index: how deep prefixes are indexed and how an entry says it is complete.
_MAX_DEPTH = 40
_COMPLETE = b"c"

# KEYS: current-version pointer. ARGV: key prefix, prefixes-hash suffix, cards-hash suffix, how
# many cards an entry for the whole typed text may give (0: all), then every prefix of the typed
# text, shortest first. Returns {version, depth of the longest indexed prefix, flag, card...}.
_LOOKUP = """
local version = redis.call('GET', KEYS[1])
if not version then return false end
local base = ARGV[1] .. version
local found = redis.call('HMGET', base .. ARGV[2], unpack(ARGV, 5))
local cap = tonumber(ARGV[4])
for i = #found, 1, -1 do
  local entry = found[i]
  if entry then
    local ids = {}
    for id in string.gmatch(string.sub(entry, 3), '[^,]+') do
      ids[#ids + 1] = id
      -- An entry for the whole typed text is ranked already: its first few are the answer.
      if i == #found and cap > 0 and #ids >= cap then break end
    end
    local reply = {version, i, string.sub(entry, 1, 1)}
    if #ids > 0 then
      local cards = redis.call('HMGET', base .. ARGV[3], unpack(ids))
      for j = 1, #cards do reply[#reply + 1] = cards[j] or '' end
    end
    return reply
  end
end
return {version, 0, ''}
"""

_LOOKUP_SHA = hashlib.sha1(_LOOKUP.encode()).hexdigest()
_MARK = "\x00version\x00"
# Positions in a card (etl.search_index.card).
_ID, _TITLE, _YEAR, _SCORE, _VOTES, _POSTER, _FOLDED = range(7)

Card = list[Any]


def shown(card: Card) -> dict[str, Any]:
    return {
        "id": card[_ID],
        "titulo": card[_TITLE],
        "anio": card[_YEAR],
        "score": card[_SCORE],
        "votos": card[_VOTES],
        "poster_path": card[_POSTER],
    }


def clean_query(text: str) -> str:
    """The folded query; empty or too long is a 422 like an empty or too long title."""
    stripped = text.strip()
    if not stripped:
        raise InvalidInputError(wording_lists.EMPTY_QUERY, code="empty_query")
    if len(stripped) > MAX_QUERY_LENGTH:
        raise InvalidInputError(wording_lists.query_too_long(MAX_QUERY_LENGTH), code="query_too_long")
    return fold(stripped)


class TitleSearch:
    """Answers `/buscar` from the current version's index, with the fuzzy catalogue as a fallback."""

    def __init__(self, reader: DatasetReader, catalogs: CatalogCache) -> None:
        self.reader = reader
        self.catalogs = catalogs
        prefix, suffix = keys.search_prefixes(_MARK).split(_MARK)
        self._base = prefix
        self._prefixes_suffix = suffix
        self._cards_suffix = keys.search_cards(_MARK).split(_MARK)[1]

    async def search(self, text: str, limit: int) -> tuple[str | None, list[dict[str, Any]]]:
        """(the dataset version read, the results); no version when nothing was looked up."""
        typed = clean_query(text)
        if not typed:
            # Only marks that folding removes (a lone `¸`): nothing any title could start with.
            return None, []
        prefixes = [typed[:length] for length in range(1, min(len(typed), _MAX_DEPTH) + 1)]
        cap = limit if len(typed) <= _MAX_DEPTH else 0
        reply = await self._lookup([self._base, self._prefixes_suffix, self._cards_suffix, cap, *prefixes])
        if not reply:
            raise DatasetNotPublishedError()
        assert isinstance(reply, list)
        version = reply[0].decode() if isinstance(reply[0], bytes) else str(reply[0])
        if self.reader.on_version is not None:
            self.reader.on_version(version)
        depth, flag = int(reply[1]), reply[2]
        cards: list[Card] = [orjson.loads(raw) for raw in reply[3:] if raw]
        if depth == len(typed):
            results = [shown(card) for card in cards[:limit]]
        elif flag == _COMPLETE or depth >= _MAX_DEPTH:
            # Every film the shorter prefix names is here: keep those that match all that was typed.
            ranked = sorted(
                (rank, -card[_VOTES], card[_ID], position)
                for position, card in enumerate(cards)
                if (rank := tier(card[_FOLDED], typed)) is not None
            )
            results = [shown(cards[position]) for *_rank, position in ranked[:limit]]
        else:
            # The longest indexed prefix still named many films, yet no title continues it as typed.
            results = []
        if not results:
            # Nothing matches as typed: a typo, most likely. Close titles are worth offering then,
            # and only then (the typo-tolerant search costs milliseconds; a keystroke must not).
            results = await self._fuzzy(version, typed, limit)
        return version, results

    async def _lookup(self, args: list[Any]) -> Any:
        client = self.reader.client
        try:
            return await client.execute_command("EVALSHA", _LOOKUP_SHA, 1, keys.CURRENT_VERSION, *args)
        except NoScriptError:
            # Loaded once per Redis process; EVAL loads it again after a restart or a flush.
            return await client.execute_command("EVAL", _LOOKUP, 1, keys.CURRENT_VERSION, *args)

    async def _fuzzy(self, version: str, typed: str, wanted: int) -> list[dict[str, Any]]:
        """Close titles for a typo (`toy stori`), most alike first."""
        if len(typed) < 3:
            return []
        catalog = await self.catalogs.get("titles", version)
        found = await asyncio.to_thread(catalog.index.search, typed, wanted)
        ids = [film[0] for index in found for film in catalog.shown[index][:2]]
        ids = list(dict.fromkeys(ids))[:wanted]
        if not ids:
            return []
        raw = await self.reader.client.execute_command("HMGET", keys.search_cards(version), *map(str, ids))
        out: list[dict[str, Any]] = []
        for payload in raw if isinstance(raw, list) else []:
            if isinstance(payload, bytes) and payload:
                out.append(shown(orjson.loads(payload)))
        return out
