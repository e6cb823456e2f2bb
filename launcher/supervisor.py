"""Runs services as child processes: prefixed output, restarts with backoff, one clean stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import Sequence
from dataclasses import dataclass

from launcher.output import Output
from launcher.services import ServiceSpec

logger = logging.getLogger(__name__)

# Lines longer than this are relayed in pieces rather than failing the relay.
_LINE_LIMIT = 1 << 20
# After a child exits, how long its output may still drain (a stray grandchild may hold the pipe).
_DRAIN_SECONDS = 2.0


# A service that exits with this code (EX_TEMPFAIL) lost a dependency (Redis) it could not wait
# for where it was: it is restarted, but that is not a crash and spends none of the restart budget.
TEMPORARY_FAILURE = 75


@dataclass(frozen=True)
class RestartPolicy:
    """A crashed service is restarted after 1, 2, 4, ... s (capped), at most `max_restarts` times
    in a row; a run that lasted `stable_after` seconds starts the count afresh. A service that
    exits with TEMPORARY_FAILURE is restarted after 1, 2, 4 s (capped at `max_wait_backoff`) for
    as long as it takes."""

    max_restarts: int = 5
    first_backoff: float = 1.0
    max_backoff: float = 30.0
    stable_after: float = 60.0
    max_wait_backoff: float = 5.0

    def backoff(self, attempt: int) -> float:
        return float(min(self.first_backoff * 2 ** min(max(attempt - 1, 0), 30), self.max_backoff))

    def wait_backoff(self, attempt: int) -> float:
        return min(self.backoff(attempt), self.max_wait_backoff)


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


class Supervisor:
    """Owns every child; `request_stop` (from a signal handler) stops them all, once."""

    def __init__(self, output: Output, policy: RestartPolicy, stop_timeout: float) -> None:
        self._output = output
        self._policy = policy
        self._stop_timeout = stop_timeout
        self._stopping = asyncio.Event()
        # A second Ctrl-C: stop waiting for graceful exits and kill.
        self._hurry = asyncio.Event()
        self.failure: str | None = None

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def request_stop(self, why: str) -> None:
        if self._stopping.is_set():
            if not self._hurry.is_set():
                logger.warning("%s again: killing whatever is still running", why)
            self._hurry.set()
            return
        logger.info("%s: stopping every service (again to kill at once)", why)
        self._stopping.set()

    async def run_once(self, spec: ServiceSpec) -> int | None:
        """Run a one-shot child (the ETL) to its end; None when a stop interrupted it."""
        process = await self._spawn(spec)
        if process is None:
            return 1
        return await self._watch(spec, process)

    async def supervise(self, specs: Sequence[ServiceSpec]) -> bool:
        """Keep every service running until a stop; False when one crashed too often."""
        await asyncio.gather(*(self._keep(spec) for spec in specs))
        return self.failure is None

    async def _keep(self, spec: ServiceSpec) -> None:
        loop = asyncio.get_running_loop()
        crashes = waits = 0
        while not self.stopping:
            started = loop.time()
            process = await self._spawn(spec)
            code = 1 if process is None else await self._watch(spec, process)
            if code is None or self.stopping:
                return
            if loop.time() - started >= self._policy.stable_after:
                crashes = waits = 0
            if code == TEMPORARY_FAILURE:
                waits += 1
                delay = self._policy.wait_backoff(waits)
                logger.warning(
                    "%s stopped waiting for a dependency (%s); restarting it in %.0f s (not a crash)",
                    spec.name,
                    describe_exit(code),
                    delay,
                )
                await self._pause(delay)
                continue
            crashes += 1
            # Services never exit on their own, so even exit code 0 is a crash here.
            if crashes > self._policy.max_restarts:
                self.failure = (
                    f"{spec.name} stopped unexpectedly {crashes} times in a row ({describe_exit(code)}); "
                    f"giving up after {self._policy.max_restarts} restarts"
                )
                logger.error("%s; stopping everything (its log lines above say why)", self.failure)
                self.request_stop("a service kept crashing")
                return
            delay = self._policy.backoff(crashes)
            logger.warning(
                "%s stopped unexpectedly (%s); restart %d of %d in %.0f s",
                spec.name,
                describe_exit(code),
                crashes,
                self._policy.max_restarts,
                delay,
            )
            await self._pause(delay)

    async def _pause(self, seconds: float) -> None:
        """Wait before a restart; a stop ends the wait."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _spawn(self, spec: ServiceSpec) -> asyncio.subprocess.Process | None:
        try:
            process = await asyncio.create_subprocess_exec(
                *spec.argv,
                env=dict(spec.env),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
                limit=_LINE_LIMIT,
                # Its own process group: the terminal's Ctrl-C reaches only us, so Redis outlives
                # the services that write to it; a kill of the group takes any grandchild along.
                start_new_session=True,
            )
        except OSError as exc:
            logger.error("could not start %s: %s", spec.name, exc)
            return None
        logger.info("started %s (pid %d)", spec.name, process.pid)
        return process

    async def _watch(self, spec: ServiceSpec, process: asyncio.subprocess.Process) -> int | None:
        """Relay the child's output until it exits (its exit code) or a stop ends it (None)."""
        relay = asyncio.create_task(self._relay(spec.name, process))
        exited = asyncio.create_task(process.wait())
        stop = asyncio.create_task(self._stopping.wait())
        try:
            await asyncio.wait({exited, stop}, return_when=asyncio.FIRST_COMPLETED)
            interrupted = not exited.done()
            if interrupted:
                await self._terminate(spec.name, process)
            code = await exited
        except asyncio.CancelledError:
            # Never leave a child behind, whatever cancelled us.
            _kill_group(process.pid)
            raise
        finally:
            stop.cancel()
        _kill_group(process.pid)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(relay), _DRAIN_SECONDS)
        relay.cancel()
        if interrupted or self.stopping:
            if code in (0, -signal.SIGTERM):
                logger.info("%s stopped", spec.name)
            else:
                logger.warning("%s stopped (%s)", spec.name, describe_exit(code))
            return None
        return code

    async def _terminate(self, name: str, process: asyncio.subprocess.Process) -> None:
        """SIGTERM (every service stops gracefully on it), then SIGKILL after the timeout."""
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        exited = asyncio.create_task(process.wait())
        hurry = asyncio.create_task(self._hurry.wait())
        await asyncio.wait({exited, hurry}, timeout=self._stop_timeout, return_when=asyncio.FIRST_COMPLETED)
        hurry.cancel()
        if not exited.done():
            logger.warning("%s did not stop within %g s; killing it", name, self._stop_timeout)
            _kill_group(process.pid)
        await exited

    async def _relay(self, name: str, process: asyncio.subprocess.Process) -> None:
        stream = process.stdout
        if stream is None:
            return
        while True:
            try:
                raw = await stream.readuntil(b"\n")
            except asyncio.IncompleteReadError as exc:
                if exc.partial:
                    self._output.line(name, exc.partial.decode(errors="replace"))
                return
            except asyncio.LimitOverrunError as exc:
                raw = await stream.readexactly(exc.consumed)
            self._output.line(name, raw.decode(errors="replace"))


def _kill_group(pid: int) -> None:
    """SIGKILL the child's process group: the child itself and anything it left behind."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
