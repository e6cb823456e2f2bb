"""The ETL on the repo's real sample agrees with an independent plain-pandas computation."""

import json

import pytest

from etl import layout
from etl.pipeline import Build
from shared.schemas import ActorStats, DirectorStats, Movie, record_adapter
from shared.text import name_key, title_key
from tests import independent


def test_month_and_weekday_counts(sample_build: Build) -> None:
    expected = independent.movies()
    assert sample_build.artefacts.months == expected["date"].dt.month.value_counts().to_dict()
    assert sample_build.artefacts.weekdays == expected["date"].dt.day_of_week.value_counts().to_dict()
    assert sum(sample_build.artefacts.months.values()) == len(expected)


def test_every_title_row_matches(sample_build: Build) -> None:
    expected = independent.movies()
    titles = sample_build.artefacts.titles
    assert sum(len(group) for group in titles.values()) == len(expected)
    for row in expected.itertuples():
        group = titles[title_key(row.title)]
        found = [m for m in group if m["id"] == row.id]
        assert len(found) == 1, row.title
        movie = record_adapter(Movie).validate_python(found[0])
        assert movie["titulo"] == row.title
        assert movie["anio"] == row.date.year
        assert movie["fecha_estreno"] == row.date.strftime("%Y-%m-%d")
        assert movie["popularidad"] == pytest.approx(row.popularity)
        assert movie["votos"] == row.vote_count
        assert movie["promedio"] == pytest.approx(row.vote_average)
        assert movie["retorno"] == pytest.approx(row.ret)


def test_shared_titles_most_voted_first(sample_build: Build) -> None:
    shared = [group for group in sample_build.artefacts.titles.values() if len(group) > 1]
    assert shared, "the sample holds titles shared by several films"
    for group in shared:
        assert [m["votos"] for m in group] == sorted((m["votos"] for m in group), reverse=True)


def test_actor_and_director_stats(sample_build: Build) -> None:
    hanks = record_adapter(ActorStats).validate_python(
        sample_build.artefacts.actors[name_key("Tom Hanks")][0]
    )
    films = independent.actor_films(hanks["person_id"])
    assert hanks["cantidad_filmaciones"] == len(films)
    assert hanks["retorno_total"] == pytest.approx(films["ret"].sum())
    assert hanks["retorno_promedio"] == pytest.approx(films["ret"].sum() / len(films))

    spielberg = record_adapter(DirectorStats).validate_python(
        sample_build.artefacts.directors[name_key("Steven Spielberg")][0]
    )
    films = independent.director_films(spielberg["person_id"])
    assert [p["id"] for p in spielberg["peliculas"]] == films["id"].tolist()
    assert spielberg["retorno_total"] == pytest.approx(films["ret"].sum())
    for film, row in zip(spielberg["peliculas"], films.itertuples(), strict=True):
        assert film["ganancia"] == pytest.approx(row.revenue - row.budget)
        assert film["costo"] == pytest.approx(row.budget)


def test_tables_and_quality_report_on_disk(sample_build: Build) -> None:
    folder = layout.latest_build(sample_build.folder.parent.parent)
    assert folder == sample_build.folder
    for name in (layout.MOVIES, layout.CAST, layout.DIRECTORS, layout.QUALITY):
        assert (folder / name).stat().st_size > 0
    report = json.loads((folder / layout.QUALITY).read_text())
    assert report["movie_rows_read"] == 2000
    assert report["clean_movies"] == len(independent.movies())
    assert report["dropped"]["id_repetido"] == 1


def test_the_model_covers_the_whole_catalogue(sample_build: Build) -> None:
    toy_story = 862
    assert sample_build.model.matrix.shape[0] == len(sample_build.movies)
    top = sample_build.model.top_k(toy_story, 5)
    assert len(top) == 5
    assert toy_story not in [pick.movie_id for pick in top]
    assert all(pick.movie_id in sample_build.artefacts.movies for pick in top)
    assert [p.puntuacion for p in top] == sorted((p.puntuacion for p in top), reverse=True)
