"""Load benchmark of the gateway: each query route vs a bare FastAPI route, side by side, on loopback.

`python -m benchmarks.api_load` starts an embedded Redis, publishes MOVIES_DATA through the ETL
(default: the hybrid data when present, else the sample), serves the gateway and a trivial FastAPI
app with identical uvicorn settings, drives each with 64 connections (wrk, or locust when wrk is
missing) and prints requests/s, p50, p99 and the ratio to the trivial route. Each query route is
loaded on the gateway as deployed (answer memo on) and, right after, on a second gateway started
with API_REMEMBER_ANSWERS=false, where every answer is read from Redis (`--no-compare-without-memo` skips it).
Beside requests/s it prints the server's CPU time per request (user + system time of the uvicorn
processes over the requests answered) and its ratio to the trivial app's: on a machine loaded by
others, requests/s drift with the neighbours while CPU per request holds. It also prints the API's
RSS and checks that homonym titles and names answer exactly (`benchmarks.homonyms`). With
`--scale N` it publishes the catalogue N times over (`benchmarks.scale`); with `--redis-url` it
loads the version already published there.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import itertools
import logging
import os
import random
import re
import shutil
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import orjson
import psutil
import redis

from benchmarks import homonyms
from benchmarks.common import until_answered
from benchmarks.etl_bench import scaled_source
from benchmarks.search_paths import typed_searches
from benchmarks.summary import CPU_RATIO, P99, RATIO, ByScale, Figures
from etl.publish import current_version
from shared import keys
from shared.embedded_redis import EmbeddedRedis, free_port
from shared.settings import REPO_ROOT, SAMPLE_DATA, EtlSettings
from shared.text import MONTHS, WEEKDAYS

logger = logging.getLogger("benchmarks.api_load")

HYBRID_DATA = REPO_ROOT.parent / "shared" / "data" / "movies-hybrid"
RATIO_TARGET = 0.60
P99_TARGET_MS = 25.0
# Hostile load (distinct typos and crafted titles, every answer a 404 with suggestions).
HOSTILE_RATIO_TARGET = 0.30
HOSTILE_P99_TARGET_MS = 50.0


@dataclass(frozen=True)
class Result:
    name: str
    path: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    requests: int = 0
    cpu_us_per_request: float = 0.0


def _default_data() -> Path:
    configured = os.environ.get("MOVIES_DATA")
    if configured:
        return Path(configured)
    return HYBRID_DATA if (HYBRID_DATA / "movies_metadata.csv.gz").exists() else SAMPLE_DATA


def publish(url: str, source: Path, data_dir: Path) -> str:
    """Runs the real ETL into `data_dir` and publishes it to the Redis at `url`."""
    from etl.pipeline import run

    settings = EtlSettings(redis_url=url, movies_data=source, data_dir=data_dir)
    started = time.perf_counter()
    version = run(settings)
    logger.info("ETL published %s in %.1f s", version, time.perf_counter() - started)
    return version


@dataclass(frozen=True)
class BestKnown:
    """Titles, actors and directors of the published version, the best known first."""

    titles: list[str]
    actors: list[str]
    directors: list[str]
    # The title catalogue as published: [id, title, year, votes] per film.
    catalogue: list[list[Any]] = dataclasses.field(default_factory=list)


def best_known(url: str) -> BestKnown:
    """Reads the version's suggestion catalogues (`[id, title, year, votes]`, `[name, films]`)."""
    client = redis.Redis.from_url(url)

    def catalogue(key: str) -> list[list[Any]]:
        raw = client.get(key)
        return orjson.loads(raw) if isinstance(raw, bytes) else []

    try:
        v = current_version(client)
        if v is None:
            raise SystemExit("no dataset is published")
        titles = catalogue(keys.title_catalog(v))
        actors = catalogue(keys.actor_catalog(v))
        directors = catalogue(keys.director_catalog(v))
    finally:
        client.close()
    return BestKnown(
        titles=[str(row[1]) for row in sorted(titles, key=lambda row: -row[3])],
        actors=[str(row[0]) for row in sorted(actors, key=lambda row: -row[1])],
        directors=[str(row[0]) for row in sorted(directors, key=lambda row: -row[1])],
        catalogue=titles,
    )


