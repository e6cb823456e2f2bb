"""ETL benchmark: the whole `python -m etl` against the naive parse, side by side in one run.

Both sides run as child processes of this one, alternately (ours, naive, ours, naive, ...), so
they share whatever else the machine is doing. The table shows each side's fastest wall time:
load from other jobs only ever adds time, so the minimum is the steadiest estimate of a
program's own cost, and taking it on both sides keeps the comparison symmetric. Peak RSS is the
largest seen on any run. Every single run is printed too. `ETL_BENCH_RUNS` sets the number of
runs per side (default 2).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from benchmarks.common import ChildRun, movies_data, run_child, table
from shared.embedded_redis import EmbeddedRedis

TARGET_SPEEDUP = 3.0
TARGET_RSS_MB = 1536


def _ours(source: Path) -> ChildRun:
    # A fresh Redis and data folder per run: every run does the same work from scratch.
    with (
        tempfile.TemporaryDirectory() as scratch,
        EmbeddedRedis(Path(scratch) / "redis", persistent=False) as url,
    ):
        return run_child(["-m", "etl"], {"MOVIES_DATA": str(source), "REDIS_URL": url, "DATA_DIR": scratch})


def _row(label: str, runs: list[ChildRun]) -> list[str]:
    best = min(runs, key=lambda run: run.seconds)
    return [
        label,
        f"{best.seconds:.1f}",
        f"{best.cpu_seconds:.1f}",
        f"{max(r.peak_rss_mb for r in runs):.0f}",
    ]


def main() -> int:
    source = movies_data()
    repeats = max(1, int(os.environ.get("ETL_BENCH_RUNS", "2")))
    ours: list[ChildRun] = []
    naive: list[ChildRun] = []
    for _ in range(repeats):
        run = _ours(source)
        if run.returncode != 0:
            sys.stderr.write(run.stderr[-2000:])
            return 1
        ours.append(run)
        naive.append(run_child(["-m", "benchmarks.naive_etl", str(source)]))
    speedup = min(r.seconds for r in naive) / min(r.seconds for r in ours)
    peak = max(r.peak_rss_mb for r in ours)
    sys.stdout.write(f"source: {source}\n")
    sys.stdout.write(
        "runs (wall s / peak RSS MB), alternating: "
        + ", ".join(
            f"etl {o.seconds:.1f}/{o.peak_rss_mb:.0f} naive {n.seconds:.1f}/{n.peak_rss_mb:.0f}"
            for o, n in zip(ours, naive, strict=True)
        )
        + "\n"
    )
    rows = [
        _row("python -m etl (parse, tables, model, publish)", ours),
        _row("naive: read_csv + literal_eval (parse only)", naive),
    ]
    sys.stdout.write(table(["run", "wall s (best)", "cpu s", "peak RSS MB"], rows) + "\n")
    ok = speedup >= TARGET_SPEEDUP and peak <= TARGET_RSS_MB
    sys.stdout.write(
        f"speed-up {speedup:.2f}x (target >= {TARGET_SPEEDUP}x), peak RSS {peak:.0f} MB "
        f"(target <= {TARGET_RSS_MB} MB): {'OK' if ok else 'MISSED'}\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
