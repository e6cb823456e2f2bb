"""Child process of a refresh: builds the dataset with the ETL and publishes it, reporting on stdout.

Run by the `refresh_dataset` job (`python -m worker.refresh_child --source ... --data-dir ...`,
REDIS_URL in the environment) so the ETL's memory is returned to the system when it exits and
the worker's own footprint stays that of a query server. Each stdout line is one event:
`@progress <0-100> <Spanish sentence>` or `@version <published version>`; logs go to stderr.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import redis

logger = logging.getLogger(__name__)

PROGRESS = "@progress"
VERSION = "@version"


def _emit(*parts: object) -> None:
    sys.stdout.write(" ".join(str(p) for p in parts) + "\n")
    sys.stdout.flush()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    url = os.environ.get("REDIS_URL")
    if not url:
        logger.error("REDIS_URL is required")
        return 2

    from etl.pipeline import build_dataset
    from etl.publish import publish

    _emit(PROGRESS, 15, "Leyendo, limpiando y transformando los archivos de origen.")
    build = build_dataset(args.source, args.data_dir)
    _emit(PROGRESS, 70, "Publicando la versión nueva en Redis.")
    client = redis.Redis.from_url(url)
    try:
        version = publish(client, build)
    finally:
        client.close()
    _emit(VERSION, version)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
