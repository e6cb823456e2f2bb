"""`python -m worker`: the arq worker, with an embedded Redis when REDIS_URL is unset.

Only this entry point starts an embedded Redis for the worker, and it stops only a server it
started itself (one another entry point runs in the same DATA_DIR is joined, and outlives it).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from arq.worker import async_check_health
from pydantic import RedisDsn
from redis.exceptions import RedisError

from shared import jobs
from shared.embedded_redis import resolve_redis_url
from shared.redis_client import arq_redis_settings
from shared.settings import WorkerServiceSettings
from shared.startup import start
from worker.settings import worker_options
from worker.waking_worker import REDIS_LOST_EXIT, WakingWorker

logger = logging.getLogger("worker")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m worker", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="health check: exit 0 if a worker is alive")
    parser.add_argument("--burst", action="store_true", help="run queued jobs, then exit")
    args = parser.parse_args(argv)
    settings = start("worker", WorkerServiceSettings)
    if args.check:
        if settings.redis_url is None:
            logger.error("--check needs REDIS_URL")
            return 1
        return asyncio.run(
            async_check_health(arq_redis_settings(str(settings.redis_url)), None, jobs.QUEUE_NAME)
        )
    url, server = resolve_redis_url(settings.redis_url, settings.data_dir)
    try:
        pinned = settings.model_copy(update={"redis_url": RedisDsn(url)})
        WakingWorker(**worker_options(pinned, url), burst=args.burst).run()
    except (RedisError, ConnectionError, TimeoutError) as exc:
        # The worker waits for Redis wherever it knows how to; a failure anywhere else ends it with
        # a code the launcher restarts without counting a crash.
        logger.error("Redis failed where the worker did not expect it (%s); exiting to be restarted", exc)
        return REDIS_LOST_EXIT
    finally:
        if server is not None:
            server.stop()
            logger.info("embedded Redis stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
