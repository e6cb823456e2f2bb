"""`python -m etl`: rebuild the dataset from MOVIES_DATA and publish it as a new version.

With REDIS_URL unset it publishes to an embedded Redis in DATA_DIR (started for the run and stopped
after it, unless another entry point already runs one there: that one is joined and left running).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys

from pydantic import RedisDsn

from etl.pipeline import run
from etl.publish import PublishError
from shared.embedded_redis import resolve_redis_url
from shared.settings import EtlSettings
from shared.source import SourceError
from shared.startup import exit_cleanly_on_sigterm, start

logger = logging.getLogger("etl")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--progress-lines",
        action="store_true",
        help="print 'progress <0-100> <detalle>' lines on stdout (for the worker's refresh job)",
    )
    args = parser.parse_args(argv)
    settings = start("etl", EtlSettings)

    def report(percent: int, detail: str) -> None:
        sys.stdout.write(f"progress {percent} {detail}\n")
        sys.stdout.flush()

    url, server = resolve_redis_url(settings.redis_url, settings.data_dir)
    # Interrupted is not done: the conventional 128 + SIGTERM, after the cleanup.
    exit_cleanly_on_sigterm(128 + signal.SIGTERM)
    try:
        pinned = settings.model_copy(update={"redis_url": RedisDsn(url)})
        version = run(pinned, on_progress=report if args.progress_lines else None)
    except (SourceError, FileNotFoundError) as error:
        logger.error("no se encontraron los datos de origen: %s", error)
        return 2
    except PublishError as error:
        logger.error("%s", error)
        return 3
    finally:
        if server is not None:
            server.stop()
    logger.info("versión publicada: %s", version)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
