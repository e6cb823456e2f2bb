"""People: directors and actors ranked by the total return of their films (as /get_director, /get_actor)."""

from __future__ import annotations

import pandas as pd

from etl.eda import spanish
from etl.eda.finding import Finding, Table
from etl.eda.findings_quality import IMPLAUSIBLE_DOLLARS

TOP = 15
# Above this share of a person's total, one film decides the ranking and the sentence says so.
DOMINANT_SHARE = 0.5


def return_by_person(people_credits: pd.DataFrame, movies: pd.DataFrame) -> pd.DataFrame:
    """Per person id: name, distinct films, total return, and the film that contributes the most."""
    pairs = people_credits[["movie_id", "person_id", "name"]].drop_duplicates(["movie_id", "person_id"])
    films = movies[["id", "title", "release_year", "budget", "return"]].rename(columns={"id": "movie_id"})
    joined = pairs.merge(films, on="movie_id", how="inner")
    grouped = joined.groupby("person_id", sort=False)
    people = pd.DataFrame(
        {
            "nombre": grouped["name"].first(),
            "peliculas": grouped["movie_id"].size(),
            "retorno_total": grouped["return"].sum(),
        }
    )
    best = joined.sort_values(["return", "movie_id"], ascending=[False, True]).drop_duplicates("person_id")
    best = best.set_index("person_id")
    people["mejor_pelicula"] = best["title"] + " (" + best["release_year"].astype(str) + ")"
    people["retorno_mejor"] = best["return"]
    people["presupuesto_mejor"] = best["budget"]
    return people.sort_values(["retorno_total", "peliculas"], ascending=[False, False])


def plausible(movies: pd.DataFrame) -> pd.DataFrame:
    """The films whose budget, when known, is a believable amount (no 1-dollar budgets)."""
    return movies[(movies["budget"] <= 0) | (movies["budget"] >= IMPLAUSIBLE_DOLLARS)]


def _table(people: pd.DataFrame, caption: str) -> Table:
    return Table(
        caption,
        ["Nombre", "Películas", "Retorno total", "Película que más aporta", "Su retorno"],
        [
            [
                str(r["nombre"]),
                spanish.integer(r["peliculas"]),
                spanish.number(r["retorno_total"]),
                str(r["mejor_pelicula"]),
                spanish.number(r["retorno_mejor"]),
            ]
            for _, r in people.iterrows()
        ],
    )


def _ranking(people_credits: pd.DataFrame, movies: pd.DataFrame, key: str, title: str, role: str) -> Finding:
    people = return_by_person(people_credits, movies)
    cleaned = return_by_person(people_credits, plausible(movies))
    plural = f"{role}es"
    with_return = int((people["retorno_total"] > 0).sum())
    numbers: dict[str, int | float | str] = {"personas": len(people), "con_retorno": with_return}
    if people.empty or people["retorno_total"].iloc[0] <= 0:
        sentence = (
            f"Ningún {role} tiene películas con presupuesto e ingresos conocidos: no hay retorno que ordenar."
        )
        return Finding(key, title, sentence, numbers, pd.DataFrame())
    top = people.iloc[0]
    share = float(top["retorno_mejor"] / top["retorno_total"])
    numbers.update(
        {
            "primero": str(top["nombre"]),
            "retorno_total_primero": float(top["retorno_total"]),
            "peliculas_primero": int(top["peliculas"]),
            "mejor_pelicula_primero": str(top["mejor_pelicula"]),
            "proporcion_mejor_pelicula": share,
        }
    )
    sentence = (
        f"{top['nombre']} encabeza la lista con un retorno total de {spanish.number(top['retorno_total'])} "
        f"en {spanish.integer(top['peliculas'])} películas"
    )
    if share > DOMINANT_SHARE:
        portion = "prácticamente todo" if share > 0.999 else f"el {spanish.percent(share)} de"
        sentence += f", pero {top['mejor_pelicula']} aporta {portion} ese total"
        if 0 < top["presupuesto_mejor"] < IMPLAUSIBLE_DOLLARS:
            sentence += f" con un presupuesto registrado de {spanish.money(top['presupuesto_mejor'])}"
    sentence += "."
    if not cleaned.empty and cleaned["retorno_total"].iloc[0] > 0:
        clean_top = cleaned.iloc[0]
        numbers.update(
            {
                "primero_sin_inverosimiles": str(clean_top["nombre"]),
                "retorno_total_sin_inverosimiles": float(clean_top["retorno_total"]),
                "peliculas_sin_inverosimiles": int(clean_top["peliculas"]),
            }
        )
        sentence += (
            f" Sin las películas de presupuesto inverosímil (menos de {spanish.integer(IMPLAUSIBLE_DOLLARS)} "
            f"dólares) encabeza {clean_top['nombre']}, con {spanish.number(clean_top['retorno_total'])} en "
            f"{spanish.integer(clean_top['peliculas'])} películas."
        )
    sentence += (
        f" Solo {spanish.integer(with_return)} de {spanish.integer(len(people))} {plural} tienen algún "
        "retorno: vale 0 cuando el presupuesto es desconocido."
    )
    head, clean_head = people.head(TOP), cleaned.head(TOP)
    tables = [
        _table(head, f"Los {len(head)} {plural} con mayor retorno total (como lo calcula la API)"),
        _table(
            clean_head,
            f"Los {len(clean_head)} {plural} con mayor retorno total, sin presupuestos inverosímiles",
        ),
    ]
    data = pd.concat(
        [head.reset_index().assign(criterio="todas"), clean_head.reset_index().assign(criterio="plausibles")],
        ignore_index=True,
    )
    return Finding(key, title, sentence, numbers, data, tables)


def directors_by_return(directors: pd.DataFrame, movies: pd.DataFrame) -> Finding:
    return _ranking(directors, movies, "directores_retorno", "Directores por retorno total", "director")


def actors_by_return(cast: pd.DataFrame, movies: pd.DataFrame) -> Finding:
    return _ranking(cast, movies, "actores_retorno", "Actores por retorno total", "actor")