def pick_paths(known: BestKnown) -> dict[str, str]:
    """One real input per query route, typed loosely (case, `Setiembre`, no accent)."""
    title, actor, director = known.titles[0], known.actors[0], known.directors[0]
    return {
        "cantidad_filmaciones_mes": "/cantidad_filmaciones_mes/Setiembre",
        "cantidad_filmaciones_dia": "/cantidad_filmaciones_dia/miercoles",
        "score_titulo": "/score_titulo/" + quote(title.lower(), safe=""),
        "votos_titulo": "/votos_titulo/" + quote(title, safe=""),
        "get_actor": "/get_actor/" + quote(actor.upper(), safe=""),
        "get_director": "/get_director/" + quote(director, safe=""),
        "recomendacion": "/recomendacion/" + quote(title, safe=""),
        "buscar": "/buscar?q=" + quote(title[:7].lower(), safe=""),
    }


def pick_mixed(known: BestKnown, count: int) -> list[str]:
    """`count` distinct questions over six query routes: the best known titles and people, every
    month and weekday, in an order that mixes the routes."""
    per_route = count // 4
    # Distinct first, then the best known: at N times the catalogue every title comes N times in
    # a row (its copies have the same votes), and the load must not shrink to a tenth.
    titles = list(dict.fromkeys(known.titles))[: per_route // 2]
    actors = list(dict.fromkeys(known.actors))[:per_route]
    directors = list(dict.fromkeys(known.directors))[:per_route]
    groups = [
        [f"/score_titulo/{quote(t, safe='')}" for t in titles],
        [f"/votos_titulo/{quote(t, safe='')}" for t in titles],
        [f"/get_actor/{quote(a, safe='')}" for a in actors],
        [f"/get_director/{quote(d, safe='')}" for d in directors],
        [f"/cantidad_filmaciones_mes/{m}" for m in MONTHS]
        + [f"/cantidad_filmaciones_dia/{quote(d, safe='')}" for d in WEEKDAYS],
    ]
    mixed: list[str] = []
    for row in itertools.zip_longest(*groups):
        mixed.extend(path for path in row if path is not None)
    return mixed[:count]


def pick_hostile(known: BestKnown, count: int, seed: int = 14) -> dict[str, list[str]]:
    """`count` distinct random typos of real titles (each a 404 with suggestions), `count`
    distinct crafted titles: percent-encoded `%`, trailing slashes and `(year)` suffixes, which
    once multiplied into thousands of readings per request, and, to compare them with, `count`
    distinct plain titles nobody has (eight random letters)."""
    rng = random.Random(seed)
    letters = string.ascii_lowercase
    typos: dict[str, None] = {}
    crafted: dict[str, None] = {}
    plain: dict[str, None] = {}
    titles = known.titles[: max(1, count)]
    while len(typos) < count and titles:
        title = list(rng.choice(titles).lower())
        at = rng.randrange(len(title))
        title[at : at + 1] = rng.choice(["", rng.choice(letters), rng.choice(letters) * 2])
        title.append(rng.choice(letters) + rng.choice(letters))
        typos["/score_titulo/" + quote("".join(title), safe="")] = None
    while len(crafted) < count:
        noise = "".join(rng.choice(letters) for _ in range(6))
        year = f"%20(19{rng.randint(10, 99)})"
        body = "%2525" * rng.randint(5, 40) + noise + year * rng.randint(1, 6)
        crafted["/votos_titulo/" + body + "/" * rng.randint(1, 30)] = None
    while len(plain) < count:
        plain["/votos_titulo/" + "".join(rng.choice(letters) for _ in range(8))] = None
    return {
        f"typos ({count} distinct, 404)": list(typos),
        f"crafted ({count} distinct, 404)": list(crafted),
        f"plain ({count} distinct, 404)": list(plain),
    }


@dataclass(frozen=True)
class Server:
    """An app under test: its address and its uvicorn process (with its workers, if any)."""

    base: str
    process: psutil.Process

    def rss_mb(self) -> float:
        """Resident memory of the server's processes together."""
        total = 0
        for process in [self.process, *self.process.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += process.memory_info().rss
        return total / 1e6

    def cpu_seconds(self) -> float:
        total = 0.0
        for process in [self.process, *self.process.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                times = process.cpu_times()
                total += times.user + times.system
        return total


@contextlib.contextmanager
def serve(app: str, port: int, env: dict[str, str], workers: int) -> Iterator[Server]:
    """uvicorn in a subprocess, the same options for every app under test."""
    command = [
        sys.executable,
        *("-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)),
        *("--workers", str(workers), "--no-access-log", "--log-level", "warning"),
        *("--loop", "uvloop", "--http", "httptools"),
    ]
    process = subprocess.Popen(command, env=env, cwd=REPO_ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/openapi.json", timeout=1).status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{app} did not start")
            time.sleep(0.1)
        yield Server(base, psutil.Process(process.pid))
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.contextmanager
def worker(env: dict[str, str]) -> Iterator[bool]:
    """The recommendation worker, when the worker package exists, to fill the cache before the run."""
    if not (REPO_ROOT / "worker" / "__main__.py").exists():
        yield False
        return
    process = subprocess.Popen([sys.executable, "-m", "worker"], env=env, cwd=REPO_ROOT)
    try:
        yield True
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_idle(server: Server, limit_seconds: float = 60.0) -> None:
    """Until the server stops working on its own: the gateway builds its suggestion catalogues in a
    thread at start, and that CPU time must not be counted against the first route loaded."""
    deadline = time.monotonic() + limit_seconds
    last = server.cpu_seconds()
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = server.cpu_seconds()
        if now - last < 0.05:
            return
        last = now


Driver = Callable[[str, str, Sequence[str], int, int], Result]


def measured(
    driver: Driver, name: str, server: Server, paths: Sequence[str], *, seconds: int, connections: int
) -> Result:
    """`driver`'s run, with the server's CPU time per request answered."""
    before = server.cpu_seconds()
    result = driver(name, server.base, paths, seconds, connections)
    used = server.cpu_seconds() - before
    per_request = used / result.requests * 1e6 if result.requests else 0.0
    return dataclasses.replace(result, cpu_us_per_request=per_request)


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    if match is None:
        raise ValueError(f"unexpected wrk latency {text!r}")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def _wrk_script(paths: Sequence[str], folder: Path) -> Path:
    """A wrk script that asks `paths` in turn (each connection starting at a different place)."""
    listed = ",\n".join(orjson.dumps(path).decode() for path in paths)
    script = folder / "paths.lua"
    script.write_text(
        f"local paths = {{\n{listed}\n}}\n"
        "local i = math.random(#paths)\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n"
    )
    return script


def run_wrk(name: str, base: str, paths: Sequence[str], seconds: int, connections: int) -> Result:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    with tempfile.TemporaryDirectory() as folder:
        if len(paths) > 1:
            command += ["-s", str(_wrk_script(paths, Path(folder)))]
        command.append(base + paths[0])
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    done = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return Result(name, _shown(paths), rps, p50, p99, int(bad.group(1)) if bad else 0, done)


def _shown(paths: Sequence[str]) -> str:
    return paths[0] if len(paths) == 1 else f"{len(paths)} paths"


def run_locust(name: str, base: str, paths: Sequence[str], seconds: int, connections: int) -> Result:
    # Final stats as JSON on stdout: the CSV files of a short run may hold no rows yet.
    command = [
        sys.executable,
        *("-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")), "--headless"),
        *("-u", str(connections), "-r", str(connections), "-t", f"{seconds}s"),
        *("--host", base, "--json", "--only-summary", "--loglevel", "WARNING"),
    ]
    with tempfile.TemporaryDirectory() as folder:
        # In a file, not in the environment: one variable holds at most 128 KB on Linux, less than
        # a hostile load's thousands of crafted paths.
        listed = Path(folder) / "paths.txt"
        listed.write_text("\n".join(paths))
        env = {**os.environ, "BENCH_PATHS_FILE": str(listed)}
        out = subprocess.run(command, env=env, check=False, capture_output=True, text=True).stdout
    stats = next(entry for entry in orjson.loads(out) if entry["name"] == "target")
    # Response times in whole milliseconds, as locust rounds them.
    histogram = sorted((float(ms), count) for ms, count in stats["response_times"].items())
    elapsed = max(stats["last_request_timestamp"] - stats["start_time"], 1e-9)
    return Result(
        name,
        _shown(paths),
        stats["num_requests"] / elapsed,
        _percentile(histogram, 0.50),
        _percentile(histogram, 0.99),
        int(stats["num_failures"]),
        int(stats["num_requests"]),
    )


def _percentile(histogram: list[tuple[float, int]], share: float) -> float:
    total = sum(count for _ms, count in histogram)
    seen = 0
    for ms, count in histogram:
        seen += count
        if seen >= share * total:
            return ms
    return histogram[-1][0] if histogram else 0.0


def main(argv: list[str] | None = None) -> int:
    return measure(argv)[0]


def measure(argv: list[str] | None = None) -> tuple[int, ByScale]:
    """The benchmark, its exit code and its figures at its scale (for `benchmarks.summary`)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=int, default=10, help="duration of each run")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers (same for both apps)")
    parser.add_argument("--redis-url", help="bench against an already published Redis (skips the ETL)")
    parser.add_argument("--scale", type=int, default=1, help="publish the catalogue N times over")
    parser.add_argument(
        "--mixed",
        type=int,
        default=4000,
        help="distinct questions of the mixed load (titles, people, months, days in turn); 0 skips it",
    )
    parser.add_argument(
        "--hostile",
        type=int,
        default=4000,
        help="distinct random typos and crafted titles of the hostile load; 0 skips it",
    )
    parser.add_argument(
        "--compare-without-memo",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also load a gateway started with API_REMEMBER_ANSWERS=false (every answer read from Redis)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)

    if shutil.which("wrk"):
        driver, tool = run_wrk, "wrk"
    else:
        try:
            import locust  # noqa: F401
        except ImportError:
            logger.warning("neither wrk nor locust is installed: skipping the API load benchmark")
            return 0, {}
        driver, tool = run_locust, "locust"

    with contextlib.ExitStack() as stack:
        url = args.redis_url
        if not url:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cartelera-bench-")))
            url = stack.enter_context(EmbeddedRedis(folder / "redis", persistent=False))
            source = _default_data() if args.scale <= 1 else scaled_source(_default_data(), args.scale)
            logger.info("publishing %s", source)
            publish(url, source, folder / "data")
        known = best_known(url)
        paths = pick_paths(known)
        env = {**os.environ, "REDIS_URL": url, "LOG_LEVEL": "WARNING", "PYTHONPATH": str(REPO_ROOT)}
        env.pop("ADMIN_TOKEN", None)
        api = stack.enter_context(serve("api.main:app", free_port(), env, args.workers))
        plain_env = {**env, "API_REMEMBER_ANSWERS": "false"}
        plain = (
            stack.enter_context(serve("api.main:app", free_port(), plain_env, args.workers))
            if args.compare_without_memo
            else None
        )
        trivial = stack.enter_context(serve("benchmarks.trivial_app:app", free_port(), env, args.workers))
        has_worker = stack.enter_context(worker(env))
        # One request each first: fills the recommendation cache (through the worker) and warms up.
        # The first recommendation of a version also loads its model: a 202 is asked again.
        warm = stack.enter_context(httpx.Client(base_url=api.base, timeout=60))
        for name, path in list(paths.items()):
            status = until_answered(warm, path).status_code
            if status != 200:
                why = "" if has_worker else " (no worker)"
                logger.warning("%s answers %d%s: left out", path, status, why)
                del paths[name]
        logger.info(
            "load: %s, %d connections, %d s per route, %d uvicorn worker(s)",
            tool,
            args.connections,
            args.seconds,
            args.workers,
        )
        loads = {name: [path] for name, path in paths.items()}
        mixed = pick_mixed(known, args.mixed)
        if mixed:
            loads[f"mixed ({len(mixed)} questions)"] = mixed
        typing = typed_searches(known.titles, args.mixed)
        if typing:
            loads[f"buscar typed ({len(typing)} prefixes)"] = typing
        checked, problems = homonyms.check(
            warm, known.catalogue, known.actors, known.directors, scale=max(1, args.scale)
        )
        for problem in problems:
            logger.warning("homonyms: %s", problem)
        for server in (api, plain):
            if server is not None:
                wait_idle(server)
        run = functools.partial(measured, driver, seconds=args.seconds, connections=args.connections)
        baseline = run("trivial {ok: true}", trivial, ["/ok"])
        results = []
        api_rss = api.rss_mb()
        for name, asked in loads.items():
            results.append(run(name, api, asked))
            api_rss = max(api_rss, api.rss_mb())
            if plain is not None:
                results.append(run(f"{name} (no memo)", plain, asked))
        hostile = [
            run(name, api, asked)
            for name, asked in pick_hostile(known, args.hostile).items()
            if args.hostile > 0
        ]
        baseline_after = run("trivial (again)", trivial, ["/ok"])
    report(baseline, baseline_after, results, hostile)
    sys.stdout.write(
        f"API RSS (memo on): {api_rss:.0f} MB at most after a load; homonyms: "
        + (f"{checked} answers checked, " if checked else "nothing to check, ")
        + ("all exact\n" if not problems else f"{len(problems)} problem(s), see the warnings above\n")
    )
    figures = route_figures(baseline, baseline_after, results)
    figures.update(api_rss_mb=api_rss)
    if checked:
        figures["homonyms_exact"] = float(not problems)
    return 0, {max(1, args.scale): figures}


def route_figures(baseline: Result, baseline_after: Result, results: Sequence[Result]) -> Figures:
    """Each query route's (memo on) throughput and CPU ratio to the trivial app, and its p99."""
    reference = (baseline.requests_per_second + baseline_after.requests_per_second) / 2
    cpu_reference = (baseline.cpu_us_per_request + baseline_after.cpu_us_per_request) / 2
    figures: Figures = {}
    for result in results:
        if result.name.endswith("(no memo)") or not reference:
            continue
        # The route's name without its count of questions, the same at every scale.
        route = re.sub(r" \(\d+ \w+\)$", "", result.name)
        figures[RATIO + route] = result.requests_per_second / reference
        figures[P99 + route] = result.p99_ms
        if result.cpu_us_per_request:
            figures[CPU_RATIO + route] = cpu_reference / result.cpu_us_per_request
    return figures


def report(
    baseline: Result, baseline_after: Result, results: list[Result], hostile: Sequence[Result] = ()
) -> None:
    reference = (baseline.requests_per_second + baseline_after.requests_per_second) / 2
    cpu_reference = (baseline.cpu_us_per_request + baseline_after.cpu_us_per_request) / 2
    lines = [
        f"{'route':<36}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>8}{'non-2xx':>9}"
        f"{'cpu us':>8}{'cpu ratio':>10}  verdict",
    ]

    def line(result: Result, ok: bool | None) -> str:
        ratio = result.requests_per_second / reference if reference else 0.0
        cpu_ratio = cpu_reference / result.cpu_us_per_request if result.cpu_us_per_request else 0.0
        verdict = "-" if ok is None else "ok" if ok else "BELOW TARGET"
        return (
            f"{result.name:<36}{result.requests_per_second:>10.0f}{result.p50_ms:>9.2f}{result.p99_ms:>9.2f}"
            f"{ratio:>8.2f}{result.non_2xx:>9}{result.cpu_us_per_request:>8.0f}{cpu_ratio:>10.2f}  {verdict}"
        )

    for result in (baseline, *results, *hostile, baseline_after):
        ratio = result.requests_per_second / reference if reference else 0.0
        if result.path == "/ok":
            lines.append(line(result, None))
        elif result in hostile:
            # Every answer is a 404 by design: what counts is throughput and latency.
            lines.append(
                line(result, ratio >= HOSTILE_RATIO_TARGET and result.p99_ms < HOSTILE_P99_TARGET_MS)
            )
        else:
            ok = ratio >= RATIO_TARGET and result.p99_ms < P99_TARGET_MS and result.non_2xx == 0
            lines.append(line(result, ok))
    lines.append(
        f"targets: ratio >= {RATIO_TARGET:.2f} of the trivial route (mean of its two runs), "
        f"p99 < {P99_TARGET_MS:.0f} ms; hostile 404 loads: ratio >= {HOSTILE_RATIO_TARGET:.2f}, "
        f"p99 < {HOSTILE_P99_TARGET_MS:.0f} ms"
    )
    lines.append(
        "cpu us: the server's CPU time per request answered; cpu ratio: the trivial route's (mean of its "
        "two runs) over it, the figure that holds on a loaded machine"
    )
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
