"""Recommendations: the worker's cache answers; otherwise the job is enqueued by name and awaited."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import orjson
import pytest
import redis
from arq.jobs import Job

from shared import jobs, keys
from shared.redis_client import async_redis
from shared.schemas import RecommendationResult, SimilarMovie
from tests.api.conftest import serve_in_process, settings_for
from tests.api.expected import expected


def _check_answer(body: dict[str, Any], movie_id: int) -> None:
    movies = expected().movies
    assert body["id"] == movie_id
    assert body["titulo"] == movies.loc[movie_id, "title"]
    assert len(body["recomendaciones"]) == 5 and len(body["detalle"]) == 5
    assert body["recomendaciones"] == [d["titulo"] for d in body["detalle"]]
    ids = [d["id"] for d in body["detalle"]]
    assert movie_id not in ids and len(set(ids)) == 5
    for item in body["detalle"]:
        assert item["titulo"] == movies.loc[item["id"], "title"]
        assert item["anio"] == int(movies.loc[item["id"], "year"])
        assert 0 < item["similitud"] <= 1
        assert isinstance(item["motivos"], list) and len(item["motivos"]) <= 3
    # The five are ordered by their ranking score; the cosine is reported beside it.
    scores = [d["puntuacion"] for d in body["detalle"]]
    assert scores == sorted(scores, reverse=True)
    assert body["mensaje"].startswith(f"Si te gustó {body['titulo']} ({body['anio']}), te recomiendo: ")


async def test_cached_answer_is_served_without_enqueuing(
    api: httpx.AsyncClient, published_redis_url: str, current_version: str
) -> None:
    movies = expected().movies
    neighbours = [8844, 15602, 31357, 11862, 949]
    cached = RecommendationResult(
        version=current_version,
        id=862,
        titulo="Toy Story",
        anio=1995,
        recomendaciones=[str(movies.loc[i, "title"]) for i in neighbours],
        detalle=[
            SimilarMovie(
                id=i,
                titulo=str(movies.loc[i, "title"]),
                anio=int(movies.loc[i, "year"]),
                similitud=s,
                puntuacion=s / 2,
                motivos=["Género: Comedia"],
            )
            for i, s in zip(neighbours, [0.9, 0.8, 0.7, 0.6, 0.5], strict=True)
        ],
    )
    client = redis.Redis.from_url(published_redis_url)
    try:
        client.hset(keys.recommendations(current_version), "862", cached.model_dump_json())
        response = await api.get("/recomendacion/toy%20story")
        assert response.status_code == 200
        body = response.json()
        _check_answer(body, 862)
        assert body["detalle"] == [d.model_dump() for d in cached.detalle]
        assert body["otras_coincidencias"] == []
        assert client.zcard(jobs.QUEUE_NAME) == 0
    finally:
        client.close()


async def test_cached_answer_of_another_shape_is_asked_again_not_a_500(
    api: httpx.AsyncClient, published_redis_url: str, current_version: str
) -> None:
    client = redis.Redis.from_url(published_redis_url)
    try:
        client.hset(keys.recommendations(current_version), "862", orjson.dumps({"id": 862, "otra": "forma"}))
        response = await api.get("/recomendacion/Toy%20Story")
        # No worker in this test: the job is enqueued again, and the answer says to ask later.
        assert response.status_code == 202, response.text
        assert response.json()["job_id"] == jobs.recommend_job_id(current_version, 862)
    finally:
        client.close()


async def test_without_a_worker_202_with_one_deduplicated_job(
    api: httpx.AsyncClient, published_redis_url: str, current_version: str
) -> None:
    job_id = jobs.recommend_job_id(current_version, 862)
    first = await api.get("/recomendacion/Toy%20Story")
    assert first.status_code == 202
    assert first.json()["job_id"] == job_id
    assert first.json()["estado"] == "queued"
    assert first.headers["retry-after"]
    second = await api.get("/recomendacion/TOY%20STORY")
    assert second.status_code == 202
    assert second.json()["job_id"] == job_id
    client = async_redis(published_redis_url)
    try:
        assert await client.zcard(jobs.QUEUE_NAME) == 1
        info = await Job(job_id, client).info()
        assert info is not None
        assert (info.function, info.args) == (jobs.RECOMMEND, (current_version, 862))
    finally:
        await client.aclose()


@asynccontextmanager
async def running_worker(url: str) -> AsyncIterator[None]:
    """The real worker (worker.settings) in this event loop, like `python -m worker` runs it."""
    settings_module = pytest.importorskip("worker.settings")
    from arq.worker import Worker

    from shared.settings import WorkerServiceSettings

    settings = WorkerServiceSettings(redis_url=url, refresh_cron_hour=None)
    worker = Worker(**settings_module.worker_options(settings, url))
    task = asyncio.create_task(worker.async_run())
    try:
        yield
    finally:
        await worker.close()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_uncached_recommendation_is_computed_by_the_worker(
    published_redis_url: str, current_version: str
) -> None:
    async with (
        running_worker(published_redis_url),
        serve_in_process(settings_for(published_redis_url, recommend_wait_seconds=10)) as api,
    ):
        response = await api.get("/recomendacion/Toy%20Story")
        assert response.status_code == 200, response.text
        body = response.json()
        _check_answer(body, 862)
        client = redis.Redis.from_url(published_redis_url)
        try:
            cached = client.hget(keys.recommendations(current_version), "862")
        finally:
            client.close()
        assert cached is not None
        assert orjson.loads(cached)["detalle"] == body["detalle"]
        # Same-title films: the most voted answers by default; ?anio= picks another one.
        hamlet = (await api.get("/recomendacion/Hamlet", params={"anio": 1948})).json()
        _check_answer(hamlet, 23383)
        assert [o["id"] for o in hamlet["otras_coincidencias"]] == [10549]


async def test_concurrent_requests_share_one_job(published_redis_url: str) -> None:
    async with (
        running_worker(published_redis_url),
        serve_in_process(settings_for(published_redis_url, recommend_wait_seconds=10)) as api,
    ):
        answers = await asyncio.gather(*(api.get("/recomendacion/Jumanji") for _ in range(8)))
        assert {a.status_code for a in answers} == {200}
        assert len({a.text for a in answers}) == 1
