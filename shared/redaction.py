"""Secrets this process knows, masked in every log line it writes: messages, fields and tracebacks.

The masking happens in the log formatter, the last step before a line leaves the process, so it
covers every logger (children and third-party ones included) and exception text alike.
"""

from __future__ import annotations

import threading

MASK = "<secreto>"
# Shorter values would mask ordinary words; real secrets are far longer (see MIN_SECRET_LENGTH).
_MIN_LENGTH = 6

_lock = threading.Lock()
# Replaced whole (never changed in place), so a reader on another thread sees one consistent list.
_known: list[tuple[str, ...]] = [()]


def register(*secrets: str | None) -> None:
    """Adds values to mask from now on (longest first, so a secret containing another is whole)."""
    with _lock:
        known = set(_known[0])
        known.update(s for s in secrets if s and len(s) >= _MIN_LENGTH)
        _known[0] = tuple(sorted(known, key=len, reverse=True))


def redact(text: str) -> str:
    for secret in _known[0]:
        if secret in text:
            text = text.replace(secret, MASK)
    return text
