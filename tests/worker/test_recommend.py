"""The recommend job through a real arq worker and Redis: compute, cache, dedupe, errors."""

from __future__ import annotations

import pytest
import redis.asyncio as aioredis
from arq import ArqRedis
from arq.jobs import Job, JobStatus, SerializationError

from etl.pipeline import Build
from shared import jobs, keys
from shared.job_codec import deserialize
from shared.schemas import Movie, RecommendationResult, SimilarMovie, record_adapter
from shared.settings import WorkerServiceSettings
from tests.worker.conftest import WorkerFactory
from worker.recommend import listed_title
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
    result = await Job(job_id, arq_pool, _deserializer=deserialize).result(timeout=5)
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
    # Results travel as JSON: a failure arrives as its text, never as a pickled exception.
    with pytest.raises(SerializationError, match="999999999 no está en la versión"):
        await missing_movie.result(timeout=5)
    with pytest.raises(SerializationError, match="no existe o ya expiró"):
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


async def _recommend_once(
    arq_pool: ArqRedis, make_worker: WorkerFactory, settings: WorkerServiceSettings, movie: int
) -> RecommendationResult:
    version = await _current(arq_pool)
    job = await arq_pool.enqueue_job(
        jobs.RECOMMEND, version, movie, _job_id=jobs.recommend_job_id(version, movie)
    )
    assert job is not None
    worker = make_worker(settings)
    await worker.main()
    await worker.close()
    return RecommendationResult.model_validate(await job.result(timeout=5))


async def test_each_pick_says_why_and_keeps_cosine_and_score_apart(
    arq_pool: ArqRedis,
    make_worker: WorkerFactory,
    worker_settings: WorkerServiceSettings,
    sample_build: Build,
) -> None:
    answer = await _recommend_once(arq_pool, make_worker, worker_settings, GODFATHER)
    sequel = next(s for s in answer.detalle if s.id == GODFATHER_II)
    assert sequel.motivos == [
        "Misma saga: The Godfather Collection",
        "Mismo director: Francis Ford Coppola",
        "Comparte reparto: Al Pacino",
    ]
    assert all(1 <= len(s.motivos) <= 3 for s in answer.detalle)
    model = sample_build.model
    seed_row = model.row_of(GODFATHER)
    for similar in answer.detalle:
        row = model.row_of(similar.id)
        assert seed_row is not None and row is not None
        cosine = float(model.matrix[seed_row].multiply(model.matrix[row]).sum())
        assert similar.similitud == pytest.approx(cosine, abs=1e-5)
        assert similar.puntuacion is not None and similar.puntuacion <= similar.similitud
    scores = [s.puntuacion or 0.0 for s in answer.detalle]
    assert scores == sorted(scores, reverse=True)


async def test_a_version_published_by_the_previous_code_still_answers(
    arq_pool: ArqRedis, make_worker: WorkerFactory, worker_settings: WorkerServiceSettings
) -> None:
    """Its model hash has no titles, collections or columns: five films, no motivos, no crash."""
    version = await _current(arq_pool)
    await arq_pool.hdel(
        keys.model(version), keys.MODEL_TITLES_FIELD, keys.MODEL_COLLECTIONS_FIELD, keys.MODEL_COLUMNS_FIELD
    )
    answer = await _recommend_once(arq_pool, make_worker, worker_settings, GODFATHER)
    assert len(answer.detalle) == 5
    assert {GODFATHER_II, GODFATHER_III} <= {s.id for s in answer.detalle}
    assert all(s.motivos == [] for s in answer.detalle)


def test_a_remake_of_the_seed_is_listed_with_its_year() -> None:
    fields = {"fecha_estreno": "1996-12-25", "mes": 12, "dia_semana": 2, "popularidad": 1.0, "votos": 1}
    money = {"promedio": 7.0, "presupuesto": 0.0, "recaudacion": 0.0, "retorno": 0.0}
    seed = Movie(id=10549, titulo="Hamlet", anio=1996, **fields, **money)
    remake = SimilarMovie(id=23383, titulo="hamlet", anio=1948, similitud=0.5)
    other = SimilarMovie(id=1, titulo="Macbeth", anio=1971, similitud=0.4)
    assert listed_title(remake, seed) == "hamlet (1948)"
    assert listed_title(other, seed) == "Macbeth"
