"""`make bench`: every benchmark in one run, on MOVIES_DATA (default: the full hybrid dataset).

With `SCALE=N` (`make bench SCALE=10`) every suite also runs on a dataset N times the size, made
by `benchmarks.scale`: the ETL benchmark prints 1x and Nx in one table; for the API and worker
benchmarks each catalogue is published once, into a Redis of its own, and both suites measure
that version: the API load on both catalogues side by side (`benchmarks.scale_load`), the worker
benchmark on 1x, then Nx; a closing table puts every figure at 1x and Nx side by side with its
target (`benchmarks.summary`). `BENCH_REDIS_URL_1X` / `BENCH_REDIS_URL_<N>X` name a Redis where
that catalogue is already published, to measure it without running the ETL again.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from benchmarks import summary
from benchmarks.common import movies_data, run_child
from benchmarks.etl_bench import scale_factor, scaled_source
from shared.embedded_redis import EmbeddedRedis
from shared.logging_setup import configure_logging

SUITES = (
    "benchmarks.etl_bench",
    "benchmarks.api_load",
    "benchmarks.inline_bench",
    "benchmarks.worker_bench",
)
# Suites that measure one published catalogue, once per scale. Their arguments at N times: the
# forced refresh of worker_bench would be one more whole N-times ETL, already measured by etl_bench.
PER_SCALE = ("benchmarks.api_load", "benchmarks.worker_bench")
SCALED_ARGS: dict[str, list[str]] = {"benchmarks.worker_bench": ["--no-refresh"]}


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _run(name: str, label: str, argv: list[str]) -> tuple[bool, summary.ByScale]:
    module = importlib.import_module(name)
    # Each suite parses its own command line: the suite names are not its options.
    sys.argv = [name, *argv]
    _say(f"\n=== {name}{label} ===")
    if hasattr(module, "measure"):
        code, figures = module.measure(argv)
        return code == 0, figures
    result = module.main(argv) if argv else module.main()
    return result == 0, {}


@contextlib.contextmanager
def published(scale: int, data: Path) -> Iterator[str]:
    """A Redis holding `data` published by the ETL (once, for every suite of this scale)."""
    given = os.environ.get(f"BENCH_REDIS_URL_{scale}X")
    if given:
        _say(f"\n{scale}x: la versión ya publicada en BENCH_REDIS_URL_{scale}X")
        yield given
        return
    with (
        tempfile.TemporaryDirectory(prefix="cartelera-bench-") as scratch,
        EmbeddedRedis(Path(scratch) / "redis", persistent=False) as url,
    ):
        started = time.perf_counter()
        etl = run_child(["-m", "etl"], {"MOVIES_DATA": str(data), "REDIS_URL": url, "DATA_DIR": scratch})
        if etl.returncode != 0:
            raise RuntimeError(f"the ETL of {data} failed:\n{etl.stderr[-2000:]}")
        _say(f"\n{scale}x: {data} publicado en {time.perf_counter() - started:.0f} s")
        yield url


def main() -> int:
    configure_logging("benchmarks", "WARNING")
    factor = scale_factor()
    source = movies_data()
    wanted = sys.argv[1:] or list(SUITES)
    collected: dict[int, list[summary.Figures]] = defaultdict(list)
    failures = 0

    def record(ok: bool, figures: summary.ByScale) -> None:
        nonlocal failures
        failures += int(not ok)
        for scale, values in figures.items():
            collected[scale].append(values)

    for name in wanted:
        if name not in PER_SCALE:
            record(*_run(name, "", []))
    per_scale = [name for name in wanted if name in PER_SCALE]
    with contextlib.ExitStack() as stack:
        urls = {
            scale: stack.enter_context(
                published(scale, source if scale == 1 else scaled_source(source, scale))
            )
            for scale in (sorted({1, factor}) if per_scale else ())
        }
        for name in per_scale:
            if name == "benchmarks.api_load" and factor > 1:
                # Both catalogues' gateways side by side, route after route (see the module).
                argv = ["--redis-url", urls[1], "--scaled-redis-url", urls[factor], "--scale", str(factor)]
                record(*_run("benchmarks.scale_load", f" (1x y {factor}x)", argv))
                continue
            for scale, url in urls.items():
                # MOVIES_DATA stays the 1x source: each suite finds its N-times copy from `--scale`.
                argv = ["--redis-url", url, "--scale", str(scale)]
                argv += SCALED_ARGS.get(name, []) if scale > 1 else []
                record(*_run(name, f" ({scale}x)", argv))
    if factor > 1:
        by_scale = summary.merged(collected)
        base, scaled = by_scale.get(1, {}), by_scale.get(factor, {})
        _say(f"\n=== 1x y {factor}x ===")
        _say(summary.route_table(base, scaled, factor))
        _say("")
        _say(summary.render(base, scaled, factor))
    if failures:
        logging.getLogger("benchmarks").error("%d benchmark(s) failed", failures)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
