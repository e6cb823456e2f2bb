"""Logging configured once per entry point: one line per record, with the service and request id."""

from __future__ import annotations

import logging
import os

_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def configure_logging(level: str | None = None) -> None:
    logging.basicConfig(level=(level or os.environ.get("LOG_LEVEL", "INFO")).upper(), format=_FORMAT)
    # httpx logs full URLs, and the bot's carry its token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
