"""Every line `make run` prints, on one stream, prefixed by the service it comes from."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from typing import TextIO

LAUNCHER = "launcher"
_COLORS = ("36", "32", "35", "33", "34", "91", "96")
_RESET = "\033[0m"


class Output:
    """Writes `name | line` to one stream; the prefixes line up and, on a terminal, have colours."""

    def __init__(self, stream: TextIO, names: Iterable[str], *, color: bool | None = None) -> None:
        self._stream = stream
        self._names = [LAUNCHER, *names]
        self._width = max(len(name) for name in self._names)
        if color is None:
            color = stream.isatty() and not os.environ.get("NO_COLOR")
        self._color = color

    def prefix(self, name: str) -> str:
        label = f"{name:<{self._width}} | "
        if not self._color:
            return label
        index = self._names.index(name) if name in self._names else len(self._names)
        return f"\033[{_COLORS[index % len(_COLORS)]}m{label}{_RESET}"

    def line(self, name: str, text: str) -> None:
        self._stream.write(f"{self.prefix(name)}{text.rstrip()}\n")
        self._stream.flush()

    def log_handler(self) -> logging.Handler:
        """A handler that writes the launcher's own log records through the same prefixes."""
        return _PrefixHandler(self)


class _PrefixHandler(logging.Handler):
    def __init__(self, output: Output) -> None:
        super().__init__()
        self._output = output
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            for text in self.format(record).splitlines() or [""]:
                self._output.line(LAUNCHER, text)
        except Exception:  # a logging handler must never raise into the code that logs
            self.handleError(record)
