"""A per-user sliding-window rate limit, kept in memory (one bot process polls Telegram)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 60.0
MAX_USERS = 10_000


class RateLimiter:
    """At most `per_minute` requests per user in any 60 seconds; `per_minute <= 0` disables it."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._seen: dict[int, deque[float]] = {}
        self._warned: dict[int, float] = {}

    def allow(self, user_id: int) -> bool:
        if self.per_minute <= 0:
            return True
        now = self._clock()
        if len(self._seen) > MAX_USERS:
            self._forget_idle(now)
        seen = self._seen.setdefault(user_id, deque())
        while seen and now - seen[0] >= WINDOW_SECONDS:
            seen.popleft()
        if len(seen) >= self.per_minute:
            return False
        seen.append(now)
        return True

    def _forget_idle(self, now: float) -> None:
        # Users quiet for a whole window hold no state worth keeping; memory stays bounded.
        for user_id in [u for u, seen in self._seen.items() if not seen or now - seen[-1] >= WINDOW_SECONDS]:
            del self._seen[user_id]
            self._warned.pop(user_id, None)

    def should_warn(self, user_id: int) -> bool:
        """True once per window: a user who keeps typing gets one polite message, not one per update."""
        now = self._clock()
        last = self._warned.get(user_id)
        if last is not None and now - last < WINDOW_SECONDS:
            return False
        self._warned[user_id] = now
        return True
