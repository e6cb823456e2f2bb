"""GET /recomendacion through the real API, a real worker process and Redis: compute, cache, dedupe."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import redis

from shared import jobs, keys
from shared.embedded_redis import free_port
from tests.worker.conftest import REPO_ROOT, WorkerProcess

ADMIN_TOKEN = "prueba-de-integracion-7f3a"
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@contextlib.contextmanager
def _api(redis_url: str, tmp_path: Path, wait: float) -> Iterator[httpx.Client]:
    """`python -m api` (uvicorn) on a free port, and an HTTP client for it."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"MOVIES_DATA", "DATA_DIR"}}
    env.update(
        REDIS_URL=redis_url,
        PYTHONPATH=str(REPO_ROOT),
        DATA_DIR=str(tmp_path / "api"),
        API_HOST="127.0.0.1",
        API_PORT=str(port),
        RECOMMEND_WAIT_SECONDS=str(wait),
        ADMIN_TOKEN=ADMIN_TOKEN,
    )
    process = subprocess.Popen([sys.executable, "-m", "api"], env=env, cwd=REPO_ROOT)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            deadline = time.monotonic() + 30
            while True:
                assert process.poll() is None and time.monotonic() < deadline, "the API did not start"
                try:
                    if client.get("/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
            yield client
    finally:
        process.terminate()
        process.wait(15)


def test_uncached_then_cached_recommendation(
    published_redis_url: str, worker_process: WorkerProcess, tmp_path: Path
) -> None:
    worker_process.start()
    store = redis.Redis.from_url(published_redis_url)
    version = store.get(keys.CURRENT_VERSION).decode()  # type: ignore[union-attr]
    with _api(published_redis_url, tmp_path, wait=10) as api:
        first = api.get("/recomendacion/the godfather")
        assert first.status_code == 200, first.text
        body = first.json()
        assert (body["id"], body["titulo"], body["anio"]) == (238, "The Godfather", 1972)
        assert len(body["recomendaciones"]) == 5
        assert {d["titulo"] for d in body["detalle"][:2]} == {
            "The Godfather: Part II",
            "The Godfather: Part III",
        }
        assert store.hexists(keys.recommendations(version), "238")

        # With the worker gone, a cached title is still answered at once and nothing is enqueued.
        worker_process.stop()
        jobs_before = set(store.scan_iter(match="arq:job:*"))
        again = api.get("/recomendacion/The Godfather")
        assert again.status_code == 200
        assert again.json()["detalle"] == body["detalle"]
        assert store.zcard(jobs.QUEUE_NAME) == 0
        assert set(store.scan_iter(match="arq:job:*")) == jobs_before
    store.close()


def test_identical_requests_share_one_job(
    published_redis_url: str, worker_process: WorkerProcess, tmp_path: Path
) -> None:
    store = redis.Redis.from_url(published_redis_url)
    version = store.get(keys.CURRENT_VERSION).decode()  # type: ignore[union-attr]
    with _api(published_redis_url, tmp_path, wait=0.3) as api, ThreadPoolExecutor(4) as pool:
        # A worker too busy to take it (its heartbeat only): four users ask for the same film at
        # once, all get 202 with one job id.
        store.set(jobs.WORKER_HEARTBEAT, b"busy", ex=30)
        answers = list(pool.map(lambda _: api.get("/recomendacion/Toy Story"), range(4)))
        assert [a.status_code for a in answers] == [202] * 4
        assert {a.json()["job_id"] for a in answers} == {jobs.recommend_job_id(version, 862)}
        assert store.zcard(jobs.QUEUE_NAME) == 1

        worker_process.start()
        deadline = time.monotonic() + 20
        while not store.hexists(keys.recommendations(version), "862"):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        answer = api.get("/recomendacion/Toy Story")
        assert answer.status_code == 200
        assert answer.json()["titulo"] == "Toy Story" and len(answer.json()["detalle"]) == 5
    store.close()


def _finished(api: httpx.Client, job_id: str) -> dict[str, object]:
    deadline = time.monotonic() + 120
    while True:
        state: dict[str, object] = api.get(f"/admin/jobs/{job_id}", headers=AUTH).json()
        if state["estado"] in ("complete", "failed"):
            return state
        assert time.monotonic() < deadline, state
        time.sleep(0.1)


def test_admin_refresh_reports_progress_and_switches_versions(
    published_redis_url: str, worker_process: WorkerProcess, tmp_path: Path
) -> None:
    worker_process.start()
    with _api(published_redis_url, tmp_path, wait=10) as api:
        before = api.get("/readyz").json()["version"]
        unchanged = api.post("/admin/refresh", headers=AUTH)
        assert unchanged.status_code == 202
        state = _finished(api, unchanged.json()["job_id"])
        assert state["estado"] == "complete" and state["progreso"] == 100
        assert "Sin cambios" in str(state["detalle"])
        assert api.get("/readyz").json()["version"] == before

        forced = api.post("/admin/refresh", params={"force": "true"}, headers=AUTH)
        assert forced.status_code == 202
        state = _finished(api, forced.json()["job_id"])
        assert state["estado"] == "complete", state
        after = api.get("/readyz").json()["version"]
        assert after != before and after in str(state["detalle"])
        answer = api.get("/recomendacion/Jumanji")
        assert answer.status_code == 200 and len(answer.json()["detalle"]) == 5
