"""How fast and how good the "¿quisiste decir?" suggestions are on MOVIES_DATA (default: the hybrid data).

`python -m benchmarks.suggestions` runs the ETL's artefact step (no Redis, no model), builds the
API's in-process catalogues as the gateway does once per dataset version, and prints, for typical
typos, the suggestions and the median time of a lookup.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import orjson

from api.services.suggestions import Catalog, build_people_catalog, build_title_catalog
from benchmarks.common import movies_data, table

TYPOS = [
    ("actors", "Tom Hanx"),
    ("actors", "Tim Hanks"),
    ("actors", "Tom Hnaks"),
    ("actors", "TomHanks"),
    ("actors", "hanks"),
    ("actors", "Penelope Crus"),
    ("actors", "Morgan Freman"),
    ("actors", "leonardo di caprio"),
    ("actors", "Scarlet Johanson"),
    ("directors", "Steven Spilberg"),
    ("directors", "spielberg"),
    ("directors", "Stephen Spielberg"),
    ("directors", "Quentin Tarantio"),
    ("titles", "Toy Stori"),
    ("titles", "jurasic park"),
    ("titles", "toystory"),
    ("titles", "the godfater"),
    ("titles", "Star Wras"),
    ("titles", "harry pott"),
]
REPEATS = 20


def _label(entry: dict[str, object]) -> str:
    return str(entry["nombre"]) if "nombre" in entry else f"{entry['titulo']} ({entry['anio']})"


def main() -> int:
    from etl.artefacts import build_artefacts
    from etl.extract import read_credits, read_movies
    from etl.quality import QualityReport
    from etl.transform import clean_credits, clean_movies
    from shared.source import locate

    source = locate(movies_data())
    report = QualityReport()
    movies = clean_movies(read_movies(source), report)
    cast, directors = clean_credits(read_credits(source), movies["id"], report)
    artefacts = build_artefacts(movies, cast, directors)
    payloads: dict[str, tuple[Callable[[bytes], Catalog[Any]], bytes]] = {
        "titles": (build_title_catalog, orjson.dumps(artefacts.title_catalog)),
        "actors": (build_people_catalog, orjson.dumps(artefacts.actor_catalog)),
        "directors": (build_people_catalog, orjson.dumps(artefacts.director_catalog)),
    }
    catalogs: dict[str, Catalog[Any]] = {}
    build_rows = []
    for kind, (build, raw) in payloads.items():
        started = time.perf_counter()
        catalogs[kind] = build(raw)
        seconds = time.perf_counter() - started
        build_rows.append([kind, str(len(catalogs[kind].keys)), f"{seconds * 1000:.0f}"])
    sys.stdout.write(table(["catálogo", "claves", "construcción ms"], build_rows) + "\n\n")

    rows, medians = [], []
    for kind, typed in TYPOS:
        catalog = catalogs[kind]
        per_key = 2 if kind == "titles" else 1
        timings = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            found = catalog.suggest(typed, 5, per_key)
            timings.append(time.perf_counter() - started)
        median = statistics.median(timings) * 1000
        medians.append(median)
        shown = ", ".join(_label(entry) for entry in found[:3])
        rows.append([kind, typed, f"{median:.2f}", f"{max(timings) * 1000:.2f}", shown])
    sys.stdout.write(table(["catálogo", "escrito", "mediana ms", "máx ms", "sugerencias"], rows) + "\n")
    sys.stdout.write(
        f"mediana de las medianas: {statistics.median(medians):.2f} ms; peor mediana: {max(medians):.2f} ms\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
