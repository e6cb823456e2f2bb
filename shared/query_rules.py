"""The rules that decide what a query answers, apart from how the answer is worded."""

from __future__ import annotations

# The brief's threshold: a film's votes are reported only from this many on (`/votos_titulo`).
MIN_VOTES = 2000
