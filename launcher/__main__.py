"""`python -m launcher` (what `make run` runs): Redis, the ETL when needed, the API, the worker, the bot."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence

from launcher.app import ExitCode, Options, run
from launcher.output import LAUNCHER, Output
from launcher.services import API, BOT, ETL, worker_names
from shared import redaction
from shared.settings import LauncherSettings, SettingsError, load
from shared.startup import secrets_of

logger = logging.getLogger("launcher")


def parse_options(argv: Sequence[str] | None) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m launcher",
        description="Run the whole system under one supervisor; Ctrl-C stops it.",
        epilog="Exit codes: 0 stopped on request, 1 unexpected error, 2 bad option, 3 cannot start "
        "(port taken, MOVIES_DATA missing, Redis unreachable, invalid settings), 4 the ETL failed, "
        "5 a service crashed more than --max-restarts times in a row.",
    )
    data = parser.add_mutually_exclusive_group()
    data.add_argument("--rebuild", action="store_true", help="run the ETL even if the data is unchanged")
    data.add_argument("--no-etl", action="store_true", help="never run the ETL; serve what is published")
    parser.add_argument(
        "--max-restarts",
        type=_count,
        default=5,
        metavar="N",
        help="restarts of a crashed service in a row before giving up (default 5; 0: never restart)",
    )
    parser.add_argument(
        "--stop-timeout",
        type=_seconds,
        default=10.0,
        metavar="SECONDS",
        help="how long a service may take to stop before it is killed (default 10)",
    )
    args = parser.parse_args(argv)
    return Options(
        rebuild=args.rebuild,
        etl=not args.no_etl,
        max_restarts=args.max_restarts,
        stop_timeout=args.stop_timeout,
    )


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {text}")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not value >= 0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds, not {text}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_options(argv)
    root = logging.getLogger()
    root.handlers[:] = [Output(sys.stdout, [API, *worker_names(1), BOT, ETL]).log_handler()]
    root.setLevel(logging.INFO)
    try:
        settings = load(LauncherSettings)
    except SettingsError as exc:
        # Names and what is wrong only: a value may be a secret.
        logger.error("invalid settings: %s", exc)
        return ExitCode.CANNOT_START
    redaction.register(*secrets_of(settings))
    names = [API, *worker_names(settings.worker_processes), BOT, ETL]
    output = Output(sys.stdout, names, log_format=settings.log_format)
    root.handlers[:] = [output.log_handler()]
    root.setLevel(settings.log_level)
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    logger.debug("%s logs in %s format", LAUNCHER, settings.log_format)
    try:
        return asyncio.run(run(settings, options, output, os.environ))
    except KeyboardInterrupt:
        return ExitCode.OK
    except Exception:
        logger.exception("the launcher failed")
        return ExitCode.ERROR


if __name__ == "__main__":
    sys.exit(main())
