"""Builds the report: every finding, its figure and the page, with a progress line per figure."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from etl.eda import (
    findings_catalogue,
    findings_money,
    findings_people,
    findings_quality,
    findings_time,
    findings_words,
    plots,
)
from etl.eda.finding import Finding, Tables
from etl.eda.page import PageInfo, render

log = logging.getLogger(__name__)

INDEX = "index.html"
FINDINGS = "findings.json"

Section = Callable[[Tables, dt.date], Finding]

# The order in which the page shows them.
SECTIONS: list[Section] = [
    lambda t, _: findings_time.releases_per_year(t.movies),
    lambda t, _: findings_time.releases_per_month(t.movies),
    lambda t, _: findings_time.releases_per_weekday(t.movies),
    lambda t, _: findings_catalogue.vote_counts(t.movies),
    lambda t, _: findings_catalogue.popularity(t.movies),
    lambda t, _: findings_money.budget_revenue(t.movies),
    lambda t, _: findings_money.return_by_decade(t.movies),
    lambda t, _: findings_money.correlations(t.movies),
    lambda t, _: findings_catalogue.genres(t.movies),
    lambda t, _: findings_catalogue.companies(t.movies),
    lambda t, _: findings_catalogue.countries(t.movies),
    lambda t, _: findings_catalogue.languages(t.movies),
    lambda t, _: findings_catalogue.runtime(t.movies),
    lambda t, _: findings_quality.missing_values(t.movies, t.cast, t.directors),
    lambda t, _: findings_words.title_words(t.movies),
    lambda t, _: findings_people.directors_by_return(t.directors, t.movies),
    lambda t, _: findings_people.actors_by_return(t.cast, t.movies),
    lambda t, today: findings_quality.anomalies(t.movies, today),
]


@dataclass(frozen=True)
class Report:
    index: Path
    findings: list[Finding]
    figures: list[Path]
    seconds: float


def build_report(
    tables: Tables, output: Path, *, source: Path | None = None, now: dt.datetime | None = None
) -> Report:
    """Writes index.html, one PNG per finding and findings.json (the numbers) into `output`."""
    started = time.perf_counter()
    now = now or dt.datetime.now(dt.UTC)
    output.mkdir(parents=True, exist_ok=True)
    findings: list[Finding] = []
    figures: list[Path] = []
    for number, section in enumerate(SECTIONS, start=1):
        tick = time.perf_counter()
        finding = section(tables, now.date())
        figure = plots.draw(finding, output)
        findings.append(finding)
        figures.append(figure)
        log.info("[%d/%d] %s: %.2f s", number, len(SECTIONS), figure.name, time.perf_counter() - tick)
    seconds = time.perf_counter() - started
    info = PageInfo(
        version=tables.folder.name,
        folder=str(tables.folder),
        generated_at=now,
        movies=len(tables.movies),
        cast_rows=len(tables.cast),
        director_rows=len(tables.directors),
        quality=tables.quality,
        seconds=seconds,
        source=str(source) if source else None,
    )
    index = output / INDEX
    index.write_text(
        render(info, [(f, p.name) for f, p in zip(findings, figures, strict=True)]), encoding="utf-8"
    )
    summary = {
        "version": info.version,
        "tablas": str(tables.folder),
        "origen": info.source,
        "generado": now.isoformat(),
        "secciones": [
            {"clave": f.key, "titulo": f.title, "hallazgo": f.sentence, "figura": p.name, "cifras": f.numbers}
            for f, p in zip(findings, figures, strict=True)
        ],
    }
    (output / FINDINGS).write_text(
        json.dumps(summary, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    log.info("Informe escrito en %s (%d figuras, %.1f s)", index, len(figures), time.perf_counter() - started)
    return Report(index, findings, figures, time.perf_counter() - started)
