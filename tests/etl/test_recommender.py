"""The recommender's math on a small hand-made catalogue: ranking, exclusions, serialisation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from etl.recommender import fit
from etl.recommender_model import RecommenderModel

SPACE = "An astronaut crew travels through space to save a dying planet from a black hole"


def _movie(
    movie_id: int, title: str, year: int, overview: str, genres: list[str], **extra: object
) -> dict[str, object]:
    row: dict[str, object] = {
        "id": movie_id,
        "title": title,
        "release_year": year,
        "overview": overview,
        "tagline": None,
        "genres": genres,
        "collection_id": None,
        "collection_name": None,
        "original_language": "en",
        "vote_count": 100,
        "production_companies": [],
    }
    row.update(extra)
    return row


@pytest.fixture
def catalogue() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    movies = pd.DataFrame(
        [
            _movie(
                1,
                "Toy Story",
                1995,
                "Toys come to life when their owner leaves the room",
                ["Animation", "Family"],
                collection_id=10,
                collection_name="Toy Story Collection",
                vote_count=5000,
            ),
            _movie(
                2,
                "Toy Story 2",
                1999,
                "A collector kidnaps a cowboy toy and his friends rescue him",
                ["Animation", "Family"],
                collection_id=10,
                collection_name="Toy Story Collection",
                vote_count=4000,
            ),
            _movie(3, "Interstellar", 2014, SPACE, ["Science Fiction", "Drama"], vote_count=11000),
            _movie(4, "Interstellar", 2014, SPACE, ["Science Fiction", "Drama"], vote_count=11000),
            _movie(
                5,
                "Gravity",
                2013,
                "An astronaut is stranded in space after debris destroys her shuttle",
                ["Science Fiction", "Thriller"],
                vote_count=7000,
            ),
            _movie(
                6,
                "Sunshine",
                2007,
                "A crew travels to the dying sun to reignite it with a bomb in space",
                ["Science Fiction", "Thriller"],
                vote_count=1500,
            ),
            _movie(
                7,
                "Notting Hill",
                1999,
                "A bookshop owner falls in love with a famous actress",
                ["Romance", "Comedy"],
            ),
            _movie(8, "Silent Film", 1925, "", [], original_language="xx", vote_count=0),
            _movie(
                9,
                "A Bug's Life",
                1998,
                "An ant recruits circus bugs to fight greedy grasshoppers",
                ["Animation", "Family"],
                vote_count=3000,
            ),
        ]
    )
    cast = pd.DataFrame(
        [
            (1, 31, "Tom Hanks", "Woody", 0),
            (2, 31, "Tom Hanks", "Woody", 0),
            (3, 10297, "Matthew McConaughey", "Cooper", 0),
            (4, 10297, "Matthew McConaughey", "Cooper", 0),
            (7, 2888, "Hugh Grant", "William", 0),
        ],
        columns=["movie_id", "person_id", "name", "character", "order"],
    )
    directors = pd.DataFrame(
        [
            (1, 7879, "John Lasseter"),
            (2, 7879, "John Lasseter"),
            (9, 7879, "John Lasseter"),
            (3, 525, "Christopher Nolan"),
            (4, 525, "Christopher Nolan"),
        ],
        columns=["movie_id", "person_id", "name"],
    )
    return movies, cast, directors


def test_most_similar_first_and_self_and_duplicates_excluded(catalogue: tuple[pd.DataFrame, ...]) -> None:
    model = fit(*catalogue)
    top = model.top_k(1, k=5)
    ids = [pick.movie_id for pick in top]
    assert ids[0] == 2  # the sequel: same collection, director, star and genres
    assert 1 not in ids
    scores = [pick.puntuacion for pick in top]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < pick.similitud <= 1.0 for pick in top)
    # similitud is the cosine of the two rows, whatever the ranking did with it.
    row = model.row_of(1)
    for pick in top:
        cosine = float(model.matrix[row].multiply(model.matrix[pick.row]).sum())
        assert pick.similitud == pytest.approx(cosine, abs=1e-5)
    # Interstellar is published twice (same title and year): neither copy recommends the other.
    space = [pick.movie_id for pick in model.top_k(3, k=5)]
    assert 4 not in space and 3 not in space
    assert space[0] in {5, 6}


def test_a_film_published_twice_appears_once(catalogue: tuple[pd.DataFrame, ...]) -> None:
    ids = [pick.movie_id for pick in fit(*catalogue).top_k(5, k=5)]
    assert len({3, 4} & set(ids)) == 1
    assert len(ids) == len(set(ids))


def test_unknown_movie_and_film_without_text(catalogue: tuple[pd.DataFrame, ...]) -> None:
    model = fit(*catalogue)
    assert model.top_k(999) == []
    assert 999 not in model
    assert len(model.top_k(8, k=5)) <= 5  # no crash for a film with no words at all


def test_model_is_sparse_float32_and_normalised(catalogue: tuple[pd.DataFrame, ...]) -> None:
    model = fit(*catalogue)
    assert sparse.issparse(model.matrix) and model.matrix.format == "csr"
    assert model.matrix.dtype == np.float32
    norms = np.sqrt(np.asarray(model.matrix.multiply(model.matrix).sum(axis=1)).ravel())
    assert np.allclose(norms[norms > 0], 1.0, atol=1e-5)
    assert model.matrix.nnz < model.matrix.shape[0] * model.matrix.shape[1]


def test_redis_fields_round_trip(catalogue: tuple[pd.DataFrame, ...]) -> None:
    model = fit(*catalogue)
    fields = model.to_redis_fields()
    assert all(isinstance(value, bytes) for value in fields.values())
    again = RecommenderModel.from_redis_fields({k.encode(): v for k, v in fields.items()})
    for movie in model.ids:
        assert again.top_k(int(movie)) == model.top_k(int(movie))
    assert again.params == model.params


def test_model_hash_missing_fields_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="matrix"):
        RecommenderModel.from_redis_fields({b"ids": b""})
