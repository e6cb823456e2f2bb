"""The title-search index `/buscar` answers from: ranked film ids per typed prefix, and a card per film.

Every title is indexed from the start of each of its words (`toy story` under `toy story` and
`story`). A prefix typed by many titles keeps only its best `SHOWN` films, ranked: the exact
title, then titles that start with it, then titles with a word that starts with it, most voted
first within each. Longer prefixes are indexed only while more than `SHOWN` titles share them:
once a prefix names few enough films its entry lists them all, and the API narrows that list for
anything typed after it. That keeps the index a few entries per title instead of one per letter.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import orjson

from shared import keys
from shared.text import fold
from shared.title_match import ARTICLES, EXACT, TITLE_START, WORD_START, word_starts

# The most results `/buscar` gives (its `limite` maximum).
SHOWN = 25
# Deeper than this, a prefix keeps every film it names (titles sharing 40 characters are few).
MAX_DEPTH = 40
COMPLETE, TRUNCATED = "c", "t"

Record = Mapping[str, Any]


# What a card shows: id, title, year, popularity, votes, poster path.
CardRow = tuple[int, str, int, float, int, str | None]


def card(movie: Record) -> bytes:
    return card_of(
        (
            movie["id"],
            movie["titulo"],
            movie["anio"],
            movie["popularidad"],
            movie["votos"],
            movie.get("poster_path"),
        )
    )


def card_of(row: CardRow) -> bytes:
    """A result's card: what `/buscar` shows of a film, and its folded title to narrow by."""
    return orjson.dumps([*row, fold(str(row[1]))])


def _members(titles: Mapping[int, str], places: Mapping[int, int], films: int) -> list[tuple[str, int, int]]:
    """(indexed string, rank key, length if it is the whole title else -1) per title and word start.

    A film's rank under a prefix is `tier * films + place` (place: its position by votes, then
    id), so ranking a prefix's films is sorting integers. Which tier a start gives is fixed by
    the start alone (see `shared.title_match.tier`): the title's start and, after a leading
    article, the second word are TITLE_START; any other word start is WORD_START; the whole
    title typed in full is EXACT, the one tier that depends on how much is typed.
    """
    members = []
    for movie_id, title in titles.items():
        starts = word_starts(title)
        place = places[movie_id]
        after_article = len(starts) > 1 and title[: starts[1]].strip() in ARTICLES
        for index, start in enumerate(starts):
            text = title[start:]
            if not text:
                continue
            if index == 0:
                members.append((text, TITLE_START * films + place, len(text)))
            else:
                found = TITLE_START if index == 1 and after_article else WORD_START
                members.append((text, found * films + place, -1))
    return members


def prefix_entries(movies: Mapping[int, Record]) -> Iterator[tuple[str, bytes]]:
    """(folded prefix, `c|id,id,...` or `t|id,...`) for every prefix the index keeps."""
    titles = {movie_id: str(movie["titulo"]) for movie_id, movie in movies.items()}
    votes = {movie_id: int(movie.get("votos") or 0) for movie_id, movie in movies.items()}
    return ranked_prefixes(titles, votes)


def ranked_prefixes(titles: Mapping[int, str], votes: Mapping[int, int]) -> Iterator[tuple[str, bytes]]:
    """`prefix_entries` from each film's title and vote count."""
    folded = {movie_id: fold(title) for movie_id, title in titles.items()}
    by_place = sorted(folded, key=lambda movie_id: (-votes[movie_id], movie_id))
    films = max(len(by_place), 1)
    active = _members(folded, {movie_id: place for place, movie_id in enumerate(by_place)}, films)
    exact = EXACT - TITLE_START
    depth = 1
    while active:
        groups: dict[str, list[tuple[str, int, int]]] = {}
        for member in active:
            if len(member[0]) >= depth:
                groups.setdefault(member[0][:depth], []).append(member)
        active = []
        for prefix, members in groups.items():
            if len(members) == 1:
                yield prefix, (COMPLETE + "|" + str(by_place[members[0][1] % films])).encode()
                continue
            ranked = sorted(key + exact * films if whole == depth else key for _text, key, whole in members)
            # A film indexed from two starts keeps its better rank (the first in order).
            ids = list(dict.fromkeys(by_place[key % films] for key in ranked))
            if len(ids) <= SHOWN or depth >= MAX_DEPTH:
                yield prefix, (COMPLETE + "|" + ",".join(map(str, ids))).encode()
            else:
                yield prefix, (TRUNCATED + "|" + ",".join(map(str, ids[:SHOWN]))).encode()
                active.extend(members)
        depth += 1


def prefix_list(ids: list[int], titles: list[str], votes: list[int]) -> list[tuple[str, bytes]]:
    """Every entry of `ranked_prefixes`, from plain lists (what a child process is sent)."""
    return list(ranked_prefixes(dict(zip(ids, titles, strict=True)), dict(zip(ids, votes, strict=True))))


def payload(version: str, movies: Mapping[int, Record]) -> Iterator[tuple[str, Iterator[tuple[str, bytes]]]]:
    """The index's two hashes, in the shape `etl.publish` writes (fields produced lazily)."""
    yield keys.search_cards(version), ((str(movie_id), card(movie)) for movie_id, movie in movies.items())
    yield keys.search_prefixes(version), prefix_entries(movies)
