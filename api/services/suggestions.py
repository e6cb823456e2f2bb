"""Fuzzy "did you mean" suggestions from the per-version catalogues, cached in process by version."""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson
from redis.exceptions import RedisError

from api.errors import ApiError
from api.services.dataset import DatasetReader
from api.services.fuzzy_index import FuzzyIndex
from shared import keys
from shared.schemas import MovieRef, PersonCatalogRow, PersonRef, TitleCatalogRow
from shared.text import fold

logger = logging.getLogger(__name__)

LIMIT = 5
# A title shared by many films would otherwise fill every slot with one title.
_FILMS_PER_TITLE = 2
_VERSIONS_KEPT = 2
# How much fame (log10 of votes or films) may weigh against an edit when ranking near-ties.
_TITLE_FAME = 0.4
_PEOPLE_FAME = 0.8
# Suggestions already computed (kind, version, folded query): a repeated typo costs a dict lookup
# instead of a fuzzy search. Bounded, least recently asked dropped first.
SUGGESTIONS_REMEMBERED = 20_000


def quick_fold(text: str) -> str:
    """`shared.text.fold` with a fast path for plain ASCII (most of a catalogue)."""
    if text.isascii():
        return " ".join(text.lower().split())
    return fold(text)


_Entry = TypeVar("_Entry", MovieRef, PersonRef)


def _person(shown: tuple[str, int]) -> list[PersonRef]:
    return [{"nombre": shown[0], "cantidad_filmaciones": shown[1]}]


def _films(shown: tuple[tuple[int, str, int], ...]) -> list[MovieRef]:
    return [{"id": movie_id, "titulo": title, "anio": year} for movie_id, title, year in shown]


@dataclass(frozen=True)
class Catalog(Generic[_Entry]):
    """Distinct folded names and, for each, what to show: films (id, title, year) or people."""

    index: FuzzyIndex
    shown: list[Any]
    # What one key shows, built only for the few keys suggested (a catalogue holds 200k people).
    entries: Callable[[Any], list[_Entry]]

    @property
    def keys(self) -> list[str]:
        return self.index.keys

    def suggest(self, query: str, limit: int = LIMIT, per_key: int = 1) -> list[_Entry]:
        folded = quick_fold(query)
        if not folded or not self.keys:
            return []
        out: list[_Entry] = []
        for index in self.index.search(folded, limit):
            for entry in self.entries(self.shown[index])[:per_key]:
                out.append(entry)
                if len(out) >= limit:
                    return out
        return out


def build_title_catalog(raw: bytes) -> Catalog[MovieRef]:
    """From `[[id, title, year, votes], ...]`: one key per folded title, films most voted first."""
    grouped: dict[str, list[tuple[int, tuple[int, str, int]]]] = {}
    rows: list[TitleCatalogRow] = orjson.loads(raw)
    for movie_id, title, year, votes in rows:
        film = (int(movie_id), str(title), int(year))
        grouped.setdefault(quick_fold(str(title)), []).append((int(votes or 0), film))
    catalog_keys = list(grouped)
    # Tuples (untracked by the garbage collector), turned into dicts only for the films suggested.
    shown: list[tuple[tuple[int, str, int], ...]] = []
    weights: list[int] = []
    for key in catalog_keys:
        films = sorted(grouped[key], key=lambda item: -item[0])
        shown.append(tuple(film for _votes, film in films))
        weights.append(films[0][0])
    return Catalog(FuzzyIndex.build(catalog_keys, weights, _TITLE_FAME), shown, _films)


def build_people_catalog(raw: bytes) -> Catalog[PersonRef]:
    """From `[[name, films], ...]`: one key per folded name, the most prolific spelling shown."""
    grouped: dict[str, tuple[str, int]] = {}
    rows: list[PersonCatalogRow] = orjson.loads(raw)
    for name, films in rows:
        key = quick_fold(name)
        count = int(films or 0)
        known = grouped.get(key)
        if known is None or count > known[1]:
            grouped[key] = (name, count)
    shown = list(grouped.values())
    index = FuzzyIndex.build(list(grouped), [count for _name, count in shown], _PEOPLE_FAME)
    return Catalog(index, shown, _person)


_BUILDERS: dict[str, tuple[Callable[[str], str], Callable[[bytes], Catalog[Any]]]] = {
    "titles": (keys.title_catalog, build_title_catalog),
    "actors": (keys.actor_catalog, build_people_catalog),
    "directors": (keys.director_catalog, build_people_catalog),
}


@dataclass(frozen=True)
class Suggestions(Generic[_Entry]):
    """What to suggest, and the dataset version whose catalogue suggested it: an older one while
    the catalogue of `version` is being built."""

    version: str
    entries: list[_Entry]


