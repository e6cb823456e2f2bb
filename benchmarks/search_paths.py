"""`/buscar` questions for the load benchmark: the best known titles typed letter by letter."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote


def typed_searches(titles: Sequence[str], count: int) -> list[str]:
    """`count` distinct `/buscar?q=` paths: each title's prefixes (2 letters and more), as a user's
    keystrokes would send them, lower-cased; well-known titles first."""
    paths: list[str] = []
    seen: set[str] = set()
    for title in titles:
        typed = title.lower()
        for length in range(2, min(len(typed), 20) + 1):
            prefix = typed[:length].strip()
            if prefix and prefix not in seen:
                seen.add(prefix)
                paths.append("/buscar?q=" + quote(prefix, safe=""))
                if len(paths) >= count:
                    return paths
    return paths
