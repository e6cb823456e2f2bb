"""The refresh_dataset job: no-op on an unchanged source, one refresh per trigger burst, switch without
downtime while queries are answered, and a refresh killed half-way that leaves the old version serving."""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from pathlib import Path

import psutil
import pytest
from arq import ArqRedis
from arq.jobs import Job

from etl import layout
from shared import jobs, keys
from shared.job_progress import JobProgress, read_progress
from shared.jobs import JobState
from shared.schemas import RecommendationResult
from shared.settings import WorkerServiceSettings
from tests.conftest import MARK
from tests.waiting import eventually
from tests.worker.conftest import WorkerFactory, running
from worker import refresh
from worker.state import STATE_KEY, WorkerState


async def _current(pool: ArqRedis) -> str:
    value = await pool.get(keys.CURRENT_VERSION)
    assert value is not None
    return str(value.decode())


async def _versions(pool: ArqRedis) -> set[str]:
    """Every version with a complete publish (meta is written last) still in Redis."""
    found = set()
    async for key in pool.scan_iter(match=f"{keys.PREFIX}:v:*:meta"):
        found.add(key.decode().split(":v:", 1)[1].rsplit(":meta", 1)[0])
    return found


async def _ask(pool: ArqRedis, movie_id: int) -> RecommendationResult:
    """What the API does: current version, its cache, else a deduplicated job it waits for."""
    version = await _current(pool)
    cached = await pool.hget(keys.recommendations(version), str(movie_id))
    if cached is not None:
        return RecommendationResult.model_validate_json(cached)
    job_id = jobs.recommend_job_id(version, movie_id)
    job = await pool.enqueue_job(jobs.RECOMMEND, version, movie_id, _job_id=job_id) or Job(job_id, pool)
    return RecommendationResult.model_validate(await job.result(timeout=20, poll_delay=0.005))


async def _wait_for(pool: ArqRedis, job_id: str, *states: JobState, seconds: float = 60) -> JobProgress:
    """Poll the job's progress record until it reaches one of `states`."""
    seen: list[JobProgress | None] = [None]

    async def reached() -> bool:
        seen[0] = await read_progress(pool, job_id)
        return seen[0] is not None and seen[0].estado in states

    await eventually(reached, f"job {job_id} reaching {states}", within=seconds)
    assert seen[0] is not None
    return seen[0]


async def _progress(pool: ArqRedis, job_id: str) -> JobProgress:
    record = await read_progress(pool, job_id)
    assert record is not None, f"no progress record for {job_id}"
    return record


def _settings(base: WorkerServiceSettings, source: Path) -> WorkerServiceSettings:
    return base.model_copy(update={"movies_data": source})


async def test_unchanged_source_is_a_cheap_noop(
    arq_pool: ArqRedis, make_worker: WorkerFactory, worker_settings: WorkerServiceSettings
) -> None:
    before = await _current(arq_pool)
    job_id = jobs.refresh_job_id(before)
    job = await arq_pool.enqueue_job(jobs.REFRESH_DATASET, _job_id=job_id)
    assert job is not None
    started = time.perf_counter()
    worker = make_worker(worker_settings)
    await worker.main()
    await worker.close()
    assert worker.jobs_complete == 1 and worker.jobs_failed == 0
    assert time.perf_counter() - started < 10
    assert await _current(arq_pool) == before
    assert await _versions(arq_pool) == {before}
    state = await _progress(arq_pool, job_id)
    assert state.estado == JobState.COMPLETE and state.progreso == 100
    assert "Sin cambios" in state.detalle
    assert await arq_pool.ttl(keys.meta(before)) == -1  # the live version never expires


