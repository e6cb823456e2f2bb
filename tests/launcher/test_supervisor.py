"""The supervisor with stand-in services: prefixed output, restarts with backoff, giving up, stop timeout."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

from launcher.output import Output
from launcher.services import ServiceSpec
from launcher.supervisor import TEMPORARY_FAILURE, RestartPolicy, Supervisor, describe_exit

# A service that ignores SIGTERM, so only the stop timeout's SIGKILL ends it.
STUBBORN = "; ".join(
    [
        "import signal, time",
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)",
        "print('up', flush=True)",
        "time.sleep(60)",
    ]
)
FAST = RestartPolicy(max_restarts=2, first_backoff=0.01, max_backoff=0.05)


def _spec(name: str, code: str) -> ServiceSpec:
    return ServiceSpec(name, (sys.executable, "-c", code), dict(os.environ))


def _supervisor(policy: RestartPolicy = FAST, stop_timeout: float = 5) -> tuple[Supervisor, io.StringIO]:
    stream = io.StringIO()
    return Supervisor(Output(stream, ["api", "worker"], color=False), policy, stop_timeout), stream


async def _until(predicate: Callable[[], bool]) -> None:
    for _ in range(200):
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


def test_backoff_doubles_up_to_its_cap() -> None:
    policy = RestartPolicy(first_backoff=1, max_backoff=30)
    assert [policy.backoff(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


def test_exit_descriptions_name_the_signal() -> None:
    assert describe_exit(-signal.SIGKILL) == "killed by SIGKILL"
    assert describe_exit(3) == "exit code 3"


async def test_output_is_prefixed_and_a_service_that_keeps_exiting_is_given_up_on() -> None:
    supervisor, stream = _supervisor()
    crashing = _spec("worker", "print('hola'); raise SystemExit(7)")
    assert await supervisor.supervise([crashing]) is False
    lines = stream.getvalue().splitlines()
    assert lines.count("worker   | hola") == 3  # the first run and two restarts
    assert supervisor.failure == (
        "worker stopped unexpectedly 3 times in a row (exit code 7); giving up after 2 restarts"
    )


async def test_a_crash_after_a_stable_run_starts_the_count_afresh(tmp_path: Path) -> None:
    # Each run lasts longer than `stable_after`, so it never reaches the limit until we stop it.
    supervisor, _ = _supervisor(RestartPolicy(max_restarts=1, first_backoff=0.01, stable_after=0.05))
    counter = tmp_path / "runs"
    code = (
        f"import time, pathlib; p = pathlib.Path({str(counter)!r}); "
        "p.write_text(p.read_text() + 'x' if p.exists() else 'x'); time.sleep(0.2)"
    )
    task = asyncio.create_task(supervisor.supervise([_spec("worker", code)]))
    await _until(lambda: counter.exists() and len(counter.read_text()) >= 4)
    supervisor.request_stop("test")
    assert await task is True


async def test_a_service_waiting_for_redis_is_restarted_without_spending_the_budget(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Exit 75 (EX_TEMPFAIL) six times, more than the 2 restarts a crashing service gets, then stay up.
    policy = RestartPolicy(max_restarts=2, first_backoff=0.01, max_backoff=0.05, max_wait_backoff=0.02)
    supervisor, stream = _supervisor(policy)
    counter = tmp_path / "runs"
    code = (
        f"import time, pathlib; p = pathlib.Path({str(counter)!r}); "
        "runs = len(p.read_text()) + 1 if p.exists() else 1; p.write_text('x' * runs); "
        f"raise SystemExit({TEMPORARY_FAILURE}) if runs <= 6 else print('up', flush=True); time.sleep(60)"
    )
    task = asyncio.create_task(supervisor.supervise([_spec("worker", code)]))
    await _until(lambda: "| up" in stream.getvalue())
    assert supervisor.failure is None
    assert caplog.text.count("restarting it in") == 6
    assert "not a crash" in caplog.text
    supervisor.request_stop("test")
    assert await task is True


def test_waiting_for_a_dependency_backs_off_to_a_short_cap() -> None:
    policy = RestartPolicy(first_backoff=1, max_backoff=30, max_wait_backoff=5)
    assert [policy.wait_backoff(n) for n in range(1, 6)] == [1, 2, 4, 5, 5]


async def test_stop_is_graceful_first_then_kills_after_the_timeout(caplog: pytest.LogCaptureFixture) -> None:
    supervisor, stream = _supervisor(stop_timeout=0.5)
    polite = _spec("api", "import signal, time; print('up', flush=True); time.sleep(60)")
    stubborn = _spec("worker", STUBBORN)
    task = asyncio.create_task(supervisor.supervise([polite, stubborn]))
    await _until(lambda: stream.getvalue().count("| up") == 2)
    # Only the two stand-ins: multiprocessing's resource tracker (`python -c ...`, started by any
    # earlier test that spawned a process) is a child of the test process too.
    children = [p for p in psutil.Process().children() if "time.sleep(60)" in " ".join(p.cmdline())]
    assert len(children) == 2
    supervisor.request_stop("test")
    assert await asyncio.wait_for(task, 10) is True
    assert not [p for p in children if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert "worker did not stop within 0.5 s; killing it" in caplog.text
    assert "api did not stop" not in caplog.text


async def test_a_one_shot_child_reports_its_exit_code() -> None:
    supervisor, stream = _supervisor()
    assert await supervisor.run_once(_spec("worker", "print('x' * 200_000)")) == 0
    assert await supervisor.run_once(_spec("worker", "raise SystemExit(4)")) == 4
    # A line far longer than the pipe reader's limit still arrives, whole.
    assert sum(line.count("x") for line in stream.getvalue().splitlines()) == 200_000


@pytest.mark.parametrize("second", [False, True])
async def test_a_stop_during_a_one_shot_child_ends_it(second: bool) -> None:
    supervisor, stream = _supervisor(stop_timeout=1 if not second else 30)
    task = asyncio.create_task(supervisor.run_once(_spec("worker", STUBBORN)))
    await _until(lambda: "| up" in stream.getvalue())
    asked = time.monotonic()
    supervisor.request_stop("test")
    if second:  # a second Ctrl-C does not wait for the 30 s timeout
        supervisor.request_stop("test")
    assert await asyncio.wait_for(task, 5) is None
    if not second:
        assert time.monotonic() - asked >= 0.95, "SIGTERM is ignored: it waits for the 1 s timeout"
