"""The motivos are true of the data: checked on the repo's sample against the raw Kaggle files."""

from __future__ import annotations

import ast
import csv
import gzip
from dataclasses import dataclass, field

import pytest

from etl.pipeline import Build
from shared.reasons import reasons
from shared.spanish_names import genre, language
from tests.conftest import SAMPLE_DATA

csv.field_size_limit(1 << 30)


@dataclass
class RawFilm:
    """What the raw files say about one film, parsed here independently of the ETL."""

    collection: str | None = None
    genres: set[str] = field(default_factory=set)
    language: str = ""
    directors: set[str] = field(default_factory=set)
    cast: set[str] = field(default_factory=set)


def _literal(text: str) -> object:
    try:
        return ast.literal_eval(text) if text else None
    except (ValueError, SyntaxError):
        return None


@pytest.fixture(scope="module")
def raw_films() -> dict[int, RawFilm]:
    films: dict[int, RawFilm] = {}
    with gzip.open(SAMPLE_DATA / "movies_metadata.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["id"].isdigit() or int(row["id"]) in films:
                continue
            collection = _literal(row["belongs_to_collection"])
            genres = _literal(row["genres"])
            films[int(row["id"])] = RawFilm(
                collection=collection.get("name") if isinstance(collection, dict) else None,
                genres={g["name"] for g in genres} if isinstance(genres, list) else set(),
                language=row["original_language"],
            )
    with gzip.open(SAMPLE_DATA / "credits.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            film = films.get(int(row["id"])) if row["id"].isdigit() else None
            if film is None:
                continue
            crew, cast = _literal(row["crew"]), _literal(row["cast"])
            if isinstance(crew, list):
                film.directors |= {p["name"] for p in crew if p.get("job") == "Director"}
            if isinstance(cast, list):
                film.cast |= {p["name"] for p in cast}
    return films


def _names(reason: str, prefix: str) -> list[str]:
    return reason.removeprefix(prefix).split(", ")


def _check(reason: str, seed: RawFilm, pick: RawFilm) -> None:
    if reason.startswith("Misma saga: "):
        assert seed.collection == pick.collection == reason.removeprefix("Misma saga: ")
    elif reason.startswith(("Mismo director: ", "Mismos directores: ")):
        for name in reason.split(": ", 1)[1].split(", "):
            assert name in seed.directors and name in pick.directors, reason
    elif reason.startswith("Comparte reparto: "):
        for name in _names(reason, "Comparte reparto: "):
            assert name in seed.cast and name in pick.cast, reason
    elif reason.startswith(("Género: ", "Géneros: ")):
        shared = {genre(g) for g in seed.genres & pick.genres}
        assert set(reason.split(": ", 1)[1].split(", ")) <= shared, reason
    elif reason.startswith("Mismo idioma original: "):
        assert language(seed.language) == language(pick.language) == reason.split(": ", 1)[1]
    else:
        pytest.fail(f"unknown reason {reason!r}")


def test_every_reason_of_every_pick_is_true_of_the_raw_files(
    sample_build: Build, raw_films: dict[int, RawFilm]
) -> None:
    model = sample_build.model
    seeds = sample_build.movies.sort_values("vote_count", ascending=False)["id"].astype(int).head(150)
    checked = 0
    seen_kinds: set[str] = set()
    for seed in seeds.tolist():
        for pick in model.top_k(seed):
            motivos = reasons(model.reasons(seed, pick.movie_id))
            assert len(motivos) <= 3
            for reason in motivos:
                _check(reason, raw_films[seed], raw_films[pick.movie_id])
                seen_kinds.add(reason.split(":", 1)[0])
                checked += 1
            # The saga comes first whenever the raw files say both films belong to one.
            both = raw_films[seed].collection
            if both is not None and both == raw_films[pick.movie_id].collection:
                assert motivos[0] == f"Misma saga: {both}"
    assert checked > 300
    assert {"Misma saga", "Mismo director", "Comparte reparto", "Géneros"} <= seen_kinds


def test_the_godfather_reasons_name_the_saga_the_director_and_the_star(sample_build: Build) -> None:
    model = sample_build.model
    sequel = next(p for p in model.top_k(238) if p.movie_id == 240)
    assert reasons(model.reasons(238, sequel.movie_id)) == [
        "Misma saga: The Godfather Collection",
        "Mismo director: Francis Ford Coppola",
        "Comparte reparto: Al Pacino",
    ]


def test_genres_are_written_in_spanish_and_ordered_reasons_capped() -> None:
    shared = {
        "genres": ["Animation", "Family"],
        "cast": ["Tom Hanks", "Tim Allen", "Don Rickles"],
        "directors": ["John Lasseter"],
        "collection": ["Toy Story Collection"],
        "language": ["ja"],
    }
    assert reasons(shared) == [
        "Misma saga: Toy Story Collection",
        "Mismo director: John Lasseter",
        "Comparte reparto: Tom Hanks, Tim Allen",
    ]
    assert reasons({"genres": ["Animation", "Family"]}) == ["Géneros: Animación, Familia"]
    assert reasons({"genres": ["Science Fiction"], "language": ["ja"]}) == [
        "Género: Ciencia ficción",
        "Mismo idioma original: japonés",
    ]
    # English is what nearly every film is in: not a reason.
    assert reasons({"language": ["en"]}) == []
