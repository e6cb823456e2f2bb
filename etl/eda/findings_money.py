"""Money and relations between variables: budget vs revenue, return by decade, correlations."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.eda import spanish
from etl.eda.finding import Finding, Table, bottom_label, top_label

# Fewer films than this make a decade's median too noisy to compare.
MIN_FILMS_PER_DECADE = 10
NAMED_OUTLIERS = 6


def known_money(movies: pd.DataFrame) -> pd.DataFrame:
    """Films whose budget and revenue are both known (the clean table writes 0 for unknown)."""
    return movies[(movies["budget"] > 0) & (movies["revenue"] > 0)]


def _label(row: pd.Series) -> str:
    return f"{row['title']} ({int(row['release_year'])})"


def budget_revenue(movies: pd.DataFrame) -> Finding:
    known = known_money(movies)
    total = len(movies)
    n = len(known)
    numbers: dict[str, int | float | str] = {
        "con_presupuesto_e_ingresos": n,
        "proporcion": n / total if total else 0.0,
    }
    if n < 3:
        sentence = (
            f"Solo {spanish.integer(n)} películas tienen presupuesto e ingresos conocidos: "
            "no hay relación que medir."
        )
        return Finding("presupuesto_ingresos", "Presupuesto frente a ingresos", sentence, numbers, known)
    corr = float(np.corrcoef(np.log10(known["budget"]), np.log10(known["revenue"]))[0, 1])
    median_return = float(known["return"].median())
    ranked = known.sort_values("return", ascending=False)
    top = ranked.iloc[0]
    over_100 = int((known["return"] > 100).sum())
    numbers.update(
        {
            "correlacion_log": corr,
            "retorno_mediano": median_return,
            "retorno_mayor_a_100": over_100,
            "mayor_retorno": _label(top),
            "mayor_retorno_valor": float(top["return"]),
            "mayor_retorno_presupuesto": float(top["budget"]),
        }
    )
    sentence = (
        f"Solo {spanish.integer(n)} películas ({spanish.percent(n / total)}) tienen presupuesto e ingresos "
        f"conocidos; entre ellas el logaritmo de ambos tiene una correlación de {spanish.decimal(corr, 2)} y "
        f"el retorno mediano es {spanish.decimal(median_return, 2)}. {spanish.integer(over_100)} superan un "
        f"retorno de 100; el mayor, {_label(top)} ({spanish.number(top['return'])} veces), declara un "
        f"presupuesto de {spanish.money(top['budget'])}."
    )
    outliers = ranked.head(10)
    table = Table(
        "Retornos más altos (ingresos / presupuesto)",
        ["Película", "Presupuesto", "Ingresos", "Retorno"],
        [
            [_label(r), spanish.money(r["budget"]), spanish.money(r["revenue"]), spanish.number(r["return"])]
            for _, r in outliers.iterrows()
        ],
    )
    data = known[["budget", "revenue", "return"]].copy()
    hints = {
        "etiquetas": [
            (float(r["budget"]), float(r["revenue"]), _label(r))
            for _, r in ranked.head(NAMED_OUTLIERS).iterrows()
        ]
    }
    return Finding(
        "presupuesto_ingresos", "Presupuesto frente a ingresos", sentence, numbers, data, [table], hints
    )


def return_by_decade(movies: pd.DataFrame) -> Finding:
    known = known_money(movies)
    decade = (known["release_year"] // 10) * 10
    counts = decade.value_counts()
    kept = counts[counts >= MIN_FILMS_PER_DECADE].index
    frame = pd.DataFrame({"decada": decade, "retorno": known["return"]})
    frame = frame[frame["decada"].isin(kept)].sort_values("decada")
    numbers: dict[str, int | float | str] = {"decadas": len(kept)}
    if frame.empty:
        sentence = (
            f"Ninguna década tiene {MIN_FILMS_PER_DECADE} películas con presupuesto e ingresos conocidos: "
            "no hay retorno que comparar."
        )
        return Finding("retorno_por_decada", "Retorno por década", sentence, numbers, frame)
    medians = frame.groupby("decada")["retorno"].median()
    best, worst = int(top_label(medians)), int(bottom_label(medians))
    numbers.update(
        {
            "decada_mayor_retorno": best,
            "retorno_mediano_mayor": float(medians[best]),
            "peliculas_decada_mayor": int(counts[best]),
            "decada_menor_retorno": worst,
            "retorno_mediano_menor": float(medians[worst]),
            "peliculas_decada_menor": int(counts[worst]),
        }
    )
    sentence = (
        f"Entre las películas con presupuesto e ingresos conocidos, la década de {best} tiene el mayor "
        f"retorno mediano ({spanish.decimal(medians[best], 2)} veces lo invertido, "
        f"{spanish.integer(counts[best])} películas) y la de {worst} el menor "
        f"({spanish.decimal(medians[worst], 2)}, "
        f"{spanish.integer(counts[worst])} películas); solo cuentan décadas con al menos "
        f"{MIN_FILMS_PER_DECADE} películas."
    )
    return Finding("retorno_por_decada", "Retorno por década", sentence, numbers, frame)


CORRELATED = {
    "presupuesto": "budget",
    "ingresos": "revenue",
    "retorno": "return",
    "popularidad": "popularity",
    "votos": "vote_count",
    "nota media": "vote_average",
    "duración": "runtime",
    "año": "release_year",
}


def correlation_frame(movies: pd.DataFrame) -> pd.DataFrame:
    """The variables to correlate, with unknown values (0 budget, revenue, runtime; no votes) as NaN."""
    frame = pd.DataFrame({label: movies[col].astype(float) for label, col in CORRELATED.items()})
    for label in ("presupuesto", "ingresos", "duración"):
        frame.loc[frame[label] <= 0, label] = np.nan
    both = (movies["budget"] > 0) & (movies["revenue"] > 0)
    frame.loc[~both, "retorno"] = np.nan
    frame.loc[movies["vote_count"] <= 0, "nota media"] = np.nan
    return frame


def correlations(movies: pd.DataFrame) -> Finding:
    matrix = correlation_frame(movies).corr(method="spearman", min_periods=10)
    values = matrix.to_numpy(dtype=float)
    names = [str(c) for c in matrix.columns]
    pairs = [
        (names[i], names[j], float(values[i, j]))
        for i in range(len(names))
        for j in range(i + 1, len(names))
        # Return is revenue divided by budget: their correlation says nothing new.
        if np.isfinite(values[i, j]) and {names[i], names[j]} != {"ingresos", "retorno"}
    ]
    pairs.sort(key=lambda p: abs(p[2]), reverse=True)
    if not pairs:
        sentence = "No hay películas suficientes con valores conocidos para medir relaciones entre variables."
        return Finding("correlaciones", "Relaciones entre variables", sentence, {}, matrix)
    a, b, rho = pairs[0]
    votes_rating = float(values[names.index("votos"), names.index("nota media")])
    numbers: dict[str, int | float | str] = {"par_mas_fuerte": f"{a} y {b}", "spearman_mas_fuerte": rho}
    if np.isfinite(votes_rating):
        numbers["spearman_votos_nota"] = votes_rating
        votes_part = (
            f"la cantidad de votos y la nota media {spanish.relation(votes_rating)} "
            f"({spanish.decimal(votes_rating, 2)})"
        )
    else:
        votes_part = "no hay películas votadas suficientes para relacionar votos y nota media"
    sentence = (
        f"La relación más fuerte es entre {a} y {b} (Spearman {spanish.decimal(rho, 2)}); {votes_part}. "
        "Los ceros de presupuesto, ingresos y duración cuentan como desconocidos."
    )
    return Finding("correlaciones", "Relaciones entre variables", sentence, numbers, matrix)
