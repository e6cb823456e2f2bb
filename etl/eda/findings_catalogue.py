"""What the catalogue holds: votes, popularity, runtime; top genres, companies, countries and languages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from etl.eda import spanish
from etl.eda.finding import Finding, Table, top_label

TOP = 15
# The vote count /votos_titulo asks for before it shows a film's votes.
MIN_VOTES_QUERY = 2000


def _film(movies: pd.DataFrame, index: Any) -> str:
    row = movies.loc[index]
    return f"{row['title']} ({int(row['release_year'])})"


def vote_counts(movies: pd.DataFrame) -> Finding:
    votes = movies["vote_count"]
    total = len(votes)
    zero = int((votes == 0).sum())
    enough = int((votes >= MIN_VOTES_QUERY).sum())
    top = top_label(votes)
    numbers: dict[str, int | float | str] = {
        "mediana_votos": float(votes.median()),
        "sin_votos": zero,
        "proporcion_sin_votos": zero / total,
        "con_2000_votos_o_mas": enough,
        "mas_votada": _film(movies, top),
        "votos_mas_votada": int(votes[top]),
    }
    sentence = (
        f"La mediana es de {spanish.number(votes.median())} votos por película: "
        f"{spanish.integer(zero)} ({spanish.percent(zero / total)}) no tienen ninguno y solo "
        f"{spanish.integer(enough)} llegan a los {spanish.integer(MIN_VOTES_QUERY)} votos que exige "
        f"/votos_titulo; la más votada es {numbers['mas_votada']} con {spanish.integer(votes[top])}."
    )
    data = pd.DataFrame({"votos": votes.to_numpy()})
    return Finding("votos", "Cantidad de votos (escala logarítmica)", sentence, numbers, data)


def popularity(movies: pd.DataFrame) -> Finding:
    values = movies["popularity"].dropna()
    if values.empty:
        sentence = "Ninguna película tiene popularidad: no hay distribución que mostrar."
        return Finding(
            "popularidad", "Popularidad (escala logarítmica)", sentence, {}, pd.DataFrame({"popularidad": []})
        )
    top = top_label(values)
    median = float(values.median())
    p99 = float(values.quantile(0.99))
    numbers: dict[str, int | float | str] = {
        "mediana_popularidad": median,
        "percentil_99": p99,
        "mas_popular": _film(movies, top),
        "popularidad_maxima": float(values[top]),
        "sin_popularidad": int(movies["popularity"].isna().sum()),
    }
    sentence = (
        f"La popularidad es muy asimétrica: la mediana es {spanish.decimal(median, 2)}, el 1 % más popular "
        f"supera {spanish.decimal(p99, 2)} y la máxima, {numbers['mas_popular']}, llega a "
        f"{spanish.decimal(values[top], 2)} ({spanish.integer(values[top] / median)} veces la mediana)."
    )
    data = pd.DataFrame({"popularidad": values.to_numpy()})
    return Finding("popularidad", "Popularidad (escala logarítmica)", sentence, numbers, data)


def runtime(movies: pd.DataFrame) -> Finding:
    minutes = movies["runtime"]
    known = minutes[minutes > 0]
    unknown = int(len(minutes) - len(known))
    if known.empty:
        sentence = f"Ninguna de las {spanish.integer(len(minutes))} películas tiene duración conocida."
        return Finding(
            "duracion", "Duración", sentence, {"sin_duracion": unknown}, pd.DataFrame({"minutos": []})
        )
    median = float(known.median())
    feature = int(known.between(80, 120).sum())
    longest = top_label(known)
    numbers: dict[str, int | float | str] = {
        "mediana_minutos": median,
        "entre_80_y_120": feature,
        "proporcion_entre_80_y_120": feature / len(known),
        "sin_duracion": unknown,
        "mas_larga": _film(movies, longest),
        "minutos_mas_larga": float(known[longest]),
    }
    sentence = (
        f"La duración mediana es de {spanish.number(median)} minutos y el "
        f"{spanish.percent(feature / len(known))} dura entre 80 y 120; {spanish.integer(unknown)} películas "
        f"no tienen duración (nula o 0) y la más larga, {numbers['mas_larga']}, dura "
        f"{spanish.integer(known[longest])} minutos."
    )
    data = pd.DataFrame({"minutos": known.to_numpy()})
    return Finding("duracion", "Duración", sentence, numbers, data)


def _films_per_value(movies: pd.DataFrame, column: str) -> pd.Series:
    """How many distinct films list each value of a list column, most first."""
    exploded = movies[column].explode().dropna()
    exploded = exploded[exploded.astype(str).str.strip() != ""]
    pairs = pd.DataFrame({"film": exploded.index, "value": exploded.astype(str).to_numpy()}).drop_duplicates()
    return pairs["value"].value_counts()


def _empty_lists(movies: pd.DataFrame, column: str) -> int:
    return int(movies[column].map(lambda v: v is None or len(v) == 0).sum())


@dataclass(frozen=True)
class _Ranked:
    counts: pd.Series  # films per value, most first
    first: str  # the most frequent value, as a reader calls it
    missing: int  # films with an empty list
    data: pd.DataFrame  # the top values to draw


def _ranked(movies: pd.DataFrame, column: str, noun: str, label: Callable[[str], str]) -> _Ranked:
    counts = _films_per_value(movies, column)
    top = counts.head(TOP)
    data = pd.DataFrame({noun: [label(str(v)) for v in top.index], "peliculas": top.to_numpy()})
    first = label(str(counts.index[0])) if len(counts) else "-"
    return _Ranked(counts, first, _empty_lists(movies, column), data)


def _numbers(ranked: _Ranked, key: str, total: int) -> dict[str, int | float | str]:
    first_films = int(ranked.counts.iloc[0]) if len(ranked.counts) else 0
    return {
        f"{key}_distintos": len(ranked.counts),
        f"{key}_primero": ranked.first,
        f"peliculas_{key}_primero": first_films,
        f"proporcion_{key}_primero": first_films / total,
        "sin_dato": ranked.missing,
    }


def genres(movies: pd.DataFrame) -> Finding:
    ranked = _ranked(movies, "genres", "genero", spanish.genre)
    total = len(movies)
    numbers = _numbers(ranked, "genero", total)
    second = spanish.genre(str(ranked.counts.index[1])) if len(ranked.counts) > 1 else "-"
    numbers["genero_segundo"] = second
    first_films = int(ranked.counts.iloc[0]) if len(ranked.counts) else 0
    sentence = (
        f"{ranked.first} es el género más frecuente: aparece en {spanish.integer(first_films)} películas "
        f"({spanish.percent(first_films / total)}), seguido de {second}; "
        f"{spanish.integer(ranked.missing)} películas no tienen género."
    )
    return Finding("generos", "Géneros más frecuentes", sentence, numbers, ranked.data)


def companies(movies: pd.DataFrame) -> Finding:
    ranked = _ranked(movies, "production_companies", "productora", str)
    total = len(movies)
    first_films = int(ranked.counts.iloc[0]) if len(ranked.counts) else 0
    sentence = (
        f"{ranked.first} es la productora con más películas ({spanish.integer(first_films)}); hay "
        f"{spanish.integer(len(ranked.counts))} productoras distintas y {spanish.integer(ranked.missing)} "
        f"películas ({spanish.percent(ranked.missing / total)}) no declaran ninguna."
    )
    numbers = _numbers(ranked, "productora", total)
    return Finding("productoras", "Productoras con más películas", sentence, numbers, ranked.data)


def countries(movies: pd.DataFrame) -> Finding:
    ranked = _ranked(movies, "production_countries", "pais", spanish.country)
    total = len(movies)
    first_films = int(ranked.counts.iloc[0]) if len(ranked.counts) else 0
    sentence = (
        f"{ranked.first} participa en la producción del {spanish.percent(first_films / total)} de las "
        f"películas ({spanish.integer(first_films)}); en total aparecen "
        f"{spanish.integer(len(ranked.counts))} países y {spanish.integer(ranked.missing)} películas "
        "no declaran ninguno."
    )
    numbers = _numbers(ranked, "pais", total)
    return Finding("paises", "Países de producción", sentence, numbers, ranked.data)


def languages(movies: pd.DataFrame) -> Finding:
    codes = movies["original_language"].dropna().astype(str)
    codes = codes[codes.str.strip() != ""]
    counts = codes.value_counts()
    total = len(movies)
    if counts.empty:
        sentence = "Ninguna película declara su idioma original."
        return Finding(
            "idiomas", "Idioma original", sentence, {}, pd.DataFrame({"idioma": [], "peliculas": []})
        )
    first = str(counts.index[0])
    spanish_films = int(counts.get("es", 0))
    rank = int(np.flatnonzero(counts.index == "es")[0]) + 1 if spanish_films else 0
    numbers: dict[str, int | float | str] = {
        "idiomas_distintos": len(counts),
        "idioma_primero": spanish.language(first),
        "peliculas_idioma_primero": int(counts.iloc[0]),
        "proporcion_idioma_primero": int(counts.iloc[0]) / total,
        "peliculas_en_espanol": spanish_films,
        "puesto_espanol": rank,
    }
    where = f"en el puesto {rank}" if rank else "sin ninguna película"
    sentence = (
        f"El {spanish.language(first)} es el idioma original del {spanish.percent(counts.iloc[0] / total)} "
        f"de las películas; el español queda {where} con {spanish.integer(spanish_films)} películas "
        f"({spanish.percent(spanish_films / total)}), entre {spanish.integer(len(counts))} idiomas."
    )
    top = counts.head(TOP)
    data = pd.DataFrame(
        {"idioma": [spanish.language(str(c)) for c in top.index], "peliculas": top.to_numpy()}
    )
    tables = [
        Table(
            "Idiomas originales más frecuentes",
            ["Código", "Idioma", "Películas"],
            [[str(c), spanish.language(str(c)), spanish.integer(n)] for c, n in top.items()],
        )
    ]
    return Finding("idiomas", "Idioma original", sentence, numbers, data, tables)
