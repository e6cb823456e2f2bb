"""Every key family the queries read, serialised from the clean tables one family at a time.

`etl.artefacts` builds the answers as Python records (what tests and tools inspect); at ten times
the catalogue those records are more than a gigabyte, one dict per film and per person. Here each
family is made while it is written and dropped before the next one starts: films are serialised
once and their bytes joined into the title groups; the people's records live only while their own
family is written. The bytes are the same as those of `etl.pipeline.Build` (a test compares them).
"""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pandas as pd

from etl import search_index
from etl.artefacts import MOVIE_COLUMNS, actor_index, calendar_counts, director_index, movie_rows
from etl.publish import Fields, dumps
from shared import keys
from shared.text import title_key

# What the answers read of the movies table: the recommender's text and lists are not needed.
ANSWER_COLUMNS = MOVIE_COLUMNS


def payload(
    version: str,
    movies: pd.DataFrame,
    cast: pd.DataFrame,
    directors: pd.DataFrame,
    prefixes: list[tuple[str, bytes]] | None = None,
) -> Iterator[tuple[str, Fields | bytes]]:
    """(key, fields or value) of every answer family, each made when publishing asks for it;
    `prefixes`: the search index's entries when they were made already (by a child process)."""
    yield keys.months(version), _calendar(movies["release_month"])
    yield keys.weekdays(version), _calendar(movies["release_weekday"])
    yield from _movie_families(version, movies, directors)
    yield from _search(version, movies, prefixes)
    actors = actor_index(cast, movies)
    # The catalogue first: the hash's fields are then written from the dict and dropped with it.
    actor_catalog = orjson.dumps(
        [(p["nombre"], p["cantidad_filmaciones"]) for g in actors.values() for p in g]
    )
    yield keys.actor_catalog(version), actor_catalog
    del actor_catalog
    yield keys.actors(version), ((key, dumps(group)) for key, group in actors.items())
    del actors
    directing = director_index(directors, movies)
    director_catalog = orjson.dumps(
        [(p["nombre"], len(p["peliculas"])) for g in directing.values() for p in g]
    )
    yield keys.director_catalog(version), director_catalog
    del director_catalog
    yield keys.directors(version), ((key, dumps(group)) for key, group in directing.items())


def _calendar(column: pd.Series) -> dict[str, bytes]:
    return {str(k): str(n).encode() for k, n in calendar_counts(column).items()}


def _movie_families(
    version: str, movies: pd.DataFrame, directors: pd.DataFrame
) -> Iterator[tuple[str, Fields | bytes]]:
    """The films by id, by title and their catalogue: each film serialised once, its bytes shared."""
    ids: list[int] = [int(i) for i in movies["id"].tolist()]
    # Copied to its own size: orjson returns each result in a buffer of several KB, which a list
    # of 450k of them would keep (~2 GB at ten times the catalogue instead of ~200 MB).
    films = [bytes(memoryview(dumps(movie))) for movie in movie_rows(movies, directors)]
    yield keys.movies(version), zip(map(str, ids), films, strict=True)
    titles = [str(t) for t in movies["title"].tolist()]
    votes = [int(v) for v in movies["vote_count"].tolist()]
    popularity = [float(p) for p in movies["popularity"].tolist()]
    groups: dict[str, list[int]] = {}
    for row, title in enumerate(titles):
        groups.setdefault(title_key(title), []).append(row)
    # A title's films, the most voted first (as `etl.artefacts.title_index` orders them); a JSON
    # list of records is its records' JSON joined by commas.
    yield (
        keys.titles(version),
        (
            (
                key,
                b"["
                + b",".join(films[r] for r in sorted(rows, key=lambda r: (-votes[r], -popularity[r], ids[r])))
                + b"]",
            )
            for key, rows in groups.items()
        ),
    )
    del groups, films
    years = [int(y) for y in movies["release_year"].tolist()]
    yield keys.title_catalog(version), orjson.dumps(list(zip(ids, titles, years, votes, strict=True)))


def search_inputs(movies: pd.DataFrame) -> tuple[list[int], list[str], list[int]]:
    """What the search index is made from: each film's id, title and vote count."""
    ids = [int(i) for i in movies["id"].tolist()]
    titles = [str(t) for t in movies["title"].tolist()]
    votes = [int(v) for v in movies["vote_count"].tolist()]
    return ids, titles, votes


def _search(
    version: str, movies: pd.DataFrame, prefixes: list[tuple[str, bytes]] | None
) -> Iterator[tuple[str, Fields | bytes]]:
    ids, titles, votes = search_inputs(movies)
    years = [int(y) for y in movies["release_year"].tolist()]
    popularity = [float(p) for p in movies["popularity"].tolist()]
    posters = [p if isinstance(p, str) and p else None for p in movies["poster_path"].tolist()]
    yield (
        keys.search_cards(version),
        (
            (str(row[0]), search_index.card_of(row))
            for row in zip(ids, titles, years, popularity, votes, posters, strict=True)
        ),
    )
    del years, popularity, posters
    if prefixes is None:
        prefixes = search_index.prefix_list(ids, titles, votes)
    yield keys.search_prefixes(version), prefixes
