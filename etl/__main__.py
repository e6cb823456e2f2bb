"""`python -m etl`: rebuild the dataset from MOVIES_DATA and publish it as a new version."""

from __future__ import annotations

import argparse
import logging
import sys

from etl.pipeline import run
from etl.publish import PublishError
from shared.logging_setup import configure_logging
from shared.settings import Settings
from shared.source import SourceError

logger = logging.getLogger("etl")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    parser.add_argument(
        "--progress-lines",
        action="store_true",
        help="print 'progress <0-100> <detalle>' lines on stdout (for the worker's refresh job)",
    )
    args = parser.parse_args(argv)
    configure_logging()

    def report(percent: int, detail: str) -> None:
        sys.stdout.write(f"progress {percent} {detail}\n")
        sys.stdout.flush()

    try:
        version = run(Settings(), on_progress=report if args.progress_lines else None)
    except (SourceError, FileNotFoundError) as error:
        logger.error("no se encontraron los datos de origen: %s", error)
        return 2
    except PublishError as error:
        logger.error("%s", error)
        return 3
    logger.info("versión publicada: %s", version)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
