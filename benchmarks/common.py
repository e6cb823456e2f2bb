"""Helpers the benchmarks share: where the data is, timing a child process, printing tables."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

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
    peak_rss_mb: float
    returncode: int
    stderr: str


def run_child(args: list[str], env: dict[str, str] | None = None) -> ChildRun:
    """Run a Python child; its wall time and its own peak RSS (the kernel's rusage for that pid)."""
    with tempfile.TemporaryFile(mode="w+") as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, *args],
            cwd=REPO_ROOT,
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        # wait4 rather than wait: it returns this child's own rusage, so two children measured
        # in one run do not mask each other's peak memory.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        stderr = errors.read()
    return ChildRun(seconds, usage.ru_maxrss / 1024, process.returncode, stderr)


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = [" | ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)
