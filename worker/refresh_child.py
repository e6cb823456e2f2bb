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

from shared.logging_setup import configure_logging

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
    configure_logging()
    url = os.environ.get("REDIS_URL")
    if not url:
        logger.error("REDIS_URL is required")
        return 2

    from etl.pipeline import STEPS, build_dataset
    from etl.progress import Progress
    from etl.publish import publish

    def step(percent: int, detail: str) -> None:
        # The ETL's own steps fill 10-90 % of the job; the worker reports the rest.
        _emit(PROGRESS, 10 + round(percent * 0.8), f"ETL: {detail}.")

    progress = Progress(STEPS, step)
    build = build_dataset(args.source, args.data_dir, progress=progress)
    progress.start(STEPS[-1])
    client = redis.Redis.from_url(url)
    try:
        version = publish(client, build)
    finally:
        client.close()
    progress.finish()
    _emit(VERSION, version)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
