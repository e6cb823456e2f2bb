"""What every entry point does first: read its own settings, then configure logging from them."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from types import TracebackType

from pydantic import RedisDsn, SecretStr

from shared import redaction
from shared.logging_setup import configure_logging
from shared.redis_url import carried_password
from shared.settings import S, SettingsError, load

# Exit code of a service whose settings are invalid (the launcher's own is 3, see its README).
INVALID_SETTINGS = 2


def start(service: str, cls: type[S], *, request_ids: bool = False) -> S:
    """`cls` from the environment and logging in its LOG_FORMAT; invalid settings end the process with
    one clear line per problem (never a traceback, never a value: it may be a secret)."""
    configure_logging(service)
    try:
        settings = load(cls)
    except SettingsError as exc:
        logging.getLogger(service).error("invalid settings, %s is not started: %s", service, exc)
        raise SystemExit(INVALID_SETTINGS) from None
    configure_logging(service, settings.log_level, settings.log_format, request_ids=request_ids)
    redaction.register(*secrets_of(settings))
    _log_uncaught_exceptions(service)
    return settings


def secrets_of(settings: object) -> list[str]:
    """Every secret value of `settings`: its SecretStr fields and the passwords of its Redis URLs."""
    values = [v.get_secret_value() for v in vars(settings).values() if isinstance(v, SecretStr)]
    urls = [v for v in vars(settings).values() if isinstance(v, RedisDsn)]
    # Both spellings: as the URL shows it (percent-encoded) and as the server knows it.
    values.extend(url.password for url in urls if url.password)
    values.extend(filter(None, (carried_password(str(url)) for url in urls)))
    return values


def _log_uncaught_exceptions(service: str) -> None:
    """An exception nobody caught is logged like any other line (format and redaction included),
    instead of Python printing its traceback raw on stderr."""
    logger = logging.getLogger(service)

    def log(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        logger.critical("uncaught exception, %s stops", service, exc_info=(kind, error, tb))

    def log_thread(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            logger.critical(
                "uncaught exception in thread %s",
                args.thread.name if args.thread else "?",
                exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
            )

    sys.excepthook = log
    threading.excepthook = log_thread


def exit_cleanly_on_sigterm(code: int = 0) -> None:
    """SIGTERM raises SystemExit, so the entry point's `finally` (stopping the embedded Redis it
    started) runs. uvicorn re-raises the SIGTERM it handled gracefully, and the default action
    would end the process right there."""

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(code)

    signal.signal(signal.SIGTERM, stop)
