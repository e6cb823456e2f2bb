"""The API load at 1x and N times the catalogue side by side: one gateway per catalogue, each query
route loaded on one right after the other, both against the same trivial app.

`python -m benchmarks` runs it with `SCALE=N`, on the two versions it published. On a machine other
jobs share, throughput drifts by tens of percent within minutes; loading a route on both gateways
back to back (1x first on one route, Nx first on the next), each round of routes between two runs
of the trivial app, and keeping each route's median over the rounds makes its two ratios
comparable. Each gateway runs as deployed (answer memo on), with its own worker for
`/recomendacion`. The no-memo and hostile loads are `benchmarks.api_load`'s, at 1x.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import logging
import os
import re
import shutil
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from benchmarks import homonyms
from benchmarks.api_load import (
    BestKnown,
    Result,
    Server,
    best_known,
    measured,
    pick_mixed,
    pick_paths,
    run_wrk,
    serve,
    wait_idle,
    worker,
)
from benchmarks.common import until_answered
from benchmarks.search_paths import typed_searches
from benchmarks.summary import CPU_RATIO, P99, RATIO, ByScale, Figures, route_table
from shared.embedded_redis import free_port
from shared.settings import REPO_ROOT

logger = logging.getLogger("benchmarks.scale_load")


@dataclass
class Side:
    """One catalogue's gateway and what it is asked."""

    scale: int
    known: BestKnown
    api: Server
    loads: dict[str, list[str]]
    checked: int = 0
    problems: Sequence[str] = ()
    rss_mb: float = 0.0


def _route(name: str) -> str:
    return re.sub(r" \(\d+ \w+\)$", "", name)


def _loads(known: BestKnown, paths: dict[str, str], mixed_count: int) -> dict[str, list[str]]:
    loads = {name: [path] for name, path in paths.items()}
    mixed = pick_mixed(known, mixed_count)
    if mixed:
        loads[f"mixed ({len(mixed)} questions)"] = mixed
    typing = typed_searches(known.titles, mixed_count)
    if typing:
        loads[f"buscar typed ({len(typing)} prefixes)"] = typing
    return loads


def _open_side(stack: contextlib.ExitStack, scale: int, url: str, mixed_count: int, workers: int) -> Side:
    """The gateway and worker of one published catalogue, warmed up and checked for homonyms."""
    known = best_known(url)
    paths = pick_paths(known)
    env = {**os.environ, "REDIS_URL": url, "LOG_LEVEL": "WARNING", "PYTHONPATH": str(REPO_ROOT)}
    env.pop("ADMIN_TOKEN", None)
    api = stack.enter_context(serve("api.main:app", free_port(), env, workers))
    stack.enter_context(worker(env))
    warm = stack.enter_context(httpx.Client(base_url=api.base, timeout=60))
    # The first recommendation of a version also loads its model: a 202 is asked again.
    for name, path in list(paths.items()):
        status = until_answered(warm, path).status_code
        if status != 200:
            logger.warning("%dx: %s answers %d: left out", scale, path, status)
            del paths[name]
    checked, problems = homonyms.check(warm, known.catalogue, known.actors, known.directors, scale=scale)
    for problem in problems:
        logger.warning("%dx homonyms: %s", scale, problem)
    return Side(scale, known, api, _loads(known, paths, mixed_count), checked, problems, api.rss_mb())


