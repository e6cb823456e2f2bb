"""`python -m etl.eda` on the real sample: every figure is a real image on the page, every number is right.

The expected numbers are computed here, apart from the report's code, straight from the ETL's tables
with plain Python (collections, statistics); only the Spanish number formatting is shared.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import statistics
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from PIL import Image
from scipy.stats import spearmanr

from etl.eda import spanish
from etl.eda.stopwords import STOPWORDS
from etl.pipeline import Build
from shared.settings import REPO_ROOT
from shared.text import MONTHS, WEEKDAYS, title_key

# What the issue asks the report to cover, one figure each.
REQUIRED = {
    "estrenos_por_anio",
    "estrenos_por_mes",
    "estrenos_por_dia",
    "votos",
    "popularidad",
    "presupuesto_ingresos",
    "retorno_por_decada",
    "generos",
    "productoras",
    "paises",
    "idiomas",
    "duracion",
    "faltantes",
    "palabras_titulos",
    "directores_retorno",
    "actores_retorno",
    "anomalias",
}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.links: list[str] = []
        self.sections: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img":
            self.images.append(values["src"] or "")
        elif tag == "a" and (values.get("href") or "").startswith("#"):
            self.links.append((values["href"] or "")[1:])
        elif tag == "section":
            self.sections.append(values["id"] or "")


@dataclass
class Generated:
    folder: Path
    html: str
    log: str
    sections: dict[str, dict[str, Any]]
    movies: pd.DataFrame
    cast: pd.DataFrame
    directors: pd.DataFrame


@pytest.fixture(scope="module")
def report(sample_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Generated:
    output = tmp_path_factory.mktemp("eda")
    result = subprocess.run(
        [sys.executable, "-m", "etl.eda", "--input", str(sample_build.folder), "--output", str(output)],
        cwd=REPO_ROOT,
        env={**os.environ, "DATA_DIR": str(tmp_path_factory.mktemp("unused"))},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads((output / "findings.json").read_text(encoding="utf-8"))
    return Generated(
        folder=output,
        html=(output / "index.html").read_text(encoding="utf-8"),
        log=result.stderr,
        sections={s["clave"]: s for s in summary["secciones"]},
        movies=pd.read_parquet(sample_build.folder / "movies.parquet"),
        cast=pd.read_parquet(sample_build.folder / "cast.parquet"),
        directors=pd.read_parquet(sample_build.folder / "directors.parquet"),
    )


def _says(report: Generated, key: str, *texts: str) -> None:
    """The section's sentence states each text, and the page shows that sentence."""
    sentence = report.sections[key]["hallazgo"]
    for text in texts:
        assert text in sentence, (key, text, sentence)
    assert escape(sentence) in report.html


def _first_max(counter: Mapping[Any, Any]) -> Any:
    """The key with the largest value; on a tie, the smallest key (the report's order)."""
    return min(counter, key=lambda k: (-counter[k], k))


def _first_min(counter: Mapping[Any, Any]) -> Any:
    return min(counter, key=lambda k: (counter[k], k))


def _numbers(report: Generated, key: str) -> dict[str, Any]:
    numbers: dict[str, Any] = report.sections[key]["cifras"]
    return numbers


def test_every_figure_is_a_real_image_shown_on_the_page(report: Generated) -> None:
    page = _Page()
    page.feed(report.html)
    figures = sorted(report.folder.glob("*.png"))
    assert {p.stem for p in figures} >= REQUIRED
    assert {p.name for p in figures} == set(page.images)
    for path in figures:
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert image.width >= 600 and image.height >= 250, path.name
            shades = image.convert("L").getcolors(maxcolors=256 * 256) or []
            assert len(shades) > 1, f"{path.name} is a blank image"
    # Every figure has its section, its finding and a link in the table of contents.
    assert page.sections == [s["clave"] for s in report.sections.values()]
    assert page.links == page.sections
    for key, section in report.sections.items():
        assert section["figura"] == f"{key}.png"
        assert section["hallazgo"].strip()


def test_progress_line_per_figure(report: Generated) -> None:
    total = len(report.sections)
    for number, key in enumerate(report.sections, start=1):
        assert re.search(rf"\[{number}/{total}\] {key}\.png: \d+\.\d+ s", report.log), key


