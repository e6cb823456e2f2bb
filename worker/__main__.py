"""`python -m worker`: the arq worker, with an embedded Redis when REDIS_URL is unset."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from arq.worker import async_check_health, run_worker

from shared import jobs
from shared.embedded_redis import resolve_redis_url
from shared.logging_setup import configure_logging
from shared.redis_client import arq_redis_settings
from shared.settings import Settings
from worker.settings import worker_options


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m worker", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="health check: exit 0 if a worker is alive")
    parser.add_argument("--burst", action="store_true", help="run queued jobs, then exit")
    args = parser.parse_args(argv)
    configure_logging()
    settings = Settings()
    if args.check:
        if not settings.redis_url:
            logging.getLogger(__name__).error("--check needs REDIS_URL")
            return 1
        return asyncio.run(async_check_health(arq_redis_settings(settings.redis_url), None, jobs.QUEUE_NAME))
    url, server = resolve_redis_url(settings.redis_url, settings.data_dir)
    try:
        run_worker(worker_options(settings, url), burst=args.burst)
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