def measure(argv: Sequence[str] | None = None) -> tuple[int, ByScale]:
    """The benchmark, its exit code and its figures at both scales (for `benchmarks.summary`)."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.scale_load", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--redis-url", required=True, help="the 1x catalogue, already published")
    parser.add_argument("--scaled-redis-url", required=True, help="the N-times catalogue, already published")
    parser.add_argument("--scale", type=int, required=True, help="N")
    parser.add_argument("--seconds", type=int, default=10, help="duration of each run")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers (same for every app)")
    parser.add_argument("--mixed", type=int, default=4000, help="distinct questions of the mixed loads")
    parser.add_argument("--rounds", type=int, default=3, help="passes over every route; medians are kept")
    args = parser.parse_args(list(argv) if argv is not None else None)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not shutil.which("wrk"):
        logger.warning("wrk is not installed: skipping the side-by-side API load")
        return 0, {}
    with contextlib.ExitStack() as stack:
        env = {**os.environ, "LOG_LEVEL": "WARNING", "PYTHONPATH": str(REPO_ROOT)}
        trivial = stack.enter_context(serve("benchmarks.trivial_app:app", free_port(), env, args.workers))
        sides = [
            _open_side(stack, scale, url, args.mixed, args.workers)
            for scale, url in ((1, args.redis_url), (args.scale, args.scaled_redis_url))
        ]
        for side in sides:
            wait_idle(side.api)
        run = functools.partial(measured, run_wrk, seconds=args.seconds, connections=args.connections)
        # Each side's load names by route: a mixed load's name carries its count of questions.
        named = [(side, {_route(name): name for name in side.loads}) for side in sides]
        routes = [route for route in named[0][1] if route in named[1][1]]
        rounds: list[Round] = []
        for number in range(max(1, args.rounds)):
            before = run("trivial", trivial, ["/ok"])
            results: dict[tuple[int, str], Result] = {}
            for position, route in enumerate(routes):
                # 1x first on one route, Nx first on the next (and the other way in the next
                # round): a drift favours neither side.
                for side, names in named if (position + number) % 2 == 0 else named[::-1]:
                    results[side.scale, route] = run(names[route], side.api, side.loads[names[route]])
                    side.rss_mb = max(side.rss_mb, side.api.rss_mb())
            rounds.append(Round(before, run("trivial", trivial, ["/ok"]), results))
            rounds[-1].write(number + 1)
    return 0, _figures(sides, routes, rounds)


@dataclass(frozen=True)
class Round:
    """One pass over every route on both sides, between two runs of the trivial app."""

    before: Result
    after: Result
    results: dict[tuple[int, str], Result]

    @property
    def reference(self) -> float:
        return (self.before.requests_per_second + self.after.requests_per_second) / 2

    @property
    def cpu_reference(self) -> float:
        return (self.before.cpu_us_per_request + self.after.cpu_us_per_request) / 2

    def ratio(self, scale: int, route: str) -> float:
        return self.results[scale, route].requests_per_second / self.reference

    def cpu_ratio(self, scale: int, route: str) -> float:
        used = self.results[scale, route].cpu_us_per_request
        return self.cpu_reference / used if used else 0.0

    def write(self, number: int) -> None:
        sys.stdout.write(
            f"\nround {number}: trivial app {self.before.requests_per_second:,.0f} and "
            f"{self.after.requests_per_second:,.0f} req/s, {self.cpu_reference:.0f} us of CPU per request\n"
        )
        for (scale, route), result in self.results.items():
            if result.non_2xx:
                logger.warning("%dx %s: %d answers were not 2xx", scale, route, result.non_2xx)
            sys.stdout.write(
                f"  {scale:>3}x {route:<28}{result.requests_per_second:>9,.0f} req/s  "
                f"ratio {self.ratio(scale, route):5.2f}  p99 {result.p99_ms:7.1f} ms  "
                f"cpu {result.cpu_us_per_request:4.0f} us (ratio {self.cpu_ratio(scale, route):.2f})\n"
            )


def _figures(sides: Sequence[Side], routes: Sequence[str], rounds: Sequence[Round]) -> ByScale:
    """Per route and side, the median over the rounds of its ratios and p99; the table of both."""
    by_scale: ByScale = {}
    for side in sides:
        figures: Figures = {"api_rss_mb": side.rss_mb}
        if side.checked:
            figures["homonyms_exact"] = float(not side.problems)
        for route in routes:
            figures[RATIO + route] = statistics.median(r.ratio(side.scale, route) for r in rounds)
            figures[CPU_RATIO + route] = statistics.median(r.cpu_ratio(side.scale, route) for r in rounds)
            figures[P99 + route] = statistics.median(r.results[side.scale, route].p99_ms for r in rounds)
        by_scale[side.scale] = figures
        sys.stdout.write(
            f"\n{side.scale}x ({len(side.known.catalogue):,} films): API RSS {side.rss_mb:.0f} MB at most "
            f"after a load; homonyms: {side.checked} answers checked, "
            + ("all exact" if not side.problems else f"{len(side.problems)} problem(s)")
            + "\n"
        )
    base, scaled = sides[0].scale, sides[-1].scale
    sys.stdout.write(f"medians of {len(rounds)} round(s):\n")
    sys.stdout.write(route_table(by_scale[base], by_scale[scaled], scaled) + "\n")
    return by_scale


def main(argv: Sequence[str] | None = None) -> int:
    return measure(argv)[0]


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