def test_page_introduces_dataset_and_quality(report: Generated, sample_build: Build) -> None:
    assert sample_build.version in report.html
    quality = sample_build.report
    assert (
        f"<th>Filas leídas de movies_metadata</th><td class='n'>{spanish.integer(quality.movie_rows_read)}"
        in (report.html)
    )
    for reason, count in quality.dropped.items():
        assert re.search(rf"Descartadas: [^<]*</th><td class='n'>{spanish.integer(count)}<", report.html), (
            reason
        )
    assert f"{spanish.integer(len(report.movies))} películas" in report.html
    assert '<html lang="es">' in report.html
    assert "http://" not in report.html and "https://" not in report.html  # self-contained


def test_release_calendar_findings(report: Generated) -> None:
    dates = list(report.movies["release_date"])
    years = Counter(d.year for d in dates)
    peak = _first_max(years)
    numbers = _numbers(report, "estrenos_por_anio")
    assert numbers["peliculas"] == len(dates)
    assert (numbers["anio_pico"], numbers["estrenos_anio_pico"]) == (peak, years[peak])
    _says(
        report, "estrenos_por_anio", spanish.integer(len(dates)), f"{peak} ({spanish.integer(years[peak])})"
    )

    months = Counter(d.month for d in dates)
    months.update(dict.fromkeys(range(1, 13), 0))
    top, low = _first_max(months), _first_min(months)
    numbers = _numbers(report, "estrenos_por_mes")
    assert (numbers["mes_mas_estrenos"], numbers["estrenos_mes_mas"]) == (MONTHS[top - 1], months[top])
    assert (numbers["mes_menos_estrenos"], numbers["estrenos_mes_menos"]) == (MONTHS[low - 1], months[low])
    _says(report, "estrenos_por_mes", spanish.integer(months[top]), spanish.percent(months[top] / len(dates)))

    days = Counter(d.weekday() for d in dates)
    top_day = _first_max(days)
    weekend = days[5] + days[6]
    numbers = _numbers(report, "estrenos_por_dia")
    assert (numbers["dia_mas_estrenos"], numbers["estrenos_dia_mas"]) == (WEEKDAYS[top_day], days[top_day])
    assert numbers["estrenos_fin_de_semana"] == weekend
    _says(
        report,
        "estrenos_por_dia",
        WEEKDAYS[top_day],
        spanish.integer(days[top_day]),
        spanish.integer(weekend),
    )


def test_votes_popularity_and_runtime_findings(report: Generated) -> None:
    votes = [int(v) for v in report.movies["vote_count"]]
    numbers = _numbers(report, "votos")
    assert numbers["mediana_votos"] == statistics.median(votes)
    assert numbers["sin_votos"] == votes.count(0)
    assert numbers["con_2000_votos_o_mas"] == sum(v >= 2000 for v in votes)
    assert numbers["votos_mas_votada"] == max(votes)
    _says(report, "votos", spanish.integer(votes.count(0)), spanish.integer(max(votes)))

    popularity = [p for p in report.movies["popularity"] if not math.isnan(p)]
    numbers = _numbers(report, "popularidad")
    assert numbers["mediana_popularidad"] == pytest.approx(statistics.median(popularity))
    assert numbers["popularidad_maxima"] == pytest.approx(max(popularity))
    _says(report, "popularidad", spanish.decimal(max(popularity), 2))

    minutes = [m for m in report.movies["runtime"] if not math.isnan(m) and m > 0]
    numbers = _numbers(report, "duracion")
    assert numbers["mediana_minutos"] == statistics.median(minutes)
    assert numbers["sin_duracion"] == len(report.movies) - len(minutes)
    assert numbers["minutos_mas_larga"] == max(minutes)
    _says(report, "duracion", spanish.number(statistics.median(minutes)), spanish.integer(max(minutes)))


