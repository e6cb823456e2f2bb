"""The load benchmark's fallback driver (locust, when wrk is missing) with a hostile load's paths."""

from __future__ import annotations

import os
import random
import string

from benchmarks.api_load import run_locust, serve
from shared.embedded_redis import free_port


def test_locust_asks_thousands_of_long_paths_in_turn() -> None:
    # 4,000 paths of 200 characters: 800 KB, more than one environment variable may hold (128 KB).
    rng = random.Random(7)
    paths = ["/ok?t=" + "".join(rng.choices(string.ascii_letters, k=194)) for _ in range(4000)]
    with serve("benchmarks.trivial_app:app", free_port(), dict(os.environ), 1) as server:
        result = run_locust("long paths", server.base, paths, 2, 4)
    assert result.requests > 0
    assert result.non_2xx == 0
    assert result.path == "4000 paths"
