"""Renders the report as one self-contained HTML page (inline style, figures as PNG files beside it)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html import escape
from typing import Any

from etl.eda import spanish
from etl.eda.finding import Finding, Table

# Spanish labels for the fields of quality.json we know; anything else is shown under its own name.
QUALITY_LABELS = {
    "movie_rows_read": "Filas leídas de movies_metadata",
    "credit_rows_read": "Filas leídas de credits",
    "clean_movies": "Películas en la tabla limpia",
    "dropped": "Descartadas",
    "id_no_entero": "id no entero (registros malformados)",
    "id_repetido": "id repetido (queda la primera fila)",
    "sin_fecha_valida": "sin fecha de estreno válida",
    "sin_titulo": "sin título",
    "duplicated_ids": "Ids repetidos",
    "duplicated_rows": "Filas extra de ids repetidos",
    "fully_duplicated_rows": "Filas idénticas",
    "malformed_records": "Registros malformados descartados",
    "parse_errors": "Celdas ilegibles",
    "credit_duplicated_rows": "Filas repetidas en credits",
    "credits_without_movie": "Créditos de películas que no están en la tabla limpia",
    "movies_without_credits": "Películas sin créditos",
    "cast_rows": "Filas de reparto",
    "director_rows": "Filas de dirección",
}
_SKIPPED_QUALITY = {"version", "source", "created_at", "source_digest"}
# A list longer than this is summarised by its length.
_LISTED_ITEMS = 5

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2731;
background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px 32px 64px;background:#fff}
h1{margin:0 0 8px;font-size:28px}
h2{margin-top:40px;border-bottom:2px solid #e3e7ec;padding-bottom:6px}
p.meta{color:#52606d}
p.finding{font-size:17px;line-height:1.5;background:#eef5fa;border-left:4px solid #2a6f97;padding:10px 14px;
margin:12px 0}
img{max-width:100%;height:auto;border:1px solid #e3e7ec}
table{border-collapse:collapse;margin:12px 0;font-size:14px}
th,td{border:1px solid #dde3ea;padding:4px 10px;text-align:left}
th{background:#f0f3f6}
td.n{text-align:right}
caption{text-align:left;font-weight:600;padding:6px 0}
nav ol{columns:2;padding-left:20px}
nav a{color:#2a6f97;text-decoration:none}
.note{font-size:14px;color:#52606d}
"""


@dataclass(frozen=True)
class PageInfo:
    """What the introduction says about where the numbers come from."""

    version: str
    folder: str
    generated_at: dt.datetime
    movies: int
    cast_rows: int
    director_rows: int
    quality: dict[str, Any]
    seconds: float
    source: str | None = None


def built_at(version: str) -> dt.datetime | None:
    """When the ETL built a version, read from its id (`20261126T162227978807Z-c4fadcac`)."""
    match = re.match(r"^(\d{8}T\d{6})\d*Z-", version)
    if match is None:
        return None
    return dt.datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=dt.UTC)


def _quality_rows(quality: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    order = list(QUALITY_LABELS)
    # Known fields in the order a reader follows them (read, kept, dropped...), then anything new.
    ranked = sorted(
        quality.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)
    )
    for key, value in ranked:
        if key in _SKIPPED_QUALITY:
            continue
        label = prefix + QUALITY_LABELS.get(key, key)
        if isinstance(value, dict):
            rows.extend(_quality_rows(value, f"{label}: ") if value else [(label, "ninguna")])
        elif isinstance(value, bool) or value is None:
            rows.append((label, "sí" if value else "no"))
        elif isinstance(value, int | float):
            rows.append((label, spanish.number(value)))
        elif isinstance(value, list):
            shown = f" ({', '.join(str(v) for v in value)})" if 0 < len(value) <= _LISTED_ITEMS else ""
            rows.append((label, spanish.integer(len(value)) + shown))
        else:
            rows.append((label, str(value)))
    return rows


def _table(table: Table) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in table.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in table.rows
    )
    if not table.rows:
        body = f'<tr><td colspan="{len(table.columns)}">Ninguna.</td></tr>'
    return f"<table><caption>{escape(table.caption)}</caption><tr>{head}</tr>{body}</table>"


def _section(number: int, finding: Finding, image: str) -> str:
    tables = "".join(_table(t) for t in finding.tables)
    return (
        f'<section id="{escape(finding.key)}"><h2>{number}. {escape(finding.title)}</h2>'
        f'<p class="finding">{escape(finding.sentence)}</p>'
        f'<img src="{escape(image)}" alt="{escape(finding.title)}: {escape(finding.sentence)}">'
        f"{tables}</section>"
    )


def render(info: PageInfo, sections: list[tuple[Finding, str]]) -> str:
    """The whole page: introduction, data-quality summary, table of contents, one section per figure."""
    quality = info.quality
    origin = f" a partir de <code>{escape(info.source)}</code>" if info.source else ""
    built = built_at(info.version)
    when = f", construida por el ETL el {built:%d/%m/%Y %H:%M} (UTC)" if built else ""
    quality_rows = _quality_rows(quality)
    quality_html = (
        "<table><caption>Resumen de calidad de datos (quality.json del ETL)</caption>"
        + "".join(f"<tr><th>{escape(k)}</th><td class='n'>{escape(v)}</td></tr>" for k, v in quality_rows)
        + "</table>"
        if quality_rows
        else "<p>Esta versión no trae informe de calidad (quality.json).</p>"
    )
    toc = "".join(f'<li><a href="#{escape(f.key)}">{escape(f.title)}</a></li>' for f, _ in sections)
    body = "".join(_section(i + 1, f, image) for i, (f, image) in enumerate(sections))
    generated = info.generated_at.strftime("%d/%m/%Y %H:%M")
    return f"""<!DOCTYPE html>
<html lang="es"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cartelera: análisis exploratorio del catálogo</title><style>{STYLE}</style></head>
<body><main>
<h1>Cartelera: análisis exploratorio del catálogo</h1>
<p class="meta">Versión de datos <strong>{escape(info.version)}</strong>{origin}{when}.
Informe generado el {generated} (UTC) en {spanish.decimal(info.seconds, 1)} s desde las tablas limpias de
<code>{escape(info.folder)}</code>: {spanish.integer(info.movies)} películas,
{spanish.integer(info.cast_rows)} créditos de reparto y {spanish.integer(info.director_rows)} de
dirección.</p>
<p>Cada cifra de este informe se calcula de esas tablas al generarlo; nada está escrito a mano. Un presupuesto
o unos ingresos de 0 significan «desconocido», y el retorno (ingresos / presupuesto) vale 0 cuando el
presupuesto es desconocido, igual que en la API. Las cifras valen lo que vale la fuente: si los repartos o los
resúmenes de la fuente son incompletos o sintéticos, también lo son las cifras sobre actores.</p>
{quality_html}
<nav><h2>Índice</h2><ol>{toc}</ol></nav>
{body}
<p class="note">Generado por <code>make eda</code> (<code>python -m etl.eda</code>).</p>
</main></body></html>
"""