class CatalogCache:
    """Catalogues of the last few dataset versions, loaded lazily from Redis, built off the loop.

    A new version's catalogue takes a second or two to build; meanwhile the previous version's
    keeps suggesting, so a version switch never makes a 404 wait for it.
    """

    def __init__(self, reader: DatasetReader) -> None:
        self.reader = reader
        self._catalogs: OrderedDict[tuple[str, str], Catalog[Any]] = OrderedDict()
        self._locks: dict[str, asyncio.Lock] = {kind: asyncio.Lock() for kind in _BUILDERS}
        self._building: dict[tuple[str, str], asyncio.Task[tuple[str, Catalog[Any]]]] = {}
        self._answers: OrderedDict[tuple[str, str, str], list[Any]] = OrderedDict()

    async def get(self, kind: str, version: str) -> Catalog[Any]:
        """The catalogue of `version` (of the current version when that one expired), waiting for
        it to be built if need be."""
        cached = self._catalogs.get((kind, version))
        if cached is not None:
            return cached
        # Shielded: a request that gives up does not cancel a build others wait for.
        return (await asyncio.shield(self._build_started(kind, version)))[1]

    def _build_started(self, kind: str, version: str) -> asyncio.Task[tuple[str, Catalog[Any]]]:
        task = self._building.get((kind, version))
        if task is None:
            task = asyncio.create_task(self._build(kind, version))
            self._building[(kind, version)] = task
            task.add_done_callback(functools.partial(self._build_ended, (kind, version)))
        return task

    def _build_ended(self, key: tuple[str, str], task: asyncio.Task[tuple[str, Catalog[Any]]]) -> None:
        self._building.pop(key, None)
        # Read here, so a build nobody waited for does not end as "exception never retrieved".
        if not task.cancelled() and task.exception() is not None:
            logger.info("suggestion catalogue %s not built: %s", key, task.exception().__class__.__name__)

    async def _build(self, kind: str, version: str) -> tuple[str, Catalog[Any]]:
        async with self._locks[kind]:
            cached = self._catalogs.get((kind, version))
            if cached is not None:
                return version, cached
            key_for, build = _BUILDERS[kind]
            # When that version expired since it answered, the current one suggests instead.
            found = await self.reader.catalogue(key_for, version)
            version = found.version
            cached = self._catalogs.get((kind, version))
            if cached is not None:
                return version, cached
            catalog = await asyncio.to_thread(build, found.value or b"[]")
            # A catalogue's lists hold millions of references; every full collection of the cycle
            # collector walked them all (60 ms on the full data: the gateway's p99). Freezing puts
            # what is alive now, the catalogue included, where the collector never looks; none of
            # it forms cycles, so refcounting still frees it when a version is dropped.
            gc.freeze()
            self._catalogs[(kind, version)] = catalog
            while len(self._catalogs) > _VERSIONS_KEPT * len(_BUILDERS):
                self._catalogs.popitem(last=False)
            return version, catalog

    def _newest(self, kind: str) -> tuple[str, Catalog[Any]] | None:
        """The catalogue of the newest version built for `kind` (version ids sort by build time)."""
        built = [version for known, version in self._catalogs if known == kind]
        if not built:
            return None
        newest = max(built)
        return newest, self._catalogs[(kind, newest)]

    async def _usable(self, kind: str, version: str) -> tuple[str, Catalog[Any]]:
        cached = self._catalogs.get((kind, version))
        if cached is not None:
            return version, cached
        building = self._build_started(kind, version)
        meanwhile = self._newest(kind)
        if meanwhile is not None:
            return meanwhile
        return await asyncio.shield(building)

    async def warm(self) -> None:
        """Builds the current version's catalogues before the first typo needs them (indexing 200k
        names takes about a second). Best effort: without Redis or a dataset, the first 404 will."""
        try:
            version = await self.reader.current_version()
            if version is not None:
                for kind in _BUILDERS:
                    await self.get(kind, version)
        except (RedisError, OSError, ApiError) as exc:
            logger.info("suggestion catalogues not built ahead: %s", exc.__class__.__name__)
        except Exception:
            # Never fatal: the catalogues are built again on demand.
            logger.warning("building the suggestion catalogues ahead failed", exc_info=True)

    async def titles(self, version: str, query: str) -> Suggestions[MovieRef]:
        """Films whose title is one or two edits from `query`, best first."""
        return await self._suggest("titles", version, query, _FILMS_PER_TITLE)

    async def people(self, kind: str, version: str, query: str) -> Suggestions[PersonRef]:
        """Actors or directors (`kind`) whose name is one or two edits from `query`."""
        return await self._suggest(kind, version, query, 1)

    async def _suggest(self, kind: str, version: str, query: str, per_key: int) -> Suggestions[Any]:
        folded = quick_fold(query)
        remembered = self._remembered((kind, version, folded))
        if remembered is not None:
            return Suggestions(version, remembered)
        used, catalog = await self._usable(kind, version)
        key = (kind, used, folded)
        remembered = self._remembered(key) if used != version else None
        if remembered is not None:
            return Suggestions(used, remembered)
        # On the loop, not in a thread: a lookup takes 0.1-0.2 ms of CPU (at most about 6 ms, for a
        # very common word), less than handing it to a thread and back, and a thread would hold
        # the same GIL meanwhile anyway.
        found = catalog.suggest(query, LIMIT, per_key)
        self._answers[key] = found
        while len(self._answers) > SUGGESTIONS_REMEMBERED:
            self._answers.popitem(last=False)
        return Suggestions(used, list(found))

    def _remembered(self, key: tuple[str, str, str]) -> list[Any] | None:
        remembered = self._answers.get(key)
        if remembered is None:
            return None
        self._answers.move_to_end(key)
        return list(remembered)