async def test_the_worker_dedupes_by_the_source_fingerprint(
    arq_pool: ArqRedis,
    make_worker: WorkerFactory,
    worker_settings: WorkerServiceSettings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Once the worker found these files (names, sizes, mtimes) equal to the published source, a
    trigger for them is a no-op that does not read them again; touched files are read again."""
    source = tmp_path / "source"
    shutil.copytree(worker_settings.movies_data, source)
    settings = _settings(worker_settings, source)
    before = await _current(arq_pool)
    reads: list[object] = []
    real_digest = refresh.content_digest

    def counted(raw: object) -> str:
        reads.append(raw)
        return real_digest(raw)  # type: ignore[arg-type]

    monkeypatch.setattr(refresh, "content_digest", counted)

    async def trigger() -> JobProgress:
        job_id = jobs.refresh_job_id(await _current(arq_pool))
        assert await arq_pool.enqueue_job(jobs.REFRESH_DATASET, _job_id=job_id) is not None
        worker = make_worker(settings)
        await worker.main()
        await worker.close()
        assert worker.jobs_complete == 1 and worker.jobs_failed == 0
        return await _progress(arq_pool, job_id)

    first = await trigger()
    assert "Sin cambios" in first.detalle and len(reads) == 1
    second = await trigger()
    assert "Sin cambios" in second.detalle and len(reads) == 1  # the fingerprint settled it
    for path in source.iterdir():
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    third = await trigger()
    assert "Sin cambios" in third.detalle and len(reads) == 2  # touched: read, same bytes
    assert await _current(arq_pool) == before


async def test_forced_refresh_publishes_warms_and_retires_the_old_version(
    arq_pool: ArqRedis, make_worker: WorkerFactory, worker_settings: WorkerServiceSettings
) -> None:
    before = await _current(arq_pool)
    job_id = jobs.refresh_job_id(before, force=True)
    await arq_pool.enqueue_job(jobs.REFRESH_DATASET, force=True, _job_id=job_id)
    states: list[WorkerState] = []

    async def capture(ctx: dict[str, object]) -> None:
        state = ctx[STATE_KEY]
        assert isinstance(state, WorkerState)
        states.append(state)

    worker = make_worker(worker_settings, after_job_end=capture)
    await worker.main()
    assert worker.jobs_complete == 1 and worker.jobs_failed == 0
    after = await _current(arq_pool)
    assert after != before
    assert states[0].models.versions()[-1] == after  # warmed: the first query pays no load
    await worker.close()
    assert 0 < await arq_pool.ttl(keys.meta(before)) <= keys.OLD_VERSION_GRACE_SECONDS
    assert 0 < await arq_pool.ttl(keys.movies(before)) <= keys.OLD_VERSION_GRACE_SECONDS
    assert await arq_pool.ttl(keys.meta(after)) == -1
    state = await _progress(arq_pool, job_id)
    assert state.estado == JobState.COMPLETE and after in state.detalle


async def test_repeated_refreshes_keep_two_builds_on_disk(
    arq_pool: ArqRedis, make_worker: WorkerFactory, worker_settings: WorkerServiceSettings
) -> None:
    versions = []
    for _ in range(3):
        await arq_pool.enqueue_job(jobs.REFRESH_DATASET, force=True)
        worker = make_worker(worker_settings)
        await worker.main()
        await worker.close()
        assert worker.jobs_complete == 1
        versions.append(await _current(arq_pool))
    kept = sorted(p.name for p in layout.datasets_dir(worker_settings.data_dir).iterdir() if p.is_dir())
    assert kept == sorted(versions[-2:])
    assert layout.latest_build(worker_settings.data_dir) == layout.build_dir(
        worker_settings.data_dir, versions[-1]
    )


async def test_simultaneous_triggers_run_one_refresh(
    arq_pool: ArqRedis,
    make_worker: WorkerFactory,
    worker_settings: WorkerServiceSettings,
    changed_source: Path,
) -> None:
    settings = _settings(worker_settings, changed_source)
    before = await _current(arq_pool)
    same_id = jobs.refresh_job_id(before)
    assert await arq_pool.enqueue_job(jobs.REFRESH_DATASET, _job_id=same_id) is not None
    assert await arq_pool.enqueue_job(jobs.REFRESH_DATASET, _job_id=same_id) is None
    # A trigger under another id (the cron's) at the same moment: the lock makes it wait, and it
    # then finds the source already published.
    cron_like = await arq_pool.enqueue_job(jobs.REFRESH_DATASET, _job_id="cron:refresh_dataset:test")
    assert cron_like is not None
    worker = make_worker(settings)
    await worker.main()
    await worker.close()
    assert worker.jobs_complete == 2 and worker.jobs_failed == 0
    after = await _current(arq_pool)
    assert after != before
    assert await _versions(arq_pool) == {before, after}  # exactly one new version
    details = [
        (await _progress(arq_pool, job_id)).detalle for job_id in (same_id, "cron:refresh_dataset:test")
    ]
    assert sorted(detail.split(" ")[0] for detail in details) == ["Sin", "Versión"], details


async def test_refresh_while_answering_queries_loses_and_mixes_nothing(
    arq_pool: ArqRedis,
    make_worker: WorkerFactory,
    worker_settings: WorkerServiceSettings,
    changed_source: Path,
) -> None:
    settings = _settings(worker_settings, changed_source)
    old = await _current(arq_pool)
    movie_ids = [int(row) for row in (await arq_pool.hkeys(keys.movies(old)))[:400]]
    answers: list[RecommendationResult] = []
    failures: list[BaseException] = []
    done = asyncio.Event()

    async def client(offset: int) -> None:
        i = offset
        while not done.is_set() or i < offset + 20:
            try:
                answers.append(await _ask(arq_pool, movie_ids[i % len(movie_ids)]))
            except Exception as exc:
                failures.append(exc)
            i += 3

    async with running(make_worker(settings, burst=False)):
        clients = [asyncio.create_task(client(k)) for k in range(3)]
        # Queries are flowing against the old version before the refresh starts...
        await eventually(lambda: len(answers) + len(failures) >= 6, "answers from the old version")
        job_id = jobs.refresh_job_id(old)
        refresh = await arq_pool.enqueue_job(jobs.REFRESH_DATASET, _job_id=job_id)
        assert refresh is not None
        await _wait_for(arq_pool, job_id, JobState.COMPLETE, JobState.FAILED)
        # ...and keep flowing until some are answered from the new one (or the check below fails).
        switched = await _current(arq_pool)
        await eventually(
            lambda: bool(failures) or any(a.version == switched for a in answers),
            "answers from the new version",
        )
        done.set()
        await asyncio.gather(*clients)

    new = await _current(arq_pool)
    assert new != old
    assert failures == []
    by_version = {old: 0, new: 0}
    for answer in answers:
        by_version[answer.version] += 1
        titles = [answer.titulo, *answer.recomendaciones, *(s.titulo for s in answer.detalle)]
        marked = [title.endswith(MARK) for title in titles]
        # Every title of an answer comes from the version it names, never a mix of the two.
        assert all(marked) if answer.version == new else not any(marked), answer
        assert len(answer.detalle) == 5
    assert by_version[old] > 0 and by_version[new] > 0, by_version


def _etl_children() -> list[psutil.Process]:
    return [
        child
        for child in psutil.Process().children(recursive=True)
        if "worker.refresh_child" in " ".join(child.cmdline())
    ]


async def test_refresh_killed_half_way_leaves_the_old_version_serving(
    arq_pool: ArqRedis,
    make_worker: WorkerFactory,
    worker_settings: WorkerServiceSettings,
    changed_source: Path,
) -> None:
    settings = _settings(worker_settings, changed_source)
    old = await _current(arq_pool)
    job_id = jobs.refresh_job_id(old)
    async with running(make_worker(settings, burst=False)):
        await arq_pool.enqueue_job(jobs.REFRESH_DATASET, _job_id=job_id)
        deadline = time.monotonic() + 30
        children: list[psutil.Process] = []
        while not children and time.monotonic() < deadline:
            state = await read_progress(arq_pool, job_id)
            if state is not None and state.progreso >= 10:
                children = _etl_children()
            await asyncio.sleep(0.02)
        assert children, "the ETL child never started"
        for child in children:
            child.kill()
        state = await _wait_for(arq_pool, job_id, JobState.FAILED)
        assert "la versión anterior sigue activa" in state.detalle
        assert await _current(arq_pool) == old
        assert await arq_pool.ttl(keys.meta(old)) == -1
        answer = await _ask(arq_pool, 862)
        assert answer.version == old and answer.titulo == "Toy Story"

        # The next refresh (same trigger) is accepted and succeeds.
        retry = await arq_pool.enqueue_job(jobs.REFRESH_DATASET, _job_id=job_id)
        assert retry is not None
        await _wait_for(arq_pool, job_id, JobState.COMPLETE)
        new = await _current(arq_pool)
        assert new != old
        answer = await _ask(arq_pool, 862)
        assert answer.version == new and answer.titulo == "Toy Story" + MARK
    assert _etl_children() == []
