"""When films come out: releases per year, per month and per weekday (the API's month/day questions)."""

from __future__ import annotations

import pandas as pd

from etl.eda import spanish
from etl.eda.finding import Finding, bottom_label, top_label


def releases_per_year(movies: pd.DataFrame) -> Finding:
    per_year = movies["release_year"].value_counts().sort_index()
    total = int(per_year.sum())
    peak_year = int(top_label(per_year))
    since_2000 = int(per_year[per_year.index >= 2000].sum())
    numbers: dict[str, int | float | str] = {
        "peliculas": total,
        "primer_anio": int(per_year.index.min()),
        "ultimo_anio": int(per_year.index.max()),
        "anio_pico": peak_year,
        "estrenos_anio_pico": int(per_year.max()),
        "proporcion_desde_2000": since_2000 / total,
    }
    sentence = (
        f"El catálogo reúne {spanish.integer(total)} películas estrenadas entre {numbers['primer_anio']} "
        f"y {numbers['ultimo_anio']}; el año con más estrenos es {peak_year} "
        f"({spanish.integer(per_year.max())}) y el {spanish.percent(since_2000 / total)} "
        "se estrenó del año 2000 en adelante."
    )
    data = pd.DataFrame({"anio": per_year.index.astype(int), "peliculas": per_year.to_numpy()})
    return Finding("estrenos_por_anio", "Estrenos por año", sentence, numbers, data)


def releases_per_month(movies: pd.DataFrame) -> Finding:
    counts = movies["release_month"].value_counts().reindex(range(1, 13), fill_value=0)
    total = int(counts.sum())
    top, low = int(top_label(counts)), int(bottom_label(counts))
    numbers: dict[str, int | float | str] = {
        "mes_mas_estrenos": spanish.month_name(top),
        "estrenos_mes_mas": int(counts[top]),
        "proporcion_mes_mas": int(counts[top]) / total,
        "mes_menos_estrenos": spanish.month_name(low),
        "estrenos_mes_menos": int(counts[low]),
    }
    sentence = (
        f"{spanish.capitalized(spanish.month_name(top))} es el mes con más estrenos "
        f"({spanish.integer(counts[top])}, el {spanish.percent(counts[top] / total)} del total) y "
        f"{spanish.month_name(low)} el que menos ({spanish.integer(counts[low])}); "
        "es lo que responde /cantidad_filmaciones_mes."
    )
    data = pd.DataFrame(
        {"mes": [spanish.month_name(m) for m in counts.index], "peliculas": counts.to_numpy()}
    )
    return Finding("estrenos_por_mes", "Estrenos por mes", sentence, numbers, data)


def releases_per_weekday(movies: pd.DataFrame) -> Finding:
    counts = movies["release_weekday"].value_counts().reindex(range(7), fill_value=0)
    total = int(counts.sum())
    top = int(top_label(counts))
    weekend = int(counts[5] + counts[6])
    numbers: dict[str, int | float | str] = {
        "dia_mas_estrenos": spanish.weekday_name(top),
        "estrenos_dia_mas": int(counts[top]),
        "proporcion_dia_mas": int(counts[top]) / total,
        "estrenos_fin_de_semana": weekend,
        "proporcion_fin_de_semana": weekend / total,
    }
    sentence = (
        f"El {spanish.weekday_name(top)} concentra {spanish.integer(counts[top])} estrenos "
        f"({spanish.percent(counts[top] / total)}); sábado y domingo juntos suman "
        f"{spanish.integer(weekend)} ({spanish.percent(weekend / total)}). "
        "Es lo que responde /cantidad_filmaciones_dia."
    )
    data = pd.DataFrame(
        {"dia": [spanish.weekday_name(d) for d in counts.index], "peliculas": counts.to_numpy()}
    )
    return Finding("estrenos_por_dia", "Estrenos por día de la semana", sentence, numbers, data)
