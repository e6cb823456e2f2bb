"""Admin routes: Bearer ADMIN_TOKEN, refresh enqueued by name with a deterministic id, job status."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import redis
from arq.jobs import Job, JobStatus

from shared import jobs, keys
from shared.job_codec import deserialize
from shared.redis_client import async_redis
from shared.settings import ApiSettings
from tests.api.conftest import ADMIN_TOKEN, serve_in_process, settings_for

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


async def test_missing_token_401_wrong_token_403(api: httpx.AsyncClient) -> None:
    for method, path in (("POST", "/admin/refresh"), ("GET", "/admin/jobs/abc")):
        missing = await api.request(method, path)
        assert missing.status_code == 401
        assert missing.json()["error"] == "missing_token"
        assert missing.headers["www-authenticate"] == "Bearer"
        wrong = await api.request(method, path, headers={"Authorization": "Bearer not-the-token"})
        assert wrong.status_code == 403
        assert wrong.json()["error"] == "invalid_token"
        basic = await api.request(method, path, headers={"Authorization": f"Basic {ADMIN_TOKEN}"})
        assert basic.status_code == 401


async def test_admin_disabled_without_admin_token(published_redis_url: str) -> None:
    async with serve_in_process(settings_for(published_redis_url, admin_token=None)) as api:
        for headers in ({}, AUTH, {"Authorization": "Bearer "}):
            response = await api.post("/admin/refresh", headers=headers)
            assert response.status_code == 403
            assert response.json()["error"] == "admin_disabled"


def test_placeholder_admin_token_is_refused() -> None:
    with pytest.raises(ValueError, match="placeholder"):
        ApiSettings(admin_token="changeme")


def test_the_api_reads_no_source_file() -> None:
    """Compose mounts the data into the worker and the ETL only: the API has no MOVIES_DATA and
    no module of it reaches for the source files."""
    assert "movies_data" not in ApiSettings.model_fields
    package = Path(__file__).resolve().parents[2] / "api"
    readers = [p.name for p in package.rglob("*.py") if "shared.source" in p.read_text()]
    assert readers == []


async def test_refresh_is_enqueued_once_per_published_version(
    api: httpx.AsyncClient, published_redis_url: str, current_version: str
) -> None:
    # The API reads no source file: the id names the version the refresh starts from.
    expected_id = jobs.refresh_job_id(current_version)
    assert expected_id == f"refresh:{current_version}"
    first = await api.post("/admin/refresh", headers=AUTH)
    assert first.status_code == 202
    assert first.json() == {"job_id": expected_id, "estado": "queued"}
    again = await api.post("/admin/refresh", headers=AUTH)
    assert again.status_code == 202
    assert again.json() == {"job_id": expected_id, "estado": "queued"}
    forced = (await api.post("/admin/refresh", params={"force": "true"}, headers=AUTH)).json()
    assert forced["job_id"].startswith(expected_id + ":force:")
    assert forced["estado"] == "queued"

    client = async_redis(published_redis_url)
    try:
        queued = [member.decode() for member in await client.zrange(jobs.QUEUE_NAME, 0, -1)]
        assert sorted(queued) == sorted([expected_id, forced["job_id"]])
        info = await Job(forced["job_id"], client, _deserializer=deserialize).info()
        assert info is not None
        assert info.function == jobs.REFRESH_DATASET
        assert info.kwargs == {"force": True}
        assert (await Job(expected_id, client, _deserializer=deserialize).info()).kwargs == {"force": False}  # type: ignore[union-attr]
    finally:
        await client.aclose()


async def test_job_status_merges_arq_and_the_progress_hash(
    api: httpx.AsyncClient, published_redis_url: str
) -> None:
    job_id = (await api.post("/admin/refresh", headers=AUTH)).json()["job_id"]
    body = (await api.get(f"/admin/jobs/{job_id}", headers=AUTH)).json()
    assert body["job_id"] == job_id
    assert body["estado"] == "queued"
    assert body["progreso"] == 0
    assert body["detalle"]

    client = redis.Redis.from_url(published_redis_url)
    try:
        client.hset(
            keys.job_progress(job_id), mapping={"estado": "in_progress", "progreso": 40, "detalle": "Leyendo"}
        )
        client.set(f"arq:in-progress:{job_id}", b"1")
        body = (await api.get(f"/admin/jobs/{job_id}", headers=AUTH)).json()
        assert body == {"job_id": job_id, "estado": "in_progress", "progreso": 40, "detalle": "Leyendo"}
        # arq kept no result (refreshes keep none): the worker's hash tells the end of the story.
        client.delete(f"arq:in-progress:{job_id}", f"arq:job:{job_id}")
        client.zrem(jobs.QUEUE_NAME, job_id)
        client.hset(
            keys.job_progress(job_id), mapping={"estado": "failed", "progreso": 70, "detalle": "Sin datos"}
        )
        body = (await api.get(f"/admin/jobs/{job_id}", headers=AUTH)).json()
        assert (body["estado"], body["progreso"], body["detalle"]) == ("failed", 70, "Sin datos")
    finally:
        client.close()


async def test_a_job_nobody_will_finish_is_reported_failed(
    api: httpx.AsyncClient, published_redis_url: str
) -> None:
    # The worker running it was killed and arq no longer knows the job (Redis lost its queue, say):
    # its record still says "in progress" and would for its whole day, unless read as what it is.
    job_id = "refresh:abandonada"
    client = redis.Redis.from_url(published_redis_url)
    try:
        client.hset(
            keys.job_progress(job_id), mapping={"estado": "in_progress", "progreso": 40, "detalle": "ETL"}
        )
        body = (await api.get(f"/admin/jobs/{job_id}", headers=AUTH)).json()
    finally:
        client.close()
    assert (body["estado"], body["progreso"]) == ("failed", 40)
    assert "se interrumpió" in body["detalle"]


async def test_unknown_job_is_404(api: httpx.AsyncClient) -> None:
    response = await api.get("/admin/jobs/refresh:nunca-existio", headers=AUTH)
    assert response.status_code == 404
    assert response.json()["error"] == "job_not_found"


async def test_recommend_job_status_is_visible_to_admins(
    api: httpx.AsyncClient, published_redis_url: str
) -> None:
    client = async_redis(published_redis_url)
    # A live worker too busy to take the job within the API's wait: 202 with the job to follow.
    await client.set(jobs.WORKER_HEARTBEAT, b"busy", ex=60)
    accepted = await api.get("/recomendacion/Toy%20Story")
    assert accepted.status_code == 202
    job_id = accepted.json()["job_id"]
    try:
        assert await Job(job_id, client, _deserializer=deserialize).status() == JobStatus.queued
    finally:
        await client.aclose()
    body = (await api.get(f"/admin/jobs/{job_id}", headers=AUTH)).json()
    assert (body["job_id"], body["estado"], body["progreso"]) == (job_id, "queued", 0)
