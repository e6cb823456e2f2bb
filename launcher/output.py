"""Every line `make run` prints, on one stream: the launcher's own records and its children's lines.

With LOG_FORMAT=text each line is prefixed by the service it comes from (aligned, coloured on a
terminal); with LOG_FORMAT=json each line is one JSON object that names its service, as the
children write them, so the whole stream can go to a log collector as it is.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable
from typing import TextIO

import orjson

from shared.logging_setup import formatter

LAUNCHER = "launcher"
_COLORS = ("36", "32", "35", "33", "34", "91", "96")
_RESET = "\033[0m"


class Output:
    """Writes `name | line` (text) or JSON lines (json) to one stream."""

    def __init__(
        self,
        stream: TextIO,
        names: Iterable[str],
        *,
        color: bool | None = None,
        log_format: str = "text",
    ) -> None:
        self._stream = stream
        self._names = [LAUNCHER, *names]
        self._width = max(len(name) for name in self._names)
        self.json = log_format == "json"
        if color is None:
            color = stream.isatty() and not os.environ.get("NO_COLOR") and not self.json
        self._color = color

    def prefix(self, name: str) -> str:
        if self.json:
            return ""
        label = f"{name:<{self._width}} | "
        if not self._color:
            return label
        index = self._names.index(name) if name in self._names else len(self._names)
        return f"\033[{_COLORS[index % len(_COLORS)]}m{label}{_RESET}"

    def line(self, name: str, text: str) -> None:
        text = text.rstrip()
        if self.json and not text.startswith("{"):
            # Not a log record of the child (e.g. a crash before its logging was configured).
            text = orjson.dumps(
                {
                    "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "level": "INFO",
                    "service": name,
                    "logger": f"{name}.output",
                    "message": text,
                }
            ).decode()
        self._stream.write(f"{self.prefix(name)}{text}\n")
        self._stream.flush()

    def log_handler(self) -> logging.Handler:
        """A handler that writes the launcher's own log records in the same format as its children."""
        return _LauncherHandler(self)


class _LauncherHandler(logging.Handler):
    def __init__(self, output: Output) -> None:
        super().__init__()
        self._output = output
        self.setFormatter(formatter(LAUNCHER, "json" if output.json else "text"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
            for line in [text] if self._output.json else text.splitlines() or [""]:
                self._output.line(LAUNCHER, line)
        except Exception:  # a logging handler must never raise into the code that logs
            self.handleError(record)
