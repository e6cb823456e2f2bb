"""Query throughput with more than one API process and on a read replica, side by side in one run.

`python -m benchmarks.processes` publishes MOVIES_DATA (default: the hybrid data when present, else
the sample) on an embedded Redis, starts a replica of it (`redis-server --replicaof`), and loads,
with the same wrk settings: the gateway with API_WORKERS=1, with API_WORKERS=2 (uvicorn's
processes, as `python -m api` runs them), and with API_WORKERS=1 reading REDIS_READ_URL=replica.
It prints requests/s, p50 and p99 of each, and the ratio to the one-process gateway.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import subprocess
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
from shared.embedded_redis import EmbeddedRedis, free_port, redis_executable
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
    host = primary.connection_pool.connection_kwargs.get("host", "127.0.0.1")
    port = primary.connection_pool.connection_kwargs.get("port", 6379)
    wanted = primary.get(keys.CURRENT_VERSION)
    primary.close()
    folder.mkdir(parents=True, exist_ok=True)
    own = free_port()
    process = subprocess.Popen(
        [
            redis_executable(),
            *("--port", str(own), "--bind", "127.0.0.1", "--dir", str(folder), "--save", ""),
            *("--logfile", "redis.log", "--replicaof", str(host), str(port)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{own}/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
    try:
        deadline = time.monotonic() + 120
        while True:
            with contextlib.suppress(redis.RedisError):
                if client.get(keys.CURRENT_VERSION) == wanted:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the replica did not sync (see {folder}/redis.log)")
            time.sleep(0.1)
        yield url
    finally:
        client.close()
        process.terminate()
        process.wait(10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=int, default=10, help="duration of each run")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--processes", type=int, default=2, help="API_WORKERS of the multi-process gateway")
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
            "1 process": stack.enter_context(serve("api.main:app", free_port(), env, 1)),
            f"{args.processes} processes": stack.enter_context(
                serve("api.main:app", free_port(), env, args.processes)
            ),
            "1 process, replica": stack.enter_context(
                serve("api.main:app", free_port(), {**env, "REDIS_READ_URL": read_url}, 1)
            ),
        }
        logger.info("load: wrk, %d connections, %d s per run", args.connections, args.seconds)
        results: list[tuple[str, Result, float]] = []
        for name, asked in loads.items():
            reference: float | None = None
            for label, base in gateways.items():
                result = run_wrk(f"{name}, {label}", base, asked, args.seconds, args.connections)
                reference = reference or result.requests_per_second
                results.append((label, result, result.requests_per_second / reference))
    lines = [f"{'load':<44}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'vs 1':>7}{'non-2xx':>9}"]
    for _label, result, ratio in results:
        lines.append(
            f"{result.name:<44}{result.requests_per_second:>10.0f}{result.p50_ms:>9.2f}"
            f"{result.p99_ms:>9.2f}{ratio:>7.2f}{result.non_2xx:>9}"
        )
    lines.append(f"on {os.cpu_count()} cores; wrk itself uses some of them")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
