"""What `/buscar` answered for a typed text, kept for a short time: typing sends a query per key."""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any

TTL_SECONDS = 60.0
MAX_QUERIES = 2048


class InlineCache:
    """Bounded, expiring, per bot process; it holds search results only, nothing about users."""

    def __init__(self, ttl: float = TTL_SECONDS, capacity: int = MAX_QUERIES) -> None:
        self.ttl = ttl
        self.capacity = capacity
        self._entries: OrderedDict[str, tuple[float, list[dict[str, Any]]]] = OrderedDict()

    def get(self, key: str) -> list[dict[str, Any]] | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        stored, results = entry
        if time.monotonic() - stored > self.ttl:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return results

    def put(self, key: str, results: list[dict[str, Any]]) -> None:
        self._entries[key] = (time.monotonic(), results)
        self._entries.move_to_end(key)
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)
