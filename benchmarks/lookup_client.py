"""CPU per dataset lookup of the gateway's two possible Redis clients, side by side in one run.

`python -m benchmarks.lookup_client` starts an embedded Redis, publishes the repo's sample with
the ETL, and has 64 concurrent askers run the title lookup of the query routes (`DatasetReader`,
one EVALSHA) through the hand-written pipelined client and through redis-py (hiredis parser),
alternating, and prints the process CPU time per lookup. CPU time, not wall time: the figure
holds on a machine other processes load, where throughput ratios drift.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import uvloop

from api.services.dataset import Commands, DatasetReader
from api.services.pipelined_redis import PipelinedRedis
from benchmarks.common import table
from shared.embedded_redis import EmbeddedRedis
from shared.redis_client import async_redis
from shared.settings import SAMPLE_DATA, EtlSettings
from shared.text import title_key

ASKERS = 64


async def _cpu_per_lookup(client: Commands, lookups: int) -> float:
    reader = DatasetReader(client)
    wanted = [title_key("Toy Story")]
    await reader.movies_titled(wanted)  # connects and loads the script
    each = max(lookups // ASKERS, 1)

    async def asker() -> None:
        for _ in range(each):
            await reader.movies_titled(wanted)

    started = time.process_time()
    await asyncio.gather(*(asker() for _ in range(ASKERS)))
    return (time.process_time() - started) / (each * ASKERS) * 1e6


async def _compare(url: str, lookups: int, rounds: int) -> dict[str, list[float]]:
    clients: dict[str, Callable[[], Commands]] = {
        "pipelined (api/services/pipelined_redis.py)": lambda: PipelinedRedis(url),
        "redis-py + hiredis": lambda: async_redis(url),
    }
    figures: dict[str, list[float]] = {name: [] for name in clients}
    for _ in range(rounds):
        for name, make in clients.items():
            client = make()
            try:
                figures[name].append(await _cpu_per_lookup(client, lookups))
            finally:
                await client.aclose()  # type: ignore[attr-defined]
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--lookups", type=int, default=20_000, help="lookups per client and round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    from etl.pipeline import run

    with tempfile.TemporaryDirectory(prefix="cartelera-lookup-") as name:
        folder = Path(name)
        with EmbeddedRedis(folder / "redis", persistent=False) as url:
            run(EtlSettings(redis_url=url, movies_data=SAMPLE_DATA, data_dir=folder / "data"))
            figures = uvloop.run(_compare(url, args.lookups, args.rounds))
    rows = [
        [name, f"{statistics.median(values):.1f}", " ".join(f"{v:.1f}" for v in values)]
        for name, values in figures.items()
    ]
    sys.stdout.write(table(["client", "CPU µs/lookup (median)", "rounds"], rows) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
