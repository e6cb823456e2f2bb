"""Fuzzy "did you mean" suggestions from the per-version catalogues, cached in process by version."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from rapidfuzz import fuzz, process

from api.services.dataset import DatasetReader
from shared import keys
from shared.text import fold

LIMIT = 5
# Below this WRatio score a candidate is noise rather than a plausible typo.
_SCORE_CUTOFF = 60.0
_CANDIDATES = 25
# A title shared by many films would otherwise fill every slot with one title.
_FILMS_PER_TITLE = 2
_VERSIONS_KEPT = 2


def quick_fold(text: str) -> str:
    """`shared.text.fold` with a fast path for plain ASCII (most of a catalogue)."""
    if text.isascii():
        return " ".join(text.lower().split())
    return fold(text)


@dataclass(frozen=True)
class Catalog:
    """Distinct folded names and, for each, what to show: films (id, title, year) or people."""

    keys: list[str]
    entries: list[list[dict[str, Any]]]
    weights: list[int]

    def suggest(self, query: str, limit: int = LIMIT, per_key: int = 1) -> list[dict[str, Any]]:
        folded = quick_fold(query)
        if not folded or not self.keys:
            return []
        found = process.extract(
            folded, self.keys, scorer=fuzz.WRatio, limit=_CANDIDATES, score_cutoff=_SCORE_CUTOFF
        )
        # Equal scores: the better known film or person first.
        ranked = sorted(found, key=lambda hit: (-round(hit[1], 1), -self.weights[hit[2]]))
        out: list[dict[str, Any]] = []
        for _key, _score, index in ranked:
            for entry in self.entries[index][:per_key]:
                out.append(entry)
                if len(out) >= limit:
                    return out
        return out


def build_title_catalog(raw: bytes) -> Catalog:
    """From `[[id, title, year, votes], ...]`: one key per folded title, films most voted first."""
    grouped: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for movie_id, title, year, votes in orjson.loads(raw):
        entry = {"id": int(movie_id), "titulo": str(title), "anio": int(year)}
        grouped.setdefault(quick_fold(str(title)), []).append((int(votes or 0), entry))
    catalog_keys = list(grouped)
    entries, weights = [], []
    for key in catalog_keys:
        films = sorted(grouped[key], key=lambda item: -item[0])
        entries.append([entry for _votes, entry in films])
        weights.append(films[0][0])
    return Catalog(catalog_keys, entries, weights)


def build_people_catalog(raw: bytes) -> Catalog:
    """From `[[name, films], ...]`: one key per folded name, the most prolific spelling shown."""
    grouped: dict[str, tuple[int, str]] = {}
    for name, films in orjson.loads(raw):
        key = quick_fold(str(name))
        count = int(films or 0)
        if key not in grouped or count > grouped[key][0]:
            grouped[key] = (count, str(name))
    catalog_keys = list(grouped)
    entries = [[{"nombre": grouped[k][1], "cantidad_filmaciones": grouped[k][0]}] for k in catalog_keys]
    weights = [grouped[k][0] for k in catalog_keys]
    return Catalog(catalog_keys, entries, weights)


_BUILDERS: dict[str, tuple[Callable[[str], str], Callable[[bytes], Catalog]]] = {
    "titles": (keys.title_catalog, build_title_catalog),
    "actors": (keys.actor_catalog, build_people_catalog),
    "directors": (keys.director_catalog, build_people_catalog),
}


class CatalogCache:
    """Catalogues of the last few dataset versions, loaded lazily from Redis, built off the loop."""

    def __init__(self, reader: DatasetReader) -> None:
        self.reader = reader
        self._catalogs: OrderedDict[tuple[str, str], Catalog] = OrderedDict()
        self._locks: dict[str, asyncio.Lock] = {kind: asyncio.Lock() for kind in _BUILDERS}

    async def get(self, kind: str, version: str) -> Catalog:
        cached = self._catalogs.get((kind, version))
        if cached is not None:
            return cached
        async with self._locks[kind]:
            cached = self._catalogs.get((kind, version))
            if cached is not None:
                return cached
            key_for, build = _BUILDERS[kind]
            raw = await self.reader.get(key_for(version))
            if raw is None:
                # That version expired since it answered; the current one suggests instead.
                version, raw = await self.reader.string(key_for)
            catalog = await asyncio.to_thread(build, raw or b"[]")
            self._catalogs[(kind, version)] = catalog
            while len(self._catalogs) > _VERSIONS_KEPT * len(_BUILDERS):
                self._catalogs.popitem(last=False)
            return catalog

    async def suggest(self, kind: str, version: str, query: str) -> list[dict[str, Any]]:
        catalog = await self.get(kind, version)
        per_key = _FILMS_PER_TITLE if kind == "titles" else 1
        return await asyncio.to_thread(catalog.suggest, query, LIMIT, per_key)
