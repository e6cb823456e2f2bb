"""How fast and how good the "¿quisiste decir?" suggestions are on MOVIES_DATA (default: the hybrid data).

`python -m benchmarks.suggestions` runs the ETL's artefact step (no Redis, no model), builds the
API's in-process catalogues as the gateway does once per dataset version, and prints, for typical
typos, the suggestions and the median time of a lookup, side by side with the same catalogues
looking typed words up by the group scan the deletion index replaced (`benchmarks.word_scan`).
"""

from __future__ import annotations

import dataclasses
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import orjson

from api.services.suggestions import Catalog, build_people_catalog, build_title_catalog
from api.services.word_deletions import DeletionIndex
from benchmarks.common import movies_data, table
from benchmarks.word_scan import WordScan

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
    ("titles", "Les Miserbles"),  # an accent missing and a letter
    ("titles", "Park Jurassic"),  # words in another order
    ("titles", "Indiana Jones and the Last Crusdae"),  # a typo at the end of a long title
    ("titles", "Austin Powers: Internacional Man of Mistery"),
    ("actors", "Cruz Penelope"),
]
REPEATS = 20


def _label(entry: dict[str, object]) -> str:
    return str(entry["nombre"]) if "nombre" in entry else f"{entry['titulo']} ({entry['anio']})"


def _timed(catalog: Catalog[Any], typed: str, per_key: int) -> tuple[list[Any], list[float]]:
    timings = []
    found: list[Any] = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        found = catalog.suggest(typed, 5, per_key)
        timings.append(time.perf_counter() - started)
    return found, timings


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
    scans: dict[str, Catalog[Any]] = {}
    build_rows = []
    for kind, (build, raw) in payloads.items():
        started = time.perf_counter()
        catalogs[kind] = build(raw)
        seconds = time.perf_counter() - started
        index = catalogs[kind].index
        started = time.perf_counter()
        scan = WordScan.of(index.vocabulary)
        scan_seconds = time.perf_counter() - started
        scans[kind] = dataclasses.replace(catalogs[kind], index=dataclasses.replace(index, similar=scan))
        started = time.perf_counter()
        deletions = DeletionIndex.of(index.vocabulary)
        index_seconds = time.perf_counter() - started
        table_mb = (len(deletions.slots) + len(deletions.holders)) * 4 / 2**20
        build_rows.append(
            [
                kind,
                str(len(catalogs[kind].keys)),
                str(len(index.vocabulary)),
                f"{seconds * 1000:.0f}",
                f"{index_seconds * 1000:.0f}",
                f"{scan_seconds * 1000:.0f}",
                f"{table_mb:.1f}",
            ]
        )
    headers = [
        "catálogo",
        "claves",
        "palabras",
        "construcción ms",
        "de ello índice ms",
        "escaneo ms",
        "índice MB",
    ]
    sys.stdout.write(table(headers, build_rows) + "\n\n")

    rows, medians, scan_medians = [], [], []
    for kind, typed in TYPOS:
        per_key = 2 if kind == "titles" else 1
        found, timings = _timed(catalogs[kind], typed, per_key)
        scan_found, scan_timings = _timed(scans[kind], typed, per_key)
        medians.append(statistics.median(timings) * 1000)
        scan_medians.append(statistics.median(scan_timings) * 1000)
        shown = ", ".join(_label(entry) for entry in found[:3])
        same = "sí" if found == scan_found else "NO"
        rows.append(
            [
                kind,
                typed,
                f"{scan_medians[-1]:.2f}",
                f"{medians[-1]:.2f}",
                f"{max(timings) * 1000:.2f}",
                same,
                shown,
            ]
        )
    headers = ["catálogo", "escrito", "escaneo ms", "índice ms", "máx ms", "iguales", "sugerencias"]
    sys.stdout.write(table(headers, rows) + "\n")
    sys.stdout.write(
        f"mediana de las medianas: escaneo {statistics.median(scan_medians):.2f} ms, índice "
        f"{statistics.median(medians):.2f} ms; peor mediana: escaneo {max(scan_medians):.2f} ms, índice "
        f"{max(medians):.2f} ms\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
