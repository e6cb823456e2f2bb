"""What every entry point does first: read its own settings, then configure logging from them."""

from __future__ import annotations

import logging
import signal

from shared.logging_setup import configure_logging
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
    return settings


def exit_cleanly_on_sigterm(code: int = 0) -> None:
    """SIGTERM raises SystemExit, so the entry point's `finally` (stopping the embedded Redis it
    started) runs. uvicorn re-raises the SIGTERM it handled gracefully, and the default action
    would end the process right there."""

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(code)

    signal.signal(signal.SIGTERM, stop)
