"""The `refresh_dataset` job: rebuild from the configured source in a child process, switch, warm up."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError

from etl import layout
from shared import keys
from shared.jobs import JobState
from shared.process_owner import free_if_dead, owner_token
from shared.source import SourceError, content_digest, fingerprint, locate
from shared.wording import jobs as wording
from worker import progress, refresh_child
from worker.state import WorkerState, state_of

logger = logging.getLogger(__name__)

# Build folders kept on disk (the current version's and the previous one's).
KEEP_BUILDS = 2
# How long a refresh waits for another one to finish before giving up.
LOCK_WAIT_SECONDS = 45 * 60
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


class RefreshError(RuntimeError):
    """A refresh that could not complete; the message is the Spanish sentence the admin reads."""

    def __reduce__(self) -> tuple[type[RuntimeError], tuple[str]]:
        return (RuntimeError, (str(self),))


def _text(value: bytes | str | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


@contextlib.asynccontextmanager
async def refresh_lock(client: aioredis.Redis, ttl: float, wait: float) -> AsyncIterator[Lock]:
    """Hold `keys.REFRESH_LOCK` for the whole refresh, renewing it so it never lapses mid-run;
    a worker that dies stops renewing, and the lock frees itself within `ttl` (at once for a
    worker of this host)."""
    lock = Lock(client, keys.REFRESH_LOCK, timeout=ttl, sleep=0.2, blocking_timeout=wait, thread_local=False)
    # The lock names its holder: one left by a killed worker of this host is taken over at once
    # (its retried job must not wait for the lock to lapse).
    dead = await free_if_dead(client, keys.REFRESH_LOCK)
    if dead is not None:
        logger.warning("refresh lock of process %s, which is gone, taken over", dead.get("pid"))
    if not await lock.acquire(token=owner_token()):
        raise RefreshError(wording.REFRESH_BUSY)

    async def renew() -> None:
        while True:
            await asyncio.sleep(ttl / 3)
            await lock.reacquire()

    renewer = asyncio.create_task(renew())
    try:
        yield lock
    finally:
        renewer.cancel()
        with contextlib.suppress(asyncio.CancelledError, LockError):
            await renewer
        with contextlib.suppress(LockError):
            await lock.release()


async def _current(client: aioredis.Redis) -> tuple[str | None, str | None]:
    """The published version and the digest of the source it was built from."""
    version = _text(await client.get(keys.CURRENT_VERSION))
    if version is None:
        return None, None
    digest = await client.hget(keys.meta(version), "source_digest")  # type: ignore[misc]
    return version, _text(digest)


async def _source_digest(state: WorkerState, published_digest: str | None) -> str:
    """The content digest of the configured source. The worker owns this check (the API cannot read
    the files): when their fingerprint is the one last found equal to the published digest, the
    files are not read again; otherwise they are hashed in the executor."""
    source = state.settings.movies_data
    loop = asyncio.get_running_loop()
    try:
        raw = await loop.run_in_executor(state.executor, locate, source)
    except SourceError as exc:
        raise RefreshError(wording.source_missing(exc)) from exc
    seen = await loop.run_in_executor(state.executor, fingerprint, source)
    known = await state.client.hgetall(keys.REFRESH_SOURCE)  # type: ignore[misc]
    recorded = (_text(known.get(b"fingerprint")), _text(known.get(b"digest")))
    if published_digest and recorded == (seen, published_digest):
        return published_digest
    digest = await loop.run_in_executor(state.executor, content_digest, raw)
    await _remember_source(state, digest, seen)
    return digest


async def _remember_source(state: WorkerState, digest: str, seen: str | None = None) -> None:
    """Record which files (`seen`: their fingerprint, taken now when not given) have `digest`."""
    if seen is None:
        seen = await asyncio.get_running_loop().run_in_executor(
            state.executor, fingerprint, state.settings.movies_data
        )
    mapping = {"fingerprint": seen, "digest": digest}
    await state.client.hset(keys.REFRESH_SOURCE, mapping=mapping)  # type: ignore[misc]


async def _run_etl(state: WorkerState, job_id: str) -> str:
    """Run the ETL child; relay its progress; return the version it published."""
    env = dict(os.environ)
    env["REDIS_URL"] = state.redis_url
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_PACKAGE_ROOT), env.get("PYTHONPATH")) if p)
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "worker.refresh_child",
        "--source",
        str(state.settings.movies_data),
        "--data-dir",
        str(state.settings.data_dir),
        "--parent-pid",
        str(os.getpid()),
        stdout=asyncio.subprocess.PIPE,
        env=env,
    )
    logger.info("refresh %s: ETL child started (pid %d)", job_id, child.pid)
    version: str | None = None
    try:
        assert child.stdout is not None
        async for raw in child.stdout:
            line = raw.decode(errors="replace").strip()
            tag, _, rest = line.partition(" ")
            if tag == refresh_child.PROGRESS:
                percent, _, sentence = rest.partition(" ")
                with contextlib.suppress(ValueError):
                    await progress.report(state.client, job_id, JobState.IN_PROGRESS, int(percent), sentence)
            elif tag == refresh_child.VERSION:
                version = rest.strip()
        code = await child.wait()
    finally:
        if child.returncode is None:
            # Cancelled (job timeout or abort): the child must not publish behind our back.
            child.kill()
            await child.wait()
    if code != 0 or not version:
        raise RefreshError(wording.etl_failed(code))
    return version


async def _expire_version(client: aioredis.Redis, version: str, seconds: int) -> None:
    """Make sure every key of a replaced version expires (publish normally did it already)."""
    async for key in client.scan_iter(match=keys.version_pattern(version), count=500):
        if await client.ttl(key) == -1:
            await client.expire(key, seconds)


def prune_builds(data_dir: Path, keep: int = KEEP_BUILDS) -> list[str]:
    """Remove all but the newest `keep` build folders (version ids sort by build time)."""
    root = layout.datasets_dir(data_dir)
    if not root.is_dir():
        return []
    marker = root / layout.LATEST
    latest = marker.read_text().strip() if marker.exists() else None
    folders = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.name, reverse=True)
    removed = []
    for folder in folders[keep:]:
        if folder.name != latest:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed


async def refresh_dataset(ctx: dict[str, Any], *, force: bool = False) -> dict[str, Any]:
    """arq job: refresh the dataset from `settings.movies_data`; a no-op when the source is unchanged."""
    state = state_of(ctx)
    job_id = str(ctx.get("job_id", "refresh"))
    client = state.client
    report = progress.report
    await report(client, job_id, JobState.IN_PROGRESS, 1, wording.REFRESH_WAITING)
    try:
        async with refresh_lock(client, keys.REFRESH_LOCK_TTL_SECONDS, LOCK_WAIT_SECONDS):
            await report(client, job_id, JobState.IN_PROGRESS, 5, wording.REFRESH_CHECKING_SOURCE)
            loop = asyncio.get_running_loop()
            previous, previous_digest = await _current(client)
            digest = await _source_digest(state, previous_digest)
            if previous is not None and previous_digest == digest and not force:
                sentence = wording.source_unchanged(previous)
                await report(client, job_id, JobState.COMPLETE, 100, sentence)
                return {
                    "estado": "sin_cambios",
                    "version": previous,
                    "anterior": previous,
                    "detalle": sentence,
                }
            await report(client, job_id, JobState.IN_PROGRESS, 10, wording.REFRESH_BUILDING)
            version = await _run_etl(state, job_id)
            await report(client, job_id, JobState.IN_PROGRESS, 90, wording.REFRESH_LOADING_MODEL)
            await state.models.get(version)
            await _remember_source(state, digest)
            if previous is not None and previous != version:
                await _expire_version(client, previous, keys.OLD_VERSION_GRACE_SECONDS)
                # Requests that resolved the old pointer just before the switch may still ask for
                # the old version during the grace period; after it, its data is gone anyway.
                loop.call_later(keys.OLD_VERSION_GRACE_SECONDS, state.models.drop, previous)
            removed = await loop.run_in_executor(state.executor, prune_builds, state.settings.data_dir)
            if removed:
                logger.info("old build folders removed: %s", ", ".join(removed))
    except asyncio.CancelledError:
        await report(
            client,
            job_id,
            JobState.FAILED,
            100,
            wording.REFRESH_CANCELLED,
        )
        raise
    except RefreshError as exc:
        await report(client, job_id, JobState.FAILED, 100, str(exc))
        raise
    except Exception as exc:
        await report(client, job_id, JobState.FAILED, 100, wording.REFRESH_FAILED)
        raise RefreshError(wording.REFRESH_FAILED) from exc
    sentence = wording.version_published(version, previous, keys.OLD_VERSION_GRACE_SECONDS)
    await report(client, job_id, JobState.COMPLETE, 100, sentence)
    return {"estado": "actualizado", "version": version, "anterior": previous, "detalle": sentence}
