"""Capped exponential backoff with jitter, for services that wait for a dependency to come back."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

FIRST_SECONDS = 0.1
LAST_SECONDS = 5.0


@dataclass
class Backoff:
    """`next()` gives the pause before the next attempt: `first`, doubling up to `last`, each one
    drawn between half and all of it, so processes that lost Redis at one moment do not all knock
    again at the same instant. `reset()` after a success."""

    first: float = FIRST_SECONDS
    last: float = LAST_SECONDS
    failures: int = 0
    _random: random.Random = field(default_factory=random.Random, repr=False)

    def next(self) -> float:
        ceiling = min(self.first * 2.0 ** min(self.failures, 30), self.last)
        self.failures += 1
        return ceiling * (0.5 + 0.5 * self._random.random())

    def reset(self) -> None:
        self.failures = 0
