"""The five's rules: at most 3 from one collection, no title twice, a collection sibling always in."""

from __future__ import annotations

import pandas as pd

from etl.recommender import fit
from etl.recommender_model import RecommenderModel

NO_PEOPLE = pd.DataFrame(columns=["movie_id", "person_id", "name", "order"])
NO_DIRECTORS = pd.DataFrame(columns=["movie_id", "person_id", "name"])


def _film(movie_id: int, title: str, year: int, **extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": movie_id,
        "title": title,
        "release_year": year,
        "overview": "A wizard school adventure with magic spells and a dark lord",
        "tagline": None,
        "genres": ["Fantasy", "Adventure"],
        "collection_id": None,
        "collection_name": None,
        "original_language": "en",
        "vote_count": 1000,
        "vote_average": 7.0,
        "production_companies": ["Warner Bros."],
    }
    row.update(extra)
    return row


def _saga(count: int, first_id: int = 1) -> list[dict[str, object]]:
    return [
        _film(
            first_id + i,
            f"Wizard Part {i + 1}",
            2001 + i,
            collection_id=77,
            collection_name="Wizard Collection",
        )
        for i in range(count)
    ]


def _model(rows: list[dict[str, object]]) -> RecommenderModel:
    return fit(pd.DataFrame(rows), NO_PEOPLE, NO_DIRECTORS)


def _collection_of(rows: list[dict[str, object]]) -> dict[int, object]:
    return {int(str(r["id"])): r["collection_id"] for r in rows}


def test_at_most_three_of_the_five_from_one_collection() -> None:
    others = [_film(100 + i, f"Magic Film {i}", 2000 + i) for i in range(6)]
    rows = _saga(8) + others
    picks = _model(rows).top_k(1, 5)
    collection = _collection_of(rows)
    assert len(picks) == 5
    assert sum(collection[p.movie_id] == 77 for p in picks) == 3
    # The saga's films score higher (same collection): the cap, not the scores, let the others in.
    assert {p.movie_id for p in picks} & {100 + i for i in range(6)}


def test_the_cap_gives_way_when_the_collection_is_all_there_is() -> None:
    picks = _model(_saga(8)).top_k(1, 5)
    assert len(picks) == 5
    assert all(2 <= p.movie_id <= 8 for p in picks)


def test_no_title_twice_among_the_five() -> None:
    remakes = [_film(200 + i, "The Sorcerer", 1950 + 10 * i) for i in range(4)]
    rows = [
        _film(1, "Wizard", 2001),
        *remakes,
        *(_film(300 + i, f"Spellbound {i}", 1990 + i) for i in range(6)),
    ]
    picks = _model(rows).top_k(1, 5)
    titles = {int(str(r["id"])): r["title"] for r in rows}
    chosen = [titles[p.movie_id] for p in picks]
    assert len(picks) == 5
    assert len(chosen) == len(set(chosen))
    assert "The Sorcerer" in chosen


def test_a_collection_sibling_is_in_the_five_even_when_little_alike_and_little_known() -> None:
    sibling = _film(
        2,
        "Wizard: The Documentary",
        2020,
        overview="Interviews with the crew about the making of the films",
        genres=["Documentary"],
        vote_count=3,
        vote_average=5.0,
        collection_id=77,
        collection_name="Wizard Collection",
        production_companies=["Tiny Docs"],
    )
    lookalikes = [_film(100 + i, f"Magic Film {i}", 2001, vote_count=5000) for i in range(10)]
    rows = [
        _film(1, "Wizard", 2001, collection_id=77, collection_name="Wizard Collection"),
        sibling,
        *lookalikes,
    ]
    picks = _model(rows).top_k(1, 5)
    assert len(picks) == 5
    assert 2 in {p.movie_id for p in picks}
