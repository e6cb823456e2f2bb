"""Data quality: what is missing or zero per column, and the anomalies the data shows."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from etl.eda import spanish
from etl.eda.finding import Finding, Table
from shared.text import title_key

# Below this many dollars a budget or revenue is a typo or a figure in millions, not a real amount.
IMPLAUSIBLE_DOLLARS = 1000
LONG_RUNTIME_MINUTES = 300
EXAMPLES = 10


def _is_blank(values: pd.Series) -> pd.Series:
    text = values.astype("string")
    return (text.isna() | (text.str.strip() == "")).astype(bool)


def _is_empty_list(values: pd.Series) -> pd.Series:
    return values.map(lambda v: v is None or len(v) == 0).astype(bool)


def unknown_per_column(movies: pd.DataFrame, cast: pd.DataFrame, directors: pd.DataFrame) -> pd.Series:
    """Share of films whose value is missing, zero (where zero means unknown) or an empty list."""
    checks: dict[str, pd.Series] = {
        "presupuesto (0)": movies["budget"].fillna(0) <= 0,
        "ingresos (0)": movies["revenue"].fillna(0) <= 0,
        "duración (nula o 0)": movies["runtime"].fillna(0) <= 0,
        "votos (0)": movies["vote_count"].fillna(0) <= 0,
        "popularidad": movies["popularity"].isna(),
        "título": _is_blank(movies["title"]),
        "resumen": _is_blank(movies["overview"]),
        "eslogan": _is_blank(movies["tagline"]),
        "póster": _is_blank(movies["poster_path"]),
        "idioma original": _is_blank(movies["original_language"]),
        "estado": _is_blank(movies["status"]),
        "géneros": _is_empty_list(movies["genres"]),
        "productoras": _is_empty_list(movies["production_companies"]),
        "países": _is_empty_list(movies["production_countries"]),
        "idiomas hablados": _is_empty_list(movies["spoken_languages"]),
        "reparto": ~movies["id"].isin(cast["movie_id"]),
        "director": ~movies["id"].isin(directors["movie_id"]),
    }
    shares = pd.Series({name: float(mask.mean()) for name, mask in checks.items()})
    return shares.sort_values(ascending=False)


def missing_values(movies: pd.DataFrame, cast: pd.DataFrame, directors: pd.DataFrame) -> Finding:
    shares = unknown_per_column(movies, cast, directors)
    total = len(movies)
    both = int(((movies["budget"] > 0) & (movies["revenue"] > 0)).sum())
    no_director = int((~movies["id"].isin(directors["movie_id"])).sum())
    no_cast = int((~movies["id"].isin(cast["movie_id"])).sum())
    numbers: dict[str, int | float | str] = {
        "proporcion_sin_presupuesto": float(shares["presupuesto (0)"]),
        "proporcion_sin_ingresos": float(shares["ingresos (0)"]),
        "con_ambos": both,
        "proporcion_con_ambos": both / total,
        "sin_director": no_director,
        "sin_reparto": no_cast,
    }
    sentence = (
        f"El presupuesto es desconocido (vale 0) en el {spanish.percent(shares['presupuesto (0)'])} de las "
        f"películas y los ingresos en el {spanish.percent(shares['ingresos (0)'])}: solo "
        f"{spanish.integer(both)} ({spanish.percent(both / total)}) tienen ambos, y todo retorno se apoya en "
        f"ellas. {spanish.integer(no_director)} películas no tienen director y "
        f"{spanish.integer(no_cast)} no tienen reparto."
    )
    data = pd.DataFrame({"columna": shares.index, "proporcion": shares.to_numpy()})
    return Finding("faltantes", "Valores faltantes o en cero por columna", sentence, numbers, data)


def catalogue_cutoff(movies: pd.DataFrame) -> dt.date:
    """The last month in which releases still arrive at a normal pace: later dates are announcements.

    A month counts as normal when it has at least 5 releases and a quarter of the median of the
    twelve months before it.
    """
    dates = pd.to_datetime(movies["release_date"])
    monthly = dates.dt.to_period("M").value_counts().sort_index()
    full = monthly.reindex(pd.period_range(monthly.index.min(), monthly.index.max(), freq="M"), fill_value=0)
    values = full.to_numpy()
    for position in range(len(values) - 1, -1, -1):
        history = values[max(0, position - 12) : position]
        reference = float(np.median(history)) if len(history) else 0.0
        if values[position] >= max(5.0, 0.25 * reference):
            end: pd.Timestamp = full.index[position].end_time
            return end.date()
    return dates.max().date()


def _examples(frame: pd.DataFrame, caption: str, extra: str, value: str) -> Table:
    rows = [
        [f"{r['title']} ({int(r['release_year'])})", str(r["id"]), spanish.date(r["release_date"]), r[value]]
        for _, r in frame.head(EXAMPLES).iterrows()
    ]
    return Table(f"{caption} ({spanish.integer(len(frame))})", ["Película", "id", "Estreno", extra], rows)


def anomalies(movies: pd.DataFrame, today: dt.date) -> Finding:
    frame = movies.copy()
    frame["release_date"] = pd.to_datetime(frame["release_date"]).dt.date
    low_budget = frame[(frame["budget"] > 0) & (frame["budget"] < IMPLAUSIBLE_DOLLARS)].sort_values("budget")
    low_revenue = frame[(frame["revenue"] > 0) & (frame["revenue"] < IMPLAUSIBLE_DOLLARS)].sort_values(
        "revenue"
    )
    cutoff = catalogue_cutoff(frame)
    after = frame[frame["release_date"] > cutoff].sort_values("release_date", ascending=False)
    future = frame[frame["release_date"] > today].sort_values("release_date", ascending=False)
    long_films = frame[frame["runtime"] > LONG_RUNTIME_MINUTES].sort_values("runtime", ascending=False)
    keys = frame["title"].fillna("").map(title_key)
    shared_title = keys.duplicated(keep=False) & (keys != "")
    same_year = frame.assign(_k=keys).duplicated(["_k", "release_year"], keep=False) & (keys != "")
    twins = frame[same_year].assign(_k=keys[same_year]).sort_values(["_k", "release_date"])
    repeated = frame.assign(_k=keys)[keys != ""].groupby("_k")
    most_repeated = repeated.agg(
        titulo=("title", "first"),
        peliculas=("id", "size"),
        anios=("release_year", lambda years: ", ".join(str(y) for y in sorted(years))),
    ).sort_values(["peliculas", "titulo"], ascending=[False, True])
    status = frame["status"].astype("string")
    unreleased = frame[status.notna() & (status != "Released")]
    counts = {
        f"presupuesto < {spanish.integer(IMPLAUSIBLE_DOLLARS)} $": len(low_budget),
        f"ingresos < {spanish.integer(IMPLAUSIBLE_DOLLARS)} $": len(low_revenue),
        "estreno tras el corte del catálogo": len(after),
        "estreno en el futuro": len(future),
        f"duración > {LONG_RUNTIME_MINUTES} min": len(long_films),
        "mismo título y año que otra": len(twins),
        "título compartido con otra": int(shared_title.sum()),
        "estado distinto de «Released»": len(unreleased),
    }
    numbers: dict[str, int | float | str] = {
        "presupuesto_inverosimil": len(low_budget),
        "ingresos_inverosimiles": len(low_revenue),
        "fecha_corte": cutoff.isoformat(),
        "posteriores_al_corte": len(after),
        "fecha_futura": len(future),
        "duracion_extrema": len(long_films),
        "mismo_titulo_y_anio": len(twins),
        "titulo_compartido": int(shared_title.sum()),
        "estado_no_estrenada": len(unreleased),
    }
    if not most_repeated.empty:
        numbers["titulo_mas_repetido"] = str(most_repeated["titulo"].iloc[0])
        numbers["peliculas_titulo_mas_repetido"] = int(most_repeated["peliculas"].iloc[0])
    parts = []
    if len(low_budget):
        first = low_budget.iloc[0]
        parts.append(
            f"{spanish.integer(len(low_budget))} películas declaran un presupuesto de menos de "
            f"{spanish.integer(IMPLAUSIBLE_DOLLARS)} dólares (p. ej. {first['title']}, "
            f"{spanish.money(first['budget'])})"
        )
    if len(after):
        last = after.iloc[0]
        parts.append(
            f"los estrenos caen de golpe después de {spanish.month_year(cutoff)} y "
            f"{spanish.integer(len(after))} películas tienen una fecha posterior, la última {last['title']} "
            f"({spanish.date(last['release_date'])})"
        )
    parts.append(
        f"{spanish.integer(len(future))} tienen fecha posterior a hoy ({spanish.date(today)})"
        if len(future)
        else f"ninguna tiene fecha posterior a hoy ({spanish.date(today)})"
    )
    if len(twins):
        example = twins.iloc[0]
        parts.append(
            f"{spanish.integer(len(twins))} comparten título y año con otra película distinta "
            f"(p. ej. {example['title']}, {int(example['release_year'])})"
        )
    if not most_repeated.empty and int(most_repeated["peliculas"].iloc[0]) > 1:
        parts.append(
            f"el título más repetido, {most_repeated['titulo'].iloc[0]}, lo llevan "
            f"{spanish.integer(most_repeated['peliculas'].iloc[0])} películas"
        )
    sentence = spanish.capitalized("; ".join(parts)) + "."
    tables = [
        _examples(
            low_budget.assign(v=low_budget["budget"].map(spanish.money)),
            "Presupuestos inverosímiles",
            "Presupuesto",
            "v",
        ),
        _examples(
            low_revenue.assign(v=low_revenue["revenue"].map(spanish.money)),
            "Ingresos inverosímiles",
            "Ingresos",
            "v",
        ),
        _examples(
            after.assign(v=after["status"].fillna("-")),
            f"Estrenos posteriores al corte ({spanish.month_year(cutoff)})",
            "Estado",
            "v",
        ),
        _examples(
            long_films.assign(v=long_films["runtime"].map(lambda m: f"{spanish.integer(m)} min")),
            "Duraciones extremas",
            "Duración",
            "v",
        ),
        _examples(
            twins.assign(v=twins["vote_count"].map(spanish.integer)), "Mismo título y año", "Votos", "v"
        ),
        Table(
            "Títulos más repetidos",
            ["Título", "Películas", "Años de estreno"],
            [
                [str(r["titulo"]), spanish.integer(r["peliculas"]), str(r["anios"])]
                for _, r in most_repeated[most_repeated["peliculas"] > 1].head(EXAMPLES).iterrows()
            ],
        ),
    ]
    data = pd.DataFrame({"anomalia": list(counts), "peliculas": list(counts.values())})
    return Finding("anomalias", "Anomalías", sentence, numbers, data, tables)
