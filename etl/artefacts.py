"""Everything the seven queries need, precomputed so each answer is one Redis lookup.

Records are plain dicts with exactly the fields of `shared.schemas` (Movie, ActorStats,
DirectorStats): building 200k pydantic objects would triple the ETL's time, and a test checks
every published record against those schemas.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from shared.text import name_key, title_key

Record = dict[str, Any]


@dataclass(frozen=True)
class QueryArtefacts:
    months: dict[int, int]
    weekdays: dict[int, int]
    movies: dict[int, Record]
    titles: dict[str, list[Record]]
    actors: dict[str, list[Record]]
    directors: dict[str, list[Record]]
    title_catalog: list[tuple[int, str, int, int]]
    actor_catalog: list[tuple[str, int]]
    director_catalog: list[tuple[str, int]]


def _optional_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _optional_float(value: Any) -> float | None:
    return None if value is None or value != value else float(value)  # noqa: PLR0124 - NaN


def movie_records(movies: pd.DataFrame, directors: pd.DataFrame) -> dict[int, Record]:
    """Movie id -> `shared.schemas.Movie` fields."""
    # A dict of lists: groupby(...).agg(list) builds one Series per film, ~40k of them.
    directing: dict[int, list[str]] = {}
    for movie_id, name in zip(directors["movie_id"].tolist(), directors["name"].tolist(), strict=True):
        directing.setdefault(movie_id, []).append(name)
    records: dict[int, Record] = {}
    columns = (
        "id", "title", "release_year", "release_date", "release_month", "release_weekday", "popularity",
        "vote_count", "vote_average", "budget", "revenue", "return", "runtime", "poster_path", "genres",
    )  # fmt: skip
    for row in zip(*(movies[column].tolist() for column in columns), strict=True):
        movie_id, title, year, date, month, weekday, popularity, votes, average = row[:9]
        budget, revenue, ret, runtime, poster, genres = row[9:]
        records[int(movie_id)] = {
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
    return records


def title_index(movies: dict[int, Record]) -> dict[str, list[Record]]:
    """Title key -> every movie with that title; the most voted answers by default."""
    groups: dict[str, list[Record]] = defaultdict(list)
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


def _by_name(records: list[Record], films: str) -> dict[str, list[Record]]:
    """Group people by name key; homonyms share a key, the one with most films first."""
    index: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        index[name_key(record["nombre"])].append(record)
    for people in index.values():
        if len(people) > 1:  # most names are one person's: no key to compute
            people.sort(key=lambda p: (-_count(p[films]), p["person_id"]))
    return dict(index)


def _count(value: Any) -> int:
    return len(value) if isinstance(value, list) else int(value)


def actor_index(cast: pd.DataFrame, movies: pd.DataFrame) -> dict[str, list[Record]]:
    """Name key -> `ActorStats` fields of people credited in the cast under that name."""
    if cast.empty:
        return {}
    credited = cast[["movie_id", "person_id"]].drop_duplicates()
    returns = movies.set_index("id")["return"]
    credited = credited.assign(ret=credited["movie_id"].map(returns).fillna(0.0))
    stats = credited.groupby("person_id").agg(films=("movie_id", "size"), total=("ret", "sum"))
    names = _display_names(cast)
    records = [
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
    return _by_name(records, "cantidad_filmaciones")


def director_index(directors: pd.DataFrame, movies: pd.DataFrame) -> dict[str, list[Record]]:
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
    people: dict[int, Record] = {}
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
    return _by_name(list(people.values()), "peliculas")


def _counts(column: pd.Series) -> dict[int, int]:
    counts = column.value_counts()
    return dict(zip(map(int, counts.index.tolist()), map(int, counts.tolist()), strict=True))


def build_artefacts(movies: pd.DataFrame, cast: pd.DataFrame, directors: pd.DataFrame) -> QueryArtefacts:
    records = movie_records(movies, directors)
    actors = actor_index(cast, movies)
    directing = director_index(directors, movies)
    return QueryArtefacts(
        months=_counts(movies["release_month"]),
        weekdays=_counts(movies["release_weekday"]),
        movies=records,
        titles=title_index(records),
        actors=actors,
        directors=directing,
        title_catalog=[(m["id"], m["titulo"], m["anio"], m["votos"]) for m in records.values()],
        actor_catalog=[(p["nombre"], p["cantidad_filmaciones"]) for g in actors.values() for p in g],
        director_catalog=[(p["nombre"], len(p["peliculas"])) for g in directing.values() for p in g],
    )
