"""The evaluation's split never leaks: a tuning run cannot read held-out seeds."""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks.recommender_split import ground_truth, is_held_out, liked_sets, tuning_likes
from benchmarks.recommender_tuning import Candidate, TuningHalf, tune, tuning_half
from etl.recommender import DEFAULT_PARAMS, DEFAULT_PRIOR, DEFAULT_WEIGHTS

GENRES = ["Action", "Comedy", "Drama", "Horror"]
FILMS = 40
USERS = 80


def _catalogue() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(3)
    movies = pd.DataFrame(
        {
            "id": np.arange(1, FILMS + 1),
            "title": [f"Film {i}" for i in range(1, FILMS + 1)],
            "release_year": rng.integers(1970, 2015, FILMS),
            "overview": [f"story about {GENRES[i % 4].lower()} and things {i % 7}" for i in range(FILMS)],
            "tagline": None,
            "genres": [[GENRES[i % 4]] for i in range(FILMS)],
            "collection_id": [float(i % 5) if i < 10 else None for i in range(FILMS)],
            "collection_name": [f"Saga {i % 5}" if i < 10 else None for i in range(FILMS)],
            "original_language": "en",
            "vote_count": rng.integers(10, 5000, FILMS),
            "vote_average": rng.uniform(4, 9, FILMS).round(1),
            "production_companies": [[f"Studio {i % 3}"] for i in range(FILMS)],
        }
    )
    cast = pd.DataFrame(
        [(m, 1000 + m % 6, f"Actor {m % 6}", 0) for m in range(1, FILMS + 1)],
        columns=["movie_id", "person_id", "name", "order"],
    )
    directors = pd.DataFrame(
        [(m, 2000 + m % 4, f"Director {m % 4}") for m in range(1, FILMS + 1)],
        columns=["movie_id", "person_id", "name"],
    )
    return movies, cast, directors


def _ratings(seed: int, held_out_noise: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Users like most films of one genre; `seed` re-draws every held-out film's ratings only."""
    base, other = np.random.default_rng(11), np.random.default_rng(seed)
    rows = []
    for user in range(1, USERS + 1):
        taste = user % 4
        for movie in range(1, FILMS + 1):
            rng = other if (held_out_noise and is_held_out(movie)) else base
            liked = (movie - 1) % 4 == taste or rng.random() < 0.45
            rows.append((user, movie, 4.5 if liked else 2.0))
    links = pd.DataFrame(
        {"movieId": range(1, FILMS + 1), "imdbId": range(FILMS), "tmdbId": range(1, FILMS + 1)}
    )
    return pd.DataFrame(rows, columns=["userId", "movieId", "rating"]), links


def _half(ratings: pd.DataFrame, links: pd.DataFrame) -> TuningHalf:
    movies, cast, directors = _catalogue()
    return tuning_half(movies, cast, directors, set(range(1, FILMS + 1)), ratings=ratings, links=links)


def test_the_split_rule_is_by_id_parity() -> None:
    assert [is_held_out(m) for m in (862, 863, 238, 11)] == [False, True, False, True]


def test_tuning_likes_hold_no_held_out_film() -> None:
    ratings, links = _ratings(1, held_out_noise=True)
    likes = tuning_likes(ratings, links)
    assert likes and not any(is_held_out(m) for m in likes)
    assert any(is_held_out(m) for m in liked_sets(ratings, links))


def test_a_tuning_run_sees_no_held_out_seed_and_does_not_depend_on_their_ratings() -> None:
    first = _half(*_ratings(1, held_out_noise=True))
    second = _half(*_ratings(2, held_out_noise=True))
    for half in (first, second):
        assert half.truth.seeds and not any(is_held_out(s) for s in half.truth.seeds)
        assert not any(is_held_out(m) for near in half.truth.neighbours.values() for m in near)
        assert not any(is_held_out(m) for m in half.truth.likes)
        allowed = half.movies.loc[half.allowed, "id"].astype(int)
        assert not any(is_held_out(m) for m in allowed)
    assert first.truth == second.truth
    start = Candidate(DEFAULT_WEIGHTS, DEFAULT_PRIOR, DEFAULT_PARAMS)
    assert tune(first, start) == tune(second, start)


def test_the_held_out_ratings_do_change_the_held_out_judgement() -> None:
    """The re-drawn ratings matter where they should: the held-out ground truth sees them."""
    movies, _, _ = _catalogue()
    films = set(movies["id"].astype(int))
    held_out = {m for m in films if is_held_out(m)}
    groups = {m: m for m in films}
    truths = [
        ground_truth(liked_sets(*_ratings(s, held_out_noise=True)), films, groups, held_out) for s in (1, 2)
    ]
    assert truths[0].seeds and all(is_held_out(s) for s in truths[0].seeds)
    assert truths[0].neighbours != truths[1].neighbours
