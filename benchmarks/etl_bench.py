"""ETL benchmark: the whole `python -m etl` against the naive parse, side by side in one run."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from benchmarks.common import movies_data, run_child, table
from shared.embedded_redis import EmbeddedRedis

TARGET_SPEEDUP = 3.0
TARGET_RSS_MB = 1536


def main() -> int:
    source = movies_data()
    with (
        tempfile.TemporaryDirectory() as scratch,
        EmbeddedRedis(Path(scratch) / "redis", persistent=False) as url,
    ):
        ours = run_child(["-m", "etl"], {"MOVIES_DATA": str(source), "REDIS_URL": url, "DATA_DIR": scratch})
        if ours.returncode != 0:
            sys.stderr.write(ours.stderr[-2000:])
            return 1
        naive = run_child(["-m", "benchmarks.naive_etl", str(source)])
    speedup = naive.seconds / ours.seconds
    rows = [
        ["python -m etl (parse, tables, model, publish)", f"{ours.seconds:.1f}", f"{ours.peak_rss_mb:.0f}"],
        ["naive: read_csv + literal_eval (parse only)", f"{naive.seconds:.1f}", f"{naive.peak_rss_mb:.0f}"],
    ]
    sys.stdout.write(f"source: {source}\n")
    sys.stdout.write(table(["run", "wall s", "peak RSS MB"], rows) + "\n")
    ok = speedup >= TARGET_SPEEDUP and ours.peak_rss_mb <= TARGET_RSS_MB
    sys.stdout.write(
        f"speed-up {speedup:.2f}x (target >= {TARGET_SPEEDUP}x), peak RSS {ours.peak_rss_mb:.0f} MB "
        f"(target <= {TARGET_RSS_MB} MB): {'OK' if ok else 'MISSED'}\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
