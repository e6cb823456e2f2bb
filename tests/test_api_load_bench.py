"""`make bench`'s API load test, run briefly on the sample: every query route loaded, every answer a 200."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from shared.settings import REPO_ROOT, SAMPLE_DATA

ROUTES = [
    "cantidad_filmaciones_mes",
    "cantidad_filmaciones_dia",
    "score_titulo",
    "votos_titulo",
    "get_actor",
    "get_director",
    "recomendacion",
    "buscar",
]
ROW = re.compile(
    r"^(?P<name>.+?)\s+(?P<rps>\d+)\s+(?P<p50>[\d.]+)\s+(?P<p99>[\d.]+)\s+(?P<ratio>[\d.]+)\s+(?P<bad>\d+)\s"
)


def test_load_benchmark_reports_every_route_against_the_trivial_app() -> None:
    env = {**os.environ, "MOVIES_DATA": str(SAMPLE_DATA)}
    env.pop("REDIS_URL", None)
    command = [sys.executable, "-m", "benchmarks.api_load", "--seconds", "1", "--connections", "8"]
    command += ["--mixed", "40", "--no-compare-without-memo"]
    done = subprocess.run(
        command, check=False, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = {m["name"]: m for line in done.stdout.splitlines() if (m := ROW.match(line))}
    assert {"trivial {ok: true}", "trivial (again)", *ROUTES} <= set(rows), done.stdout
    mixed = [name for name in rows if name.startswith("mixed (")]
    assert mixed == ["mixed (40 questions)"], done.stdout
    assert "buscar typed (40 prefixes)" in rows, done.stdout
    for name, row in rows.items():
        assert int(row["rps"]) > 0, name
        if "404)" in name:
            # The hostile loads are typos and crafted titles: every answer is a 404 by design.
            continue
        assert int(row["bad"]) == 0, f"{name} answered something else than 2xx under load"
        assert float(row["p50"]) <= float(row["p99"]), name
    assert "targets: ratio >= 0.60" in done.stdout
