"""Everything the seven queries need, precomputed so each answer is one Redis lookup.

Records are the TypedDicts of `shared.schemas` (Movie, ActorStats, DirectorStats): plain dicts,
since building 200k objects would triple the ETL's time; a test validates every published record
against its declaration.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from shared.schemas import (
    ActorStats,
    CalendarCounts,
    DirectorStats,
    Movie,
    PersonCatalogRow,
    TitleCatalogRow,
)
from shared.text import name_key, title_key

_Person = TypeVar("_Person", ActorStats, DirectorStats)


@dataclass(frozen=True)
class QueryArtefacts:
    months: CalendarCounts
    weekdays: CalendarCounts
    movies: dict[int, Movie]
    titles: dict[str, list[Movie]]
    actors: dict[str, list[ActorStats]]
    directors: dict[str, list[DirectorStats]]
    title_catalog: list[TitleCatalogRow]
    actor_catalog: list[PersonCatalogRow]
    director_catalog: list[PersonCatalogRow]


def _optional_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _optional_float(value: Any) -> float | None:
    return None if value is None or value != value else float(value)  # noqa: PLR0124 - NaN


# Rows turned into Python objects at a time: a whole column's objects at once cost ~25 MB each at
# ten times the catalogue.
_ROWS = 50_000
MOVIE_COLUMNS = (
    "id", "title", "release_year", "release_date", "release_month", "release_weekday", "popularity",
    "vote_count", "vote_average", "budget", "revenue", "return", "runtime", "poster_path", "genres",
)  # fmt: skip


def movie_rows(movies: pd.DataFrame, directors: pd.DataFrame) -> Iterator[Movie]:
    """Each row's `shared.schemas.Movie`, in the table's order, made one at a time."""
    # A dict of lists: groupby(...).agg(list) builds one Series per film, ~40k of them.
    directing: dict[int, list[str]] = {}
    for movie_id, name in zip(directors["movie_id"].tolist(), directors["name"].tolist(), strict=True):
        directing.setdefault(movie_id, []).append(name)
    for first in range(0, len(movies), _ROWS):
        part = movies.iloc[first : first + _ROWS]
        yield from _movie_part(part, directing)


def _movie_part(part: pd.DataFrame, directing: dict[int, list[str]]) -> Iterator[Movie]:
    for row in zip(*(part[column].tolist() for column in MOVIE_COLUMNS), strict=True):
        movie_id, title, year, date, month, weekday, popularity, votes, average = row[:9]
        budget, revenue, ret, runtime, poster, genres = row[9:]
        yield {
            "id": int(movie_id),
            "titulo": str(title),
            "anio": int(year),
            "fecha_estreno": date.isoformat(),
            "mes": int(month),
            "dia_semana": int(weekday),
            "popularidad": float(popularity),
            "votos": int(votes),
            "promedio": float(average),
            "presupuesto": float(budget),
            "recaudacion": float(revenue),
            "retorno": float(ret),
            "duracion": _optional_float(runtime),
            "poster_path": _optional_str(poster),
            "generos": [str(g) for g in genres],
            "directores": list(dict.fromkeys(directing.get(int(movie_id), []))),
        }


def movie_records(movies: pd.DataFrame, directors: pd.DataFrame) -> dict[int, Movie]:
    """Movie id -> its `shared.schemas.Movie`."""
    return {movie["id"]: movie for movie in movie_rows(movies, directors)}


def title_index(movies: dict[int, Movie]) -> dict[str, list[Movie]]:
    """Title key -> every movie with that title; the most voted answers by default."""
    groups: dict[str, list[Movie]] = defaultdict(list)
    for movie in movies.values():
        groups[title_key(movie["titulo"])].append(movie)
    for group in groups.values():
        group.sort(key=lambda m: (-m["votos"], -m["popularidad"], m["id"]))
    return dict(groups)


def _display_names(people: pd.DataFrame) -> pd.Series:
    """The name a person is credited with most often (ties: first seen)."""
    counts = people.groupby(["person_id", "name"], sort=False).size().rename("n").reset_index()
    counts = counts.sort_values("n", ascending=False, kind="stable")
    return counts.drop_duplicates("person_id").set_index("person_id")["name"]


def _by_name(records: list[_Person], films: Callable[[_Person], int]) -> dict[str, list[_Person]]:
    """Group people by name key; homonyms share a key, the one with most films first."""
    index: dict[str, list[_Person]] = defaultdict(list)
    for record in records:
        index[name_key(record["nombre"])].append(record)
    for people in index.values():
        if len(people) > 1:  # most names are one person's: no key to compute
            people.sort(key=lambda p: (-films(p), p["person_id"]))
    return dict(index)


def actor_index(cast: pd.DataFrame, movies: pd.DataFrame) -> dict[str, list[ActorStats]]:
    """Name key -> `ActorStats` fields of people credited in the cast under that name."""
    if cast.empty:
        return {}
    credited = cast[["movie_id", "person_id"]].drop_duplicates()
    returns = movies.set_index("id")["return"]
    credited = credited.assign(ret=credited["movie_id"].map(returns).fillna(0.0))
    stats = credited.groupby("person_id").agg(films=("movie_id", "size"), total=("ret", "sum"))
    names = _display_names(cast)
    records: list[ActorStats] = [
        {
            "person_id": int(person_id),
            "nombre": str(name),
            "cantidad_filmaciones": int(films),
            "retorno_total": float(total),
            "retorno_promedio": float(total) / int(films),
        }
        for person_id, films, total, name in zip(
            stats.index.tolist(),
            stats["films"].tolist(),
            stats["total"].tolist(),
            names.reindex(stats.index).tolist(),
            strict=True,
        )
    ]
    return _by_name(records, lambda person: person["cantidad_filmaciones"])


def director_index(directors: pd.DataFrame, movies: pd.DataFrame) -> dict[str, list[DirectorStats]]:
    """Name key -> `DirectorStats` fields, each person's films ordered by release date."""
    if directors.empty:
        return {}
    credited = directors[["movie_id", "person_id"]].drop_duplicates()
    films = credited.merge(
        movies[["id", "title", "release_date", "return", "budget", "revenue"]],
        left_on="movie_id",
        right_on="id",
    )
    films = films.sort_values(["person_id", "release_date", "movie_id"], kind="stable")
    names = _display_names(directors).to_dict()
    people: dict[int, DirectorStats] = {}
    columns = ("person_id", "movie_id", "title", "release_date", "return", "budget", "revenue")
    for person_id, movie_id, title, date, ret, budget, revenue in zip(
        *(films[c].tolist() for c in columns), strict=True
    ):
        person = people.get(person_id)
        if person is None:
            person = people[person_id] = {
                "person_id": int(person_id),
                "nombre": str(names[person_id]),
                "retorno_total": 0.0,
                "peliculas": [],
            }
        person["peliculas"].append(
            {
                "id": int(movie_id),
                "titulo": str(title),
                "fecha_estreno": date.isoformat(),
                "retorno": float(ret),
                "costo": float(budget),
                "recaudacion": float(revenue),
                "ganancia": float(revenue) - float(budget),
            }
        )
    for person in people.values():
        person["retorno_total"] = float(np.sum([film["retorno"] for film in person["peliculas"]]))
    return _by_name(list(people.values()), lambda person: len(person["peliculas"]))


def calendar_counts(column: pd.Series) -> CalendarCounts:
    counts = column.value_counts()
    return dict(zip(map(int, counts.index.tolist()), map(int, counts.tolist()), strict=True))


def build_artefacts(movies: pd.DataFrame, cast: pd.DataFrame, directors: pd.DataFrame) -> QueryArtefacts:
    records = movie_records(movies, directors)
    actors = actor_index(cast, movies)
    directing = director_index(directors, movies)
    return QueryArtefacts(
        months=calendar_counts(movies["release_month"]),
        weekdays=calendar_counts(movies["release_weekday"]),
        movies=records,
        titles=title_index(records),
        actors=actors,
        directors=directing,
        title_catalog=[(m["id"], m["titulo"], m["anio"], m["votos"]) for m in records.values()],
        actor_catalog=[(p["nombre"], p["cantidad_filmaciones"]) for g in actors.values() for p in g],
        director_catalog=[(p["nombre"], len(p["peliculas"])) for g in directing.values() for p in g],
    )
