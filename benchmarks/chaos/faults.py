"""The faults, each injected into the running system: when it began, when it was over, what it left."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field

import httpx
import redis.asyncio as aioredis
from arq.constants import in_progress_key_prefix, result_key_prefix

from benchmarks.chaos.load import Load
from benchmarks.chaos.system import ADMIN_TOKEN, System
from shared import jobs
from shared.jobs import JobState

# A job the system was running when the fault hit must end within this (answered, or reported failed).
JOB_DEADLINE_SECONDS = 90.0


@dataclass
class Fault:
    """One injected fault: `started` (injected) to `ended` (over: Redis answers, a new worker runs,
    the flood is sent), monotonic clock; `after` is when its after-window closes."""

    name: str
    started: float
    ended: float
    after: float = 0.0
    jobs_lost: int = 0
    # Bot flood: messages sent to the bot, people who got no reply, or a wrong one.
    messages: int = 0
    unanswered: int | None = None
    wrong_replies: int = 0
    notes: list[str] = field(default_factory=list)


async def redis_killed(system: System, seconds: float) -> Fault:
    """SIGKILL Redis, leave it down for `seconds`, start it again (it reloads its append-only file)."""
    started = time.monotonic()
    system.redis.kill()
    await asyncio.sleep(seconds)
    await asyncio.to_thread(system.redis.start)
    return Fault(f"Redis SIGKILL, down {seconds:g} s", started, time.monotonic())


async def redis_stopped(system: System, seconds: float) -> Fault:
    """SIGSTOP Redis for `seconds`: its sockets stay open and nothing answers; then SIGCONT."""
    started = time.monotonic()
    system.redis.pause()
    await asyncio.sleep(seconds)
    system.redis.resume()
    return Fault(f"Redis SIGSTOP {seconds:g} s", started, time.monotonic())


async def worker_killed_mid_recommendation(system: System, load: Load, burst: int) -> Fault:
    """A burst of recommendations nobody cached; SIGKILL the worker once one of them is running."""
    client = aioredis.Redis.from_url(system.redis.url)
    try:
        asking = asyncio.create_task(load.burst(burst))
        running = await _first_running_recommendations(client, within=20.0)
        started = time.monotonic()
        killed = system.kill_worker()
        fault = Fault("worker SIGKILL mid-recommendation", started, started)
        if not running:
            fault.notes.append("no recommendation was caught running: killed between jobs")
        fault.ended = await _replacement_running(system, killed)
        await asyncio.wait_for(asking, JOB_DEADLINE_SECONDS)
        deadline = time.monotonic() + JOB_DEADLINE_SECONDS
        pending = set(running)
        while pending and time.monotonic() < deadline:
            # Answered means arq kept its result: a job that ran again on the new worker.
            pending = {job_id for job_id in pending if not await client.exists(result_key_prefix + job_id)}
            if pending:
                await asyncio.sleep(0.1)
        fault.jobs_lost = len(pending)
        fault.notes.append(
            f"{len(running)} recommendation(s) running when the worker was killed; "
            + (
                f"all answered {time.monotonic() - started:.1f} s after the kill"
                if not pending
                else "not all answered"
            )
        )
        return fault
    finally:
        await client.aclose()


async def worker_killed_mid_refresh(system: System) -> Fault:
    """A forced refresh; SIGKILL the worker while its ETL runs; the refresh must end, not hang."""
    auth = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    async with httpx.AsyncClient(base_url=system.base_url, timeout=10, headers=auth) as http:
        before = (await http.get("/readyz")).json()["dataset_version"]
        job_id = (await http.post("/admin/refresh", params={"force": "true"})).json()["job_id"]
        deadline = time.monotonic() + JOB_DEADLINE_SECONDS
        while not (await http.get(f"/admin/jobs/{job_id}")).json()["detalle"].startswith("ETL"):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the refresh never reached its ETL:\n{system.log_tail()}")
            await asyncio.sleep(0.02)
        started = time.monotonic()
        killed = system.kill_worker()
        fault = Fault("worker SIGKILL mid-refresh", started, started)
        fault.ended = await _replacement_running(system, killed)
        state = ""
        while time.monotonic() < deadline:
            state = (await http.get(f"/admin/jobs/{job_id}")).json()["estado"]
            if JobState.parse(state) in (JobState.COMPLETE, JobState.FAILED):
                break
            await asyncio.sleep(0.2)
        after = (await http.get("/readyz")).json()["dataset_version"]
    finished = JobState.parse(state)
    fault.jobs_lost = 0 if finished is not None and finished.finished else 1
    fault.notes.append(f"refresh {state or 'unknown'} {time.monotonic() - started:.1f} s after the kill")
    if finished == JobState.COMPLETE and after == before:
        fault.notes.append("the refresh completed but no new version is served")
        fault.jobs_lost = 1
    return fault


async def bot_flooded(system: System, users: int, expected: str, within: float = 60.0) -> Fault:
    """`users` people send the bot `/mes enero` at once; each must get the API's sentence back."""
    fake = system.bot_api
    people = range(5_000_001, 5_000_001 + users)
    started = time.monotonic()
    for person in people:
        fake.user_sends(person, "/mes enero")

    def answered() -> int:
        return sum(1 for person in people if fake.sent_to(person))

    with contextlib.suppress(TimeoutError):
        await fake.wait_until(lambda: answered() == users, within)
    fault = Fault(f"bot flood, {users} people at once", started, time.monotonic(), messages=users)
    fault.unanswered = users - answered()
    fault.wrong_replies = sum(
        1
        for person in people
        if fake.sent_to(person) and expected not in fake.sent_to(person)[0].get("text", "")
    )
    if not fault.unanswered:
        fault.notes.append(f"every person answered within {fault.ended - started:.1f} s")
    return fault


async def _first_running_recommendations(client: aioredis.Redis, within: float) -> list[str]:
    """The recommendation jobs a worker holds a lease on, as soon as there is one."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        queued = [raw.decode() for raw in await client.zrange(jobs.QUEUE_NAME, 0, -1)]
        candidates = [job_id for job_id in queued if job_id.startswith(jobs.RECOMMEND)]
        if candidates:
            async with client.pipeline(transaction=False) as pipe:
                for job_id in candidates:
                    pipe.exists(in_progress_key_prefix + job_id)
                held = await pipe.execute()
            running = [job_id for job_id, exists in zip(candidates, held, strict=True) if exists]
            if running:
                return running
        await asyncio.sleep(0.001)
    return []


async def _replacement_running(system: System, killed: int, within: float = 60.0) -> float:
    """When the launcher had a new worker process running in place of `killed`."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        pid = system.service_pids().get("worker")
        if pid is not None and pid != killed:
            return time.monotonic()
        await asyncio.sleep(0.05)
    raise RuntimeError(f"no worker replaced the killed one:\n{system.log_tail()}")
