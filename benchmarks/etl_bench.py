"""ETL benchmark: the whole `python -m etl` against the naive parse, and at N times the catalogue.

Every run is a child process of this one, on a fresh embedded Redis and data folder. The 1x runs
alternate with the naive parse (ours, naive, ours, naive, ...), so both share whatever else the
machine is doing; then, with `SCALE=N` (N > 1), the ETL runs on a dataset N times the size made
by `benchmarks.scale` (kept in `var/bench/scale-N/` and reused while the source is unchanged).
The table shows each side's fastest wall time: load from other jobs only ever adds time, so the
minimum is the steadiest estimate of a program's own cost. CPU time is shown too: on a shared
machine it is the steadier measure of work. Peak RSS is the largest seen on any run (the child
and its descendants), and Redis memory is `used_memory` once the version is published.
`ETL_BENCH_RUNS` sets the 1x runs per side (default 2), `ETL_BENCH_SCALED_RUNS` the N-times
runs (default 1), `ETL_BENCH_SCALED_DIR` where the N-times dataset is kept (default
`var/bench/scale-N`; a folder `python -m benchmarks.scale` already filled is reused as it is).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import redis

from benchmarks.common import ChildRun, movies_data, run_child, table
from benchmarks.scale import ensure_scaled
from benchmarks.summary import ByScale, Figures
from shared import keys
from shared.embedded_redis import EmbeddedRedis
from shared.settings import REPO_ROOT

TARGET_SPEEDUP = 5.0
TARGET_RSS_MB = 1536
# At N times the catalogue: at most 1.1 N times the 1x time, and a fixed memory ceiling.
TARGET_SCALED_TIME = 1.1
TARGET_SCALED_RSS_MB = 3072
SCALED_DATA = REPO_ROOT / "var" / "bench"


@dataclass(frozen=True)
class EtlRun:
    child: ChildRun
    movies: int
    redis_bytes: int

    @property
    def bytes_per_movie(self) -> float:
        return self.redis_bytes / self.movies if self.movies else 0.0


def scale_factor() -> int:
    """`SCALE` from the environment (make bench SCALE=10); 1 when unset."""
    try:
        return max(1, int(os.environ.get("SCALE") or 1))
    except ValueError:
        return 1


def scaled_source(source: Path, factor: int) -> Path:
    """The dataset `factor` times `source`, generated on first use."""
    started = time.perf_counter()
    configured = os.environ.get("ETL_BENCH_SCALED_DIR")
    out = Path(configured) if configured else SCALED_DATA / f"scale-{factor}"
    folder, made = ensure_scaled(source, out, factor)
    if made:
        sys.stdout.write(f"generado {folder} (x{factor}) en {time.perf_counter() - started:.0f} s\n")
    return folder


def run_etl(source: Path) -> EtlRun:
    """`python -m etl` on `source` with a fresh Redis; its time, memory and Redis memory."""
    with (
        tempfile.TemporaryDirectory() as scratch,
        EmbeddedRedis(Path(scratch) / "redis", persistent=False) as url,
    ):
        child = run_child(["-m", "etl"], {"MOVIES_DATA": str(source), "REDIS_URL": url, "DATA_DIR": scratch})
        client = redis.Redis.from_url(url)
        try:
            current = client.get(keys.CURRENT_VERSION)
            movies = (
                client.hget(keys.meta(current.decode()), "movies") if isinstance(current, bytes) else None
            )
            memory: dict[str, object] = client.info("memory")  # type: ignore[assignment]
        finally:
            client.close()
    count = int(movies) if isinstance(movies, bytes) else 0
    return EtlRun(child, count, int(str(memory["used_memory"])))


def _row(label: str, runs: list[EtlRun]) -> list[str]:
    best = min(runs, key=lambda run: run.child.seconds)
    redis_mb = f"{best.redis_bytes / 1e6:.0f}" if best.movies else "-"
    per_movie = f"{best.bytes_per_movie:,.0f}" if best.movies else "-"
    return [
        label,
        f"{best.movies:,}" if best.movies else "-",
        f"{best.child.seconds:.1f}",
        f"{min(r.child.cpu_seconds for r in runs):.1f}",
        f"{max(r.child.peak_rss_mb for r in runs):.0f}",
        redis_mb,
        per_movie,
    ]


def _naive(source: Path) -> EtlRun:
    return EtlRun(run_child(["-m", "benchmarks.naive_etl", str(source)]), 0, 0)


def figures(runs: list[EtlRun]) -> Figures:
    """One scale's row for `benchmarks.summary`: best wall and CPU time, largest RSS, Redis memory."""
    best = min(runs, key=lambda run: run.child.seconds)
    return {
        "etl_s": best.child.seconds,
        "etl_cpu_s": min(r.child.cpu_seconds for r in runs),
        "etl_rss_mb": max(r.child.peak_rss_mb for r in runs),
        "redis_mb": best.redis_bytes / 1e6,
    }