def test_money_findings(report: Generated) -> None:
    known = [
        (b, r, row_title, year)
        for b, r, row_title, year in zip(
            report.movies["budget"],
            report.movies["revenue"],
            report.movies["title"],
            report.movies["release_year"],
            strict=True,
        )
        if b > 0 and r > 0
    ]
    numbers = _numbers(report, "presupuesto_ingresos")
    assert numbers["con_presupuesto_e_ingresos"] == len(known)
    logs_b = [math.log10(b) for b, _, _, _ in known]
    logs_r = [math.log10(r) for _, r, _, _ in known]
    assert numbers["correlacion_log"] == pytest.approx(statistics.correlation(logs_b, logs_r))
    returns = [r / b for b, r, _, _ in known]
    assert numbers["retorno_mediano"] == pytest.approx(statistics.median(returns))
    best = max(known, key=lambda k: k[1] / k[0])
    assert numbers["mayor_retorno"] == f"{best[2]} ({best[3]})"
    assert numbers["retorno_mayor_a_100"] == sum(x > 100 for x in returns)
    _says(report, "presupuesto_ingresos", spanish.integer(len(known)), best[2], spanish.money(best[0]))
    # The films with the highest return are named on the figure's table too.
    assert escape(f"{best[2]} ({best[3]})") in report.html

    per_decade: dict[int, list[float]] = defaultdict(list)
    for b, r, _, year in known:
        per_decade[year // 10 * 10].append(r / b)
    medians = {d: statistics.median(v) for d, v in per_decade.items() if len(v) >= 10}
    top = _first_max(medians)
    numbers = _numbers(report, "retorno_por_decada")
    assert numbers["decada_mayor_retorno"] == top
    assert numbers["retorno_mediano_mayor"] == pytest.approx(medians[top])
    assert numbers["peliculas_decada_mayor"] == len(per_decade[top])
    _says(report, "retorno_por_decada", f"década de {top}", spanish.decimal(medians[top], 2))

    frame = report.movies[report.movies["vote_count"] > 0]
    rho = spearmanr(frame["vote_count"], frame["vote_average"]).statistic
    assert _numbers(report, "correlaciones")["spearman_votos_nota"] == pytest.approx(rho)
    _says(report, "correlaciones", spanish.decimal(rho, 2))


def _films_per(column: pd.Series) -> Counter[str]:
    counts: Counter[str] = Counter()
    for values in column:
        counts.update({str(v) for v in values if str(v).strip()})
    return counts


def test_catalogue_tops(report: Generated) -> None:
    total = len(report.movies)
    genres = _films_per(report.movies["genres"])
    top = _first_max(genres)
    numbers = _numbers(report, "generos")
    assert (numbers["genero_primero"], numbers["peliculas_genero_primero"]) == (
        spanish.genre(top),
        genres[top],
    )
    _says(
        report,
        "generos",
        spanish.genre(top),
        spanish.integer(genres[top]),
        spanish.percent(genres[top] / total),
    )

    companies = _films_per(report.movies["production_companies"])
    top = _first_max(companies)
    numbers = _numbers(report, "productoras")
    assert (numbers["productora_primero"], numbers["peliculas_productora_primero"]) == (top, companies[top])
    without = sum(len(v) == 0 for v in report.movies["production_companies"])
    assert numbers["sin_dato"] == without
    _says(report, "productoras", top, spanish.integer(len(companies)), spanish.integer(without))

    countries = _films_per(report.movies["production_countries"])
    top = _first_max(countries)
    assert _numbers(report, "paises")["peliculas_pais_primero"] == countries[top]
    _says(report, "paises", spanish.country(top), spanish.percent(countries[top] / total))

    languages = Counter(
        str(v) for v in report.movies["original_language"] if isinstance(v, str) and v.strip()
    )
    top = _first_max(languages)
    numbers = _numbers(report, "idiomas")
    assert numbers["idioma_primero"] == spanish.language(top)
    assert numbers["peliculas_en_espanol"] == languages["es"]
    _says(report, "idiomas", spanish.percent(languages[top] / total), spanish.integer(languages["es"]))


def test_missing_values_finding(report: Generated) -> None:
    movies = report.movies
    total = len(movies)
    no_budget = sum(b <= 0 for b in movies["budget"])
    no_revenue = sum(r <= 0 for r in movies["revenue"])
    both = sum(b > 0 and r > 0 for b, r in zip(movies["budget"], movies["revenue"], strict=True))
    with_director = set(report.directors["movie_id"])
    numbers = _numbers(report, "faltantes")
    assert numbers["proporcion_sin_presupuesto"] == pytest.approx(no_budget / total)
    assert numbers["proporcion_sin_ingresos"] == pytest.approx(no_revenue / total)
    assert numbers["con_ambos"] == both
    assert numbers["sin_director"] == sum(i not in with_director for i in movies["id"])
    _says(report, "faltantes", spanish.percent(no_budget / total), spanish.integer(both))


def test_title_words_finding(report: Generated) -> None:
    counts: Counter[str] = Counter()
    for movie_title in report.movies["title"]:
        for word in re.findall(r"\w+(?:'\w+)*", movie_title.casefold().replace("’", "'")):
            if any(c.isdigit() or c == "_" for c in word):
                continue
            plain = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
            if len(word) > 1 and word not in STOPWORDS and plain not in STOPWORDS:
                counts[word] += 1
    word, times = counts.most_common(1)[0]
    numbers = _numbers(report, "palabras_titulos")
    assert numbers["veces_palabra_primera"] == times
    assert counts[numbers["palabra_primera"]] == times
    _says(report, "palabras_titulos", f"«{numbers['palabra_primera']}» ({spanish.integer(times)})")
    for stop in ("the", "of", "el", "la", "de", "los"):
        assert f"«{stop}»" not in report.sections["palabras_titulos"]["hallazgo"]


def _total_return(people: pd.DataFrame, movies: pd.DataFrame) -> tuple[dict[int, float], dict[int, int]]:
    returns = dict(zip(movies["id"], movies["return"], strict=True))
    films: dict[int, set[int]] = defaultdict(set)
    for movie_id, person_id in zip(people["movie_id"], people["person_id"], strict=True):
        if movie_id in returns:
            films[person_id].add(movie_id)
    totals = {p: sum(returns[m] for m in ms) for p, ms in films.items()}
    return totals, {p: len(ms) for p, ms in films.items()}


@pytest.mark.parametrize(("key", "table"), [("directores_retorno", "directors"), ("actores_retorno", "cast")])
def test_people_ranked_by_total_return(report: Generated, key: str, table: str) -> None:
    people = getattr(report, table)
    totals, films = _total_return(people, report.movies)
    numbers = _numbers(report, key)
    names = dict(zip(people["person_id"], people["name"], strict=True))
    best = max(totals.values())
    leaders = {names[p]: films[p] for p, total in totals.items() if total == best}
    assert numbers["primero"] in leaders
    assert numbers["peliculas_primero"] == leaders[numbers["primero"]]
    assert numbers["retorno_total_primero"] == pytest.approx(best)
    assert numbers["con_retorno"] == sum(t > 0 for t in totals.values())
    assert numbers["personas"] == len(totals)
    _says(report, key, numbers["primero"], spanish.number(best))


def test_anomalies_finding(report: Generated) -> None:
    movies = report.movies
    numbers = _numbers(report, "anomalias")
    assert numbers["presupuesto_inverosimil"] == sum(0 < b < 1000 for b in movies["budget"])
    assert numbers["ingresos_inverosimiles"] == sum(0 < r < 1000 for r in movies["revenue"])
    same = Counter((title_key(t), y) for t, y in zip(movies["title"], movies["release_year"], strict=True))
    assert numbers["mismo_titulo_y_anio"] == sum(n for n in same.values() if n > 1)
    titles = Counter(title_key(t) for t in movies["title"])
    assert numbers["titulo_compartido"] == sum(n for n in titles.values() if n > 1)
    assert numbers["peliculas_titulo_mas_repetido"] == max(titles.values())
    today = dt.datetime.now(dt.UTC).date()
    assert numbers["fecha_futura"] == sum(d > today for d in movies["release_date"])
    cutoff = dt.date.fromisoformat(numbers["fecha_corte"])
    assert numbers["posteriores_al_corte"] == sum(d > cutoff for d in movies["release_date"])
    _says(
        report, "anomalias", spanish.integer(numbers["presupuesto_inverosimil"]), spanish.month_year(cutoff)
    )
