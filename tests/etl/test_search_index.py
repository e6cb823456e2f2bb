"""The title-search index the ETL publishes: every entry ranked as the contract says, and small."""

from __future__ import annotations

import orjson

from etl import search_index
from etl.pipeline import Build
from shared.text import fold
from shared.title_match import tier, word_starts


def _matches(titles: list[tuple[str, int, int]], typed: str) -> list[int]:
    """Every film matching `typed`, ranked by brute force over (folded title, votes, id)."""
    ranked = []
    for title, votes, movie_id in titles:
        found = tier(title, typed)
        if found is not None:
            ranked.append((found, -votes, movie_id))
    return [movie_id for *_rank, movie_id in sorted(ranked)]


def test_every_entry_holds_the_best_films_or_all_of_them(sample_build: Build) -> None:
    movies = sample_build.artefacts.movies
    titles = [(fold(m["titulo"]), m["votos"], m["id"]) for m in movies.values()]
    entries = dict(search_index.prefix_entries(movies))
    for prefix, raw in entries.items():
        flag, _, ids = raw.decode().partition("|")
        listed = [int(i) for i in ids.split(",")]
        expected = _matches(titles, prefix)
        if flag == search_index.COMPLETE:
            assert listed == expected, prefix
        else:
            assert flag == search_index.TRUNCATED
            assert len(expected) > search_index.SHOWN
            assert listed == expected[: search_index.SHOWN], prefix


def test_deeper_prefixes_only_while_many_films_share_them(sample_build: Build) -> None:
    movies = sample_build.artefacts.movies
    entries = dict(search_index.prefix_entries(movies))
    every_prefix = {
        title[start:][:length]
        for title in (fold(m["titulo"]) for m in movies.values())
        for start in word_starts(title)
        for length in range(1, len(title) - start + 1)
    }
    # A few entries per title, not one per letter typed.
    assert len(entries) < len(every_prefix) / 5
    for prefix in entries:
        if len(prefix) > 1:
            parent = entries[prefix[:-1]].decode()
            assert parent.startswith(search_index.TRUNCATED + "|"), prefix


def test_cards_carry_what_a_result_shows(sample_build: Build) -> None:
    movie = sample_build.artefacts.movies[862]
    assert orjson.loads(search_index.card(movie)) == [
        862,
        "Toy Story",
        1995,
        movie["popularidad"],
        movie["votos"],
        movie["poster_path"],
        "toy story",
    ]
