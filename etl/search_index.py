"""The title-search index `/buscar` answers from: ranked film ids per typed prefix, and a card per film.

Every title is indexed from the start of each of its words (`toy story` under `toy story` and
`story`). A prefix typed by many titles keeps only its best `SHOWN` films, ranked: the exact
title, then titles that start with it, then titles with a word that starts with it, most voted
first within each. Longer prefixes are indexed only while more than `SHOWN` titles share them:
once a prefix names few enough films its entry lists them all, and the API narrows that list for
anything typed after it. That keeps the index a few entries per title instead of one per letter.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping
from typing import Any

import orjson

from shared import keys
from shared.text import fold
from shared.title_match import tier, word_starts

# The most results `/buscar` gives (its `limite` maximum).
SHOWN = 25
# Deeper than this, a prefix keeps every film it names (titles sharing 40 characters are few).
MAX_DEPTH = 40
COMPLETE, TRUNCATED = "c", "t"

Record = Mapping[str, Any]


def card(movie: Record) -> bytes:
    return orjson.dumps(
        [
            movie["id"],
            movie["titulo"],
            movie["anio"],
            movie["popularidad"],
            movie["votos"],
            movie.get("poster_path"),
            fold(str(movie["titulo"])),
        ]
    )


def prefix_entries(movies: Mapping[int, Record]) -> Iterator[tuple[str, bytes]]:
    """(folded prefix, `c|id,id,...` or `t|id,...`) for every prefix the index keeps."""
    titles = {movie_id: fold(str(movie["titulo"])) for movie_id, movie in movies.items()}
    votes = {movie_id: int(movie.get("votos") or 0) for movie_id, movie in movies.items()}
    # (indexed string, film id): the folded title from each word start.
    active = [
        (title[start:], movie_id)
        for movie_id, title in titles.items()
        for start in word_starts(title)
        if title[start:]
    ]
    depth = 1
    while active:
        groups: dict[str, list[tuple[str, int]]] = {}
        for text, movie_id in active:
            if len(text) >= depth:
                groups.setdefault(text[:depth], []).append((text, movie_id))
        active = []
        for prefix, members in groups.items():
            ids = {movie_id for _text, movie_id in members}

            def rank(movie_id: int, prefix: str = prefix) -> tuple[int, int, int]:
                found = tier(titles[movie_id], prefix)
                return (3 if found is None else found, -votes[movie_id], movie_id)

            if len(ids) <= SHOWN or depth >= MAX_DEPTH:
                yield prefix, (COMPLETE + "|" + ",".join(map(str, sorted(ids, key=rank)))).encode()
            else:
                best = heapq.nsmallest(SHOWN, ids, key=rank)
                yield prefix, (TRUNCATED + "|" + ",".join(map(str, best))).encode()
                active.extend(members)
        depth += 1


def payload(version: str, movies: Mapping[int, Record]) -> Iterator[tuple[str, Iterator[tuple[str, bytes]]]]:
    """The index's two hashes, in the shape `etl.publish` writes (fields produced lazily)."""
    yield keys.search_cards(version), ((str(movie_id), card(movie)) for movie_id, movie in movies.items())
    yield keys.search_prefixes(version), prefix_entries(movies)
