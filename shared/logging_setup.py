"""One log format for every service, configured once per entry point (LOG_FORMAT `json` or `text`).

Every line carries: time (UTC), level, service, logger, message; in the API, the request id; the
request's fields of an access line (method, path, route, status, duration_ms, client); the
traceback of an exception. `json` writes them as one object per line, `text` as one readable line.
"""

from __future__ import annotations

import contextvars
import logging
import sys
import time
from typing import Any, TextIO

import orjson

from shared.redaction import redact

# Set by the API's request middleware for the duration of a request.
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# Fields a record may carry in `extra=` (the API's access line) and that every format prints.
EXTRA_FIELDS = ("method", "path", "route", "status", "duration_ms", "client")
# Loggers of libraries that are too chatty at INFO; httpx logs full URLs, and the bot's carry its token.
_QUIET = ("httpx", "httpcore")


def _timestamp(record: logging.LogRecord) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z"


class RequestIdFilter(logging.Filter):
    """Stamps every record with the id of the request being served ("-" outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class _ServiceFormatter(logging.Formatter):
    def __init__(self, service: str, *, request_ids: bool = False) -> None:
        super().__init__()
        self.service = service
        self.request_ids = request_ids

    def fields(self, record: logging.LogRecord) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "ts": _timestamp(record),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
        }
        if self.request_ids:
            entry["request_id"] = getattr(record, "request_id", None) or request_id_var.get()
        entry["message"] = record.getMessage()
        for field in EXTRA_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["exception"] = self.formatStack(record.stack_info)
        return entry


class JsonFormatter(_ServiceFormatter):
    """One JSON object per line (`LOG_FORMAT=json`)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = self.fields(record)
        # Which process of the service wrote it (API_WORKERS, WORKER_PROCESSES run several).
        entry["pid"] = record.process
        return redact(orjson.dumps(entry, default=str).decode())


class TextFormatter(_ServiceFormatter):
    """`2026-12-04T16:00:00.123Z INFO api api.access [<request id>] GET /x -> 200 route=... status=...`."""

    def format(self, record: logging.LogRecord) -> str:
        entry = self.fields(record)
        parts = [entry.pop("ts"), entry.pop("level"), entry.pop("service"), entry.pop("logger")]
        if "request_id" in entry:
            parts.append(f"[{entry.pop('request_id')}]")
        parts.append(entry.pop("message"))
        exception = entry.pop("exception", None)
        parts.extend(f"{name}={value}" for name, value in entry.items())
        line = " ".join(str(part) for part in parts)
        return redact(f"{line}\n{exception}" if exception else line)


def formatter(service: str, log_format: str = "text", *, request_ids: bool = False) -> logging.Formatter:
    kind = JsonFormatter if log_format == "json" else TextFormatter
    return kind(service, request_ids=request_ids)


def configure_logging(
    service: str,
    level: str = "INFO",
    log_format: str = "text",
    *,
    request_ids: bool = False,
    stream: TextIO | None = None,
) -> None:
    """Route every record of the process through one handler on stderr, in the service's format."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter(service, log_format, request_ids=request_ids))
    if request_ids:
        handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in _QUIET:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    # Libraries that install their own handlers print through ours instead, in our format.
    for name in ("uvicorn", "uvicorn.error", "arq"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
