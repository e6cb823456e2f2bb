"""`make bench`: every benchmark in one run, on MOVIES_DATA (default: the full hybrid dataset).

With `SCALE=N` (`make bench SCALE=10`) every suite also runs on a dataset N times the size, made
by `benchmarks.scale`: the ETL benchmark prints 1x and Nx in one table, the API and worker
benchmarks run once on each catalogue, one after the other in the same run.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from pathlib import Path

from benchmarks.common import movies_data
from benchmarks.etl_bench import scale_factor, scaled_source
from shared.logging_setup import configure_logging

SUITES = (
    "benchmarks.etl_bench",
    "benchmarks.api_load",
    "benchmarks.inline_bench",
    "benchmarks.worker_bench",
)
# Suites that take their catalogue from MOVIES_DATA and run once per scale (etl_bench does both
# scales itself). Their arguments at N times: the forced refresh of worker_bench would be one more
# whole N-times ETL, already measured by etl_bench.
PER_SCALE: dict[str, list[str]] = {"benchmarks.api_load": [], "benchmarks.worker_bench": ["--no-refresh"]}


def _run(name: str, label: str, argv: list[str]) -> bool:
    module = importlib.import_module(name)
    # Each suite parses its own command line: the suite names are not its options.
    sys.argv = [name, *argv]
    sys.stdout.write(f"\n=== {name}{label} ===\n")
    sys.stdout.flush()
    result = module.main(argv) if argv else module.main()
    return bool(result == 0)


def main() -> int:
    configure_logging("benchmarks", "WARNING")
    factor = scale_factor()
    source = movies_data()
    failures = 0
    for name in sys.argv[1:] or SUITES:
        if factor == 1 or name not in PER_SCALE:
            failures += int(not _run(name, "", []))
            continue
        scaled = scaled_source(source, factor)
        for label, data, argv in ((" (1x)", source, []), (f" ({factor}x)", scaled, PER_SCALE[name])):
            os.environ["MOVIES_DATA"] = str(Path(data))
            try:
                failures += int(not _run(name, label, argv))
            finally:
                os.environ["MOVIES_DATA"] = str(source)
    if failures:
        logging.getLogger("benchmarks").error("%d benchmark(s) failed", failures)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
