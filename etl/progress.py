"""Progress of long ETL steps: a bar on a terminal, log lines otherwise, and a callback for jobs."""

from __future__ import annotations

import logging
import resource
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")
logger = logging.getLogger("etl")

ProgressCallback = Callable[[int, str], None]


class Progress:
    """Named steps with a percentage; reports to the log (or a bar) and to an optional callback."""

    def __init__(self, steps: list[str], callback: ProgressCallback | None = None) -> None:
        self.steps = steps
        self.callback = callback
        self.done = 0
        self._started = time.perf_counter()
        self._step = ""
        self._bar = tqdm(total=len(steps), unit="paso", file=sys.stderr) if sys.stderr.isatty() else None

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.steps))

    def start(self, step: str) -> None:
        self._step, self._started = step, time.perf_counter()
        if self._bar is not None:
            self._bar.set_description(step)
        else:
            logger.info("[%d/%d] %s", self.done + 1, len(self.steps), step)
        if self.callback is not None:
            self.callback(self.percent, step)

    def finish(self) -> None:
        self.done += 1
        # Each step's cost in the log (not over a terminal's bar): where a slow or big run went.
        if self._bar is None:
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
            logger.info(
                "[%d/%d] %s: %.1f s, memoria máxima hasta aquí %.0f MB",
                self.done,
                len(self.steps),
                self._step,
                time.perf_counter() - self._started,
                peak_mb,
            )
        else:
            self._bar.update(1)
            if self.done == len(self.steps):
                self._bar.close()

    def track(self, step: str, items: Iterable[T]) -> Iterator[T]:
        self.start(step)
        yield from items
        self.finish()
