"""Query throughput with more than one API process and on a read replica, side by side in one run.

`python -m benchmarks.processes` publishes MOVIES_DATA (default: the hybrid data when present, else
the sample) on an embedded Redis, starts an embedded replica of it (`--replicaof`), and loads, with
the same wrk settings: the gateway with API_WORKERS=1, with API_WORKERS=2 (uvicorn's
processes, as `python -m api` runs them), and with API_WORKERS=1 reading REDIS_READ_URL=replica.
It prints requests/s, p50 and p99 of each (median of interleaved rounds), and the ratio to the
one-process gateway.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import redis

from benchmarks.api_load import (
    HYBRID_DATA,
    Result,
    best_known,
    pick_mixed,
    pick_paths,
    publish,
    run_wrk,
    serve,
)
from shared import keys
from shared.embedded_redis import EmbeddedRedis, free_port
from shared.settings import REPO_ROOT, SAMPLE_DATA

logger = logging.getLogger("benchmarks.processes")


def _default_data() -> Path:
    configured = os.environ.get("MOVIES_DATA")
    if configured:
        return Path(configured)
    return HYBRID_DATA if (HYBRID_DATA / "movies_metadata.csv.gz").exists() else SAMPLE_DATA


@contextlib.contextmanager
def replica_of(primary_url: str, folder: Path) -> Iterator[str]:
    """A redis-server replicating `primary_url`, in sync with it (its dataset pointer is there)."""
    primary = redis.Redis.from_url(primary_url)
    wanted = primary.get(keys.CURRENT_VERSION)
    primary.close()
    with EmbeddedRedis(folder, persistent=False, replica_of=primary_url) as url:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
        try:
            deadline = time.monotonic() + 120
            while True:
                with contextlib.suppress(redis.RedisError):
                    if client.get(keys.CURRENT_VERSION) == wanted:
                        break
                if time.monotonic() > deadline:
                    raise SystemExit(f"the replica did not sync (see {folder}/redis.log)")
                time.sleep(0.1)
            yield url
        finally:
            client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=int, default=10, help="duration of each run")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--processes", type=int, default=2, help="API_WORKERS of the multi-process gateway")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved runs of every gateway")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not shutil.which("wrk"):
        logger.warning("wrk is not installed: skipping the processes benchmark")
        return 0

    with contextlib.ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cartelera-bench-")))
        url = stack.enter_context(EmbeddedRedis(folder / "redis", persistent=False))
        source = _default_data()
        logger.info("publishing %s", source)
        publish(url, source, folder / "data")
        read_url = stack.enter_context(replica_of(url, folder / "replica"))
        known = best_known(url)
        paths = pick_paths(known)
        loads = {
            "get_director": [paths["get_director"]],
            "score_titulo": [paths["score_titulo"]],
            "mixed (4000 questions)": pick_mixed(known, 4000),
        }
        env = {**os.environ, "REDIS_URL": url, "LOG_LEVEL": "WARNING", "PYTHONPATH": str(REPO_ROOT)}
        env.pop("ADMIN_TOKEN", None)
        env.pop("REDIS_READ_URL", None)
        gateways = {
            "1 process": stack.enter_context(serve("api.main:app", free_port(), env, 1)).base,
            f"{args.processes} processes": stack.enter_context(
                serve("api.main:app", free_port(), env, args.processes)
            ).base,
            "1 process, replica": stack.enter_context(
                serve("api.main:app", free_port(), {**env, "REDIS_READ_URL": read_url}, 1)
            ).base,
        }
        logger.info(
            "load: wrk, %d connections, %d s per run, %d rounds", args.connections, args.seconds, args.rounds
        )
        # Rounds interleave the gateways (1, 2, replica, 1, 2, replica, ...), so a neighbour's burst
        # of load on a shared machine falls on all of them alike; the median of each is reported.
        runs: dict[tuple[str, str], list[Result]] = {}
        for _ in range(args.rounds):
            for name, asked in loads.items():
                for label, base in gateways.items():
                    result = run_wrk(f"{name}, {label}", base, asked, args.seconds, args.connections)
                    runs.setdefault((name, label), []).append(result)
    lines = [
        f"{'load (median of the rounds)':<44}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'vs 1':>7}{'non-2xx':>9}"
    ]
    for name in loads:
        reference = statistics.median(r.requests_per_second for r in runs[(name, "1 process")])
        for label in gateways:
            done = runs[(name, label)]
            rps = statistics.median(r.requests_per_second for r in done)
            lines.append(
                f"{name + ', ' + label:<44}{rps:>10.0f}{statistics.median(r.p50_ms for r in done):>9.2f}"
                f"{statistics.median(r.p99_ms for r in done):>9.2f}{rps / reference:>7.2f}"
                f"{sum(r.non_2xx for r in done):>9}"
            )
    lines.append(f"on {os.cpu_count()} cores; wrk itself uses some of them")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
