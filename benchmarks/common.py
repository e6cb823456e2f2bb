"""Helpers the benchmarks share: where the data is, timing a child process, printing tables."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

from shared.settings import REPO_ROOT

HYBRID = REPO_ROOT.parent / "shared" / "data" / "movies-hybrid"


def movies_data() -> Path:
    """MOVIES_DATA when set, else the full hybrid dataset, else the repo's sample."""
    configured = os.environ.get("MOVIES_DATA")
    if configured:
        return Path(configured)
    return HYBRID if HYBRID.exists() else REPO_ROOT / "data" / "sample"


@dataclass(frozen=True)
class ChildRun:
    seconds: float
    # The larger of the kernel's peak for the child itself (wait4's ru_maxrss, exact) and the
    # sampled peak of the child plus all its descendants alive at the same time.
    peak_rss_mb: float
    returncode: int
    stderr: str
    cpu_seconds: float = 0.0


def _tree_rss(root: psutil.Process) -> int:
    total = 0
    for process in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += process.memory_info().rss
    return total


def run_child(args: list[str], env: dict[str, str] | None = None) -> ChildRun:
    """Run a Python child of this checkout; its wall time, CPU time and peak RSS."""
    with tempfile.TemporaryFile(mode="w+") as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, *args],
            cwd=REPO_ROOT,
            # This checkout's code, whatever checkout the virtualenv's editable install points at.
            env={**os.environ, "PYTHONPATH": str(REPO_ROOT), **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        # ru_maxrss is one process's peak; a sampler adds up the whole tree (a child that starts
        # its own Redis server, say) so helpers cannot hide memory.
        tree_peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal tree_peak
            with contextlib.suppress(psutil.Error):
                root = psutil.Process(process.pid)
                while not done.is_set():
                    tree_peak = max(tree_peak, _tree_rss(root))
                    done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # wait4 rather than wait: it returns this child's own rusage, so two children measured
        # in one run do not mask each other's peak memory.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        stderr = errors.read()
    peak = max(usage.ru_maxrss * 1024, tree_peak) / 2**20
    return ChildRun(seconds, peak, process.returncode, stderr, usage.ru_utime + usage.ru_stime)


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = [" | ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


def until_answered(client: httpx.Client, path: str, seconds: float = 300.0) -> httpx.Response:
    """GET `path` again while it answers 202 (a recommendation the worker is still computing: the
    first one of a version also loads the model), for at most `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        response = client.get(path)
        if response.status_code != 202 or time.monotonic() > deadline:
            return response
        time.sleep(0.2)
