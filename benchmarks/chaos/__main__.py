"""`make chaos` (`python -m benchmarks.chaos`): faults under steady load, and a table of what users saw.

It starts its own Redis (append-only, with a password), a fake Telegram Bot API and `python -m
launcher` on the repo's sample, drives clients through the API, then, one after the other: kills
Redis (SIGKILL) and restarts it, stops it (SIGSTOP) for a while, kills the worker (SIGKILL) during a
recommendation and during a refresh, and floods the bot from 200 people. Exit code 1 when a target
is missed (each is printed), 0 otherwise. Options through CHAOS_ARGS (`--short`: the test's form).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from benchmarks.chaos import faults
from benchmarks.chaos.faults import Fault
from benchmarks.chaos.load import Load, take_baseline
from benchmarks.chaos.report import Outcome, outcome, render
from benchmarks.chaos.system import System

logger = logging.getLogger("benchmarks.chaos")


@dataclass(frozen=True)
class Options:
    outage: float  # seconds Redis stays killed
    pause: float  # seconds Redis stays stopped
    settle: float  # steady load before each fault
    after: float  # seconds each fault's after-window lasts
    clients: int
    think: float  # each client's pause between requests
    users: int  # people flooding the bot
    burst: int  # recommendations asked at once when the worker is killed
    keep: bool


def parse(argv: Sequence[str] | None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.chaos", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--short", action="store_true", help="a short run (about 40 s of faults), as the test runs it"
    )
    parser.add_argument("--outage", type=float, help="seconds Redis stays killed (default 40; short 4)")
    parser.add_argument("--pause", type=float, help="seconds Redis stays stopped (default 5; short 3)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent API clients (default 16)")
    parser.add_argument("--users", type=int, default=200, help="people flooding the bot (default 200)")
    parser.add_argument("--keep", action="store_true", help="keep the run's folder (logs, Redis files)")
    args = parser.parse_args(argv)
    short = args.short
    return Options(
        outage=args.outage if args.outage is not None else (4.0 if short else 40.0),
        pause=args.pause if args.pause is not None else (3.0 if short else 5.0),
        settle=0.5 if short else 5.0,
        after=2.5 if short else 10.0,
        clients=args.clients,
        think=0.05,
        users=args.users,
        burst=16 if short else 32,
        keep=args.keep,
    )


async def run(options: Options, folder: Path) -> tuple[list[Outcome], list[str]]:
    """Every fault in turn; what the users saw around each, and the targets missed."""
    system = System(folder)
    outcomes: list[Outcome] = []
    misses: list[str] = []
    try:
        await system.start()
        async with httpx.AsyncClient(base_url=system.base_url, timeout=30) as client:
            baseline = await take_baseline(client)
        services = system.service_pids()
        load = Load(system.base_url, baseline, options.clients, options.think)
        running = asyncio.create_task(load.run())
        injected: list[tuple[Fault, bool]] = []

        async def inject(fault: Awaitable[Fault], redis_fault: bool) -> None:
            await asyncio.sleep(options.settle)
            done = await fault
            await asyncio.sleep(options.after)
            done.after = time.monotonic()
            injected.append((done, redis_fault))
            logger.info("%s: done", done.name)

        try:
            await inject(faults.redis_killed(system, options.outage), True)
            await inject(faults.redis_stopped(system, options.pause), True)
            await inject(faults.worker_killed_mid_recommendation(system, load, options.burst), False)
            await inject(faults.worker_killed_mid_refresh(system), False)
            expected = baseline.queries["/cantidad_filmaciones_mes/enero"]["mensaje"]
            await inject(faults.bot_flooded(system, options.users, expected), False)
        finally:
            load.stop()
            await running
        outcomes = [outcome(f, load.answers, load.questions, redis_fault) for f, redis_fault in injected]
        for result in outcomes:
            misses.extend(result.misses)
        # Only the worker was killed (twice): the others kept their process, nobody restarted anything.
        now = system.service_pids()
        for name in ("api", "bot"):
            if now.get(name) != services.get(name):
                misses.append(f"the {name} was restarted")
        if not system.launcher_running:
            misses.append("the launcher stopped")
    finally:
        code = await system.stop()
    if code != 0:
        misses.append(f"the launcher exited with code {code} when stopped (0 expected)")
    return outcomes, misses


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    # One line per request would drown the progress lines (and the fake Bot API's URLs hold its token).
    for noisy in ("httpx", "httpcore", "tornado.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    options = parse(argv)
    folder = Path(tempfile.mkdtemp(prefix="cartelera-chaos-"))
    started = time.monotonic()
    try:
        outcomes, misses = asyncio.run(run(options, folder))
    finally:
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)
    load = os.getloadavg()
    out = sys.stdout
    out.write(render(outcomes) + "\n")
    out.write(
        f"\n{time.monotonic() - started:.0f} s in all; {options.clients} clients; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} CPUs\n"
    )
    if options.keep:
        out.write(f"logs and Redis files kept in {folder}\n")
    for miss in misses:
        out.write(f"MISSED: {miss}\n")
    out.write("every target met\n" if not misses else "")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