def main() -> int:
    return measure()[0]


def measure(argv: Sequence[str] = ()) -> tuple[int, ByScale]:
    """The benchmark, its exit code and its figures at 1x and N times (for `benchmarks.summary`);
    it takes no options (`argv` is there for `python -m benchmarks`), only the environment."""
    source = movies_data()
    factor = scale_factor()
    repeats = max(1, int(os.environ.get("ETL_BENCH_RUNS", "2")))
    ours: list[EtlRun] = []
    naive: list[EtlRun] = []
    for _ in range(repeats):
        run = run_etl(source)
        if run.child.returncode != 0:
            sys.stderr.write(run.child.stderr[-2000:])
            return 1, {}
        ours.append(run)
        naive.append(_naive(source))
    scaled: list[EtlRun] = []
    if factor > 1:
        folder = scaled_source(source, factor)
        for _ in range(max(1, int(os.environ.get("ETL_BENCH_SCALED_RUNS", "1")))):
            run = run_etl(folder)
            if run.child.returncode != 0:
                sys.stderr.write(run.child.stderr[-2000:])
                return 1, {}
            scaled.append(run)
    sys.stdout.write(f"origen: {source}\n")
    sys.stdout.write(
        "ejecuciones (s reales / MB de RSS máximo), alternadas: "
        + ", ".join(
            f"etl {o.child.seconds:.1f}/{o.child.peak_rss_mb:.0f} naive {n.child.seconds:.1f}/"
            f"{n.child.peak_rss_mb:.0f}"
            for o, n in zip(ours, naive, strict=True)
        )
        + "".join(f", etl x{factor} {s.child.seconds:.1f}/{s.child.peak_rss_mb:.0f}" for s in scaled)
        + "\n"
    )
    rows = [
        _row("python -m etl, 1x (lectura, tablas, modelo, publicación)", ours),
        _row("ingenuo: read_csv + literal_eval (solo lectura)", naive),
    ]
    if scaled:
        rows.append(_row(f"python -m etl, {factor}x", scaled))
    header = [
        "ejecución",
        "películas",
        "s reales (mejor)",
        "s de CPU",
        "RSS máx. MB",
        "Redis MB",
        "bytes/película",
    ]
    sys.stdout.write(table(header, rows) + "\n")
    for label, runs in (("1x", ours), (f"{factor}x", scaled)):
        if runs:
            # Each step's time and the peak so far, from the ETL's own log: where the memory goes.
            steps = [
                line.split(" etl ", 1)[-1]
                for line in runs[0].child.stderr.splitlines()
                if " s, memoria" in line
            ]
            sys.stdout.write(f"pasos del ETL, {label}:\n  " + "\n  ".join(steps) + "\n")
    _verdicts(ours, naive, scaled, factor)
    measured = {1: figures(ours)}
    if scaled:
        measured[factor] = figures(scaled)
    return 0, measured


def _verdicts(ours: list[EtlRun], naive: list[EtlRun], scaled: list[EtlRun], factor: int) -> None:
    best = min(r.child.seconds for r in ours)
    speedup = min(r.child.seconds for r in naive) / best
    peak = max(r.child.peak_rss_mb for r in ours)
    ok = speedup >= TARGET_SPEEDUP and peak <= TARGET_RSS_MB
    sys.stdout.write(
        f"1x: {speedup:.2f} veces más rápido que el ingenuo (objetivo >= {TARGET_SPEEDUP}), RSS máximo "
        f"{peak:.0f} MB (objetivo <= {TARGET_RSS_MB} MB): {'OK' if ok else 'NO CUMPLE'}\n"
    )
    if not scaled:
        return
    ratio = min(r.child.seconds for r in scaled) / best
    cpu_ratio = min(r.child.cpu_seconds for r in scaled) / min(r.child.cpu_seconds for r in ours)
    scaled_peak = max(r.child.peak_rss_mb for r in scaled)
    limit = TARGET_SCALED_TIME * factor
    ok = ratio <= limit and scaled_peak < TARGET_SCALED_RSS_MB
    sys.stdout.write(
        f"{factor}x: {ratio:.2f} veces el tiempo de 1x (CPU {cpu_ratio:.2f} veces; objetivo <= {limit:g}), "
        f"RSS máximo {scaled_peak:.0f} MB (objetivo < {TARGET_SCALED_RSS_MB} MB): "
        f"{'OK' if ok else 'NO CUMPLE'}\n"
    )


if __name__ == "__main__":
    raise SystemExit(main())
