"""Child process of a refresh: builds the dataset with the ETL and publishes it, reporting on stdout.

Run by the `refresh_dataset` job (`python -m worker.refresh_child --source ... --data-dir ...`,
REDIS_URL in the environment) so the ETL's memory is returned to the system when it exits and
the worker's own footprint stays that of a query server. Each stdout line is one event:
`@progress <0-100> <Spanish sentence>` or `@version <published version>`; logs go to stderr.
"""

from __future__ import annotations

import argparse
import ctypes
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

import redis

from shared.settings import EtlSettings
from shared.startup import start
from shared.wording import jobs as wording

logger = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1
PROGRESS = "@progress"
VERSION = "@version"


def _emit(*parts: object) -> None:
    sys.stdout.write(" ".join(str(p) for p in parts) + "\n")
    sys.stdout.flush()


def _die_with_parent(parent: int) -> None:
    """On Linux, ask the kernel to kill this process when the worker dies (even by SIGKILL), so
    a half-done refresh never publishes after its worker is gone."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the worker died before the request took effect
        raise SystemExit(3)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--parent-pid", type=int, default=None)
    args = parser.parse_args(argv)
    if args.parent_pid is not None:
        _die_with_parent(args.parent_pid)
    # Its log lines are the worker's (they share its stderr); its settings are the ETL's.
    settings = start("worker", EtlSettings)
    if settings.redis_url is None:
        logger.error("REDIS_URL is required")
        return 2
    url = str(settings.redis_url)

    from etl.pipeline import STEPS, build_release
    from etl.progress import Progress
    from etl.publish import publish

    def step(percent: int, detail: str) -> None:
        # The ETL's own steps fill 10-90 % of the job; the worker reports the rest.
        _emit(PROGRESS, 10 + round(percent * 0.8), wording.etl_step(detail))

    progress = Progress(STEPS, step)
    release = build_release(args.source, args.data_dir, progress=progress)
    progress.start(STEPS[-1])
    client = redis.Redis.from_url(url)
    try:
        version = publish(client, release)
    finally:
        client.close()
    progress.finish()
    _emit(VERSION, version)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
