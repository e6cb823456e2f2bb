"""The recommend job through a real arq worker and Redis: compute, cache, dedupe, errors."""

from __future__ import annotations

import pytest
import redis.asyncio as aioredis
from arq import ArqRedis
from arq.jobs import Job, JobStatus

from etl.pipeline import Build
from shared import jobs, keys
from shared.schemas import Movie, RecommendationResult, record_adapter
from shared.settings import WorkerServiceSettings
from tests.worker.conftest import WorkerFactory
from worker.state import STATE_KEY, WorkerState

TOY_STORY = 862
GODFATHER, GODFATHER_II, GODFATHER_III = 238, 240, 242


async def _current(pool: ArqRedis) -> str:
    value = await pool.get(keys.CURRENT_VERSION)
    assert value is not None
    return str(value.decode())


async def test_enqueue_compute_cache_and_answer(
    arq_pool: ArqRedis,
    make_worker: WorkerFactory,
    worker_settings: WorkerServiceSettings,
    sample_build: Build,
) -> None:
    version = await _current(arq_pool)
    job = await arq_pool.enqueue_job(
        jobs.RECOMMEND, version, GODFATHER, _job_id=jobs.recommend_job_id(version, GODFATHER)
    )
    assert job is not None
    worker = make_worker(worker_settings)
    await worker.main()
    await worker.close()
    assert worker.jobs_complete == 1 and worker.jobs_failed == 0

    answer = RecommendationResult.model_validate(await job.result(timeout=5))
    assert (answer.id, answer.titulo, answer.anio, answer.version) == (
        GODFATHER,
        "The Godfather",
        1972,
        version,
    )
    ids = [similar.id for similar in answer.detalle]
    assert len(ids) == 5 and len(set(ids)) == 5 and GODFATHER not in ids
    # Content-based: both sequels first (same collection, director, cast).
    assert set(ids[:2]) == {GODFATHER_II, GODFATHER_III}
    scores = [similar.similitud for similar in answer.detalle]
    assert scores == sorted(scores, reverse=True)
    assert answer.recomendaciones == [similar.titulo for similar in answer.detalle]
    titles = sample_build.movies.set_index("id")["title"]
    assert all(titles[s.id] == s.titulo for s in answer.detalle)

    cached = await arq_pool.hget(keys.recommendations(version), str(GODFATHER))
    assert cached is not None
    assert RecommendationResult.model_validate_json(cached) == answer
    # The cache belongs to the version: it expires with it, never outlives it.
    assert await arq_pool.ttl(keys.recommendations(version)) == await arq_pool.ttl(keys.meta(version))


async def test_identical_requests_share_one_computation(
    arq_pool: ArqRedis, make_worker: WorkerFactory, worker_settings: WorkerServiceSettings
) -> None:
    version = await _current(arq_pool)
    job_id = jobs.recommend_job_id(version, TOY_STORY)
    first = await arq_pool.enqueue_job(jobs.RECOMMEND, version, TOY_STORY, _job_id=job_id)
    second = await arq_pool.enqueue_job(jobs.RECOMMEND, version, TOY_STORY, _job_id=job_id)
    assert first is not None and second is None  # arq refuses the duplicate id
    worker = make_worker(worker_settings)
    await worker.main()
    await worker.close()
    assert worker.jobs_complete == 1
    # A latecomer with the same id finds the finished job and its result instead of a new run.
    assert await arq_pool.enqueue_job(jobs.RECOMMEND, version, TOY_STORY, _job_id=job_id) is None
    result = await Job(job_id, arq_pool).result(timeout=5)
    assert result["id"] == TOY_STORY


async def test_model_loaded_once_per_version(
    arq_pool: ArqRedis,
    make_worker: WorkerFactory,
    worker_settings: WorkerServiceSettings,
    sample_build: Build,
) -> None:
    version = await _current(arq_pool)
    movie_ids = sample_build.movies["id"].head(6).tolist()
    for movie_id in movie_ids:
        await arq_pool.enqueue_job(
            jobs.RECOMMEND, version, movie_id, _job_id=jobs.recommend_job_id(version, movie_id)
        )
    seen: list[WorkerState] = []

    async def capture(ctx: dict[str, object]) -> None:
        state = ctx[STATE_KEY]
        assert isinstance(state, WorkerState)
        seen.append(state)

    worker = make_worker(worker_settings, after_job_end=capture)
    await worker.main()
    assert worker.jobs_complete == len(movie_ids)
    assert seen and seen[0].models.versions() == [version]
    await worker.close()
    assert await arq_pool.hlen(keys.recommendations(version)) == len(movie_ids)


async def test_unknown_movie_and_version_fail_with_a_clear_message(
    arq_pool: ArqRedis, make_worker: WorkerFactory, worker_settings: WorkerServiceSettings
) -> None:
    version = await _current(arq_pool)
    missing_movie = await arq_pool.enqueue_job(jobs.RECOMMEND, version, 999_999_999)
    missing_version = await arq_pool.enqueue_job(jobs.RECOMMEND, "20000101T000000000000Z-nothere", TOY_STORY)
    assert missing_movie is not None and missing_version is not None
    worker = make_worker(worker_settings)
    await worker.main()
    await worker.close()
    assert worker.jobs_failed == 2
    with pytest.raises(LookupError, match="999999999 no está en la versión"):
        await missing_movie.result(timeout=5)
    with pytest.raises(LookupError, match="no existe o ya expiró"):
        await missing_version.result(timeout=5)
    assert await missing_movie.status() == JobStatus.complete
    # Nothing was cached for a version that does not exist (no stray keys without expiry).
    assert not await arq_pool.exists(keys.recommendations("20000101T000000000000Z-nothere"))


async def test_movie_json_in_redis_is_the_source_of_titles(published_redis_url: str) -> None:
    """Sanity check of the contract the job relies on: titles and years come from keys.movies."""
    client = aioredis.Redis.from_url(published_redis_url)
    try:
        version = (await client.get(keys.CURRENT_VERSION)).decode()
        raw = await client.hget(keys.movies(version), str(TOY_STORY))
        movie = record_adapter(Movie).validate_json(raw)
        assert (movie["titulo"], movie["anio"]) == ("Toy Story", 1995)
    finally:
        await client.aclose()
