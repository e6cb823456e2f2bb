"""`python -m etl.eda`: writes the exploratory report (reports/eda/index.html) from the clean tables."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import matplotlib

from shared.settings import EtlSettings
from shared.startup import start

DEFAULT_OUTPUT = Path("reports/eda")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m etl.eda",
        description="Genera el informe exploratorio (HTML + figuras PNG) desde las tablas limpias del ETL.",
    )
    parser.add_argument(
        "--input", type=Path, help="carpeta con movies.parquet, cast.parquet, directors.parquet"
    )
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help="carpeta del informe (reports/eda)"
    )
    args = parser.parse_args(argv)
    settings = start("etl", EtlSettings)
    matplotlib.use("Agg")

    from etl.eda.inputs import InputError, load_tables, resolve_input
    from etl.eda.report import build_report

    log = logging.getLogger("etl.eda")
    try:
        folder = resolve_input(settings, args.input)
        log.info("Tablas: %s", folder)
        source = None if args.input else settings.movies_data
        report = build_report(load_tables(folder), args.output, source=source)
    except InputError as error:
        log.error("%s", error)
        return 2
    log.info("Abre %s en el navegador", report.index.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
