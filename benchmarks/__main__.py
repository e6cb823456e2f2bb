"""`make bench`: every benchmark in one run, on MOVIES_DATA (default: the full hybrid dataset)."""

from __future__ import annotations

import importlib
import logging
import sys

from shared.logging_setup import configure_logging

SUITES = (
    "benchmarks.etl_bench",
    "benchmarks.api_load",
    "benchmarks.inline_bench",
    "benchmarks.worker_bench",
)


def main() -> int:
    configure_logging("benchmarks", "WARNING")
    failures = 0
    for name in sys.argv[1:] or SUITES:
        module = importlib.import_module(name)
        # Each suite parses its own command line: here, none (the suite names are not its options).
        sys.argv = [name]
        sys.stdout.write(f"\n=== {name} ===\n")
        sys.stdout.flush()
        failures += int(module.main() != 0)
    if failures:
        logging.getLogger("benchmarks").error("%d benchmark(s) failed", failures)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
