"""Keeps the bot's token out of every log line, whatever the log level.

httpx logs request URLs and PTB logs the Bot API's base URL at DEBUG, and both carry the token.
"""

from __future__ import annotations

import logging

from shared import redaction

# The loggers that see Bot API URLs: PTB's bot classes and its helpers, and the HTTP stack.
LOGGERS = (
    "telegram",
    "telegram.Bot",
    "telegram.ext",
    "telegram.ext.ExtBot",
    "telegram.ext.Updater",
    "httpx",
    "httpcore",
)
MASK = "<token>"


class TokenFilter(logging.Filter):
    """Rewrites a record that mentions the token (a filter runs on the logger that creates the record)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, MASK), None
        return True


def hide_token(token: str) -> None:
    """Installs the filter once per logger; quiets httpx, which logs a line per request. Our log
    format masks the token everywhere too (`shared.redaction`); the filters also cover handlers
    that are not ours (pytest's caplog)."""
    redaction.register(token)
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, TokenFilter) and f.token == token for f in logger.filters):
            logger.addFilter(TokenFilter(token))
