"""`python -m worker`, `arq worker.settings.WorkerSettings` and `arq --check`, run as real processes."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from arq import create_pool

from shared import jobs, keys
from shared.redis_client import arq_redis_settings
from shared.settings import WorkerServiceSettings
from worker.settings import worker_options

REPO_ROOT = Path(__file__).resolve().parents[2]
HEALTH_KEY = jobs.QUEUE_NAME + ":health-check"


def _env(tmp_path: Path, redis_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "MOVIES_DATA", "DATA_DIR"}}
    env.update(PYTHONPATH=str(REPO_ROOT), DATA_DIR=str(tmp_path / "data"), REFRESH_CRON_HOUR="")
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def test_importing_the_worker_settings_reads_nothing_until_arq_asks_for_them(tmp_path: Path) -> None:
    env = {**_env(tmp_path, None), "LOG_LEVEL": "not-a-level"}
    imported = subprocess.run(
        [sys.executable, "-c", "import worker.settings"],
        check=False,
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert imported.returncode == 0, imported.stderr
    asked = subprocess.run(
        [sys.executable, "-c", "import worker.settings as s; s.WorkerSettings"],
        check=False,
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert asked.returncode == 2
    assert "invalid settings, the worker is not started: LOG_LEVEL" in asked.stderr
    assert "Traceback" not in asked.stderr
    assert not (tmp_path / "data").exists()  # and no embedded Redis was looked for


def _check(env: dict[str, str]) -> int:
    command = [sys.executable, "-m", "arq", "worker.settings.WorkerSettings", "--check"]
    return subprocess.run(
        command, check=False, env=env, cwd=REPO_ROOT, capture_output=True, timeout=60
    ).returncode


def _wait_healthy(client: redis.Redis, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not client.exists(HEALTH_KEY):
        assert process.poll() is None, "the worker exited"
        assert time.monotonic() < deadline, "the worker never reported healthy"
        time.sleep(0.1)


@pytest.fixture
def stop_later() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_cron_refresh_is_scheduled_unique_and_can_be_disabled() -> None:
    scheduled = worker_options(WorkerServiceSettings(refresh_cron_hour=4, refresh_cron_minute=30))[
        "cron_jobs"
    ]
    assert len(scheduled) == 1
    assert scheduled[0].unique and scheduled[0].hour == 4 and scheduled[0].minute == 30
    assert worker_options(WorkerServiceSettings(refresh_cron_hour=None))["cron_jobs"] == []


def test_arq_command_runs_the_worker_and_check_reports_health(
    published_redis_url: str, tmp_path: Path, stop_later: list[subprocess.Popen[bytes]]
) -> None:
    env = _env(tmp_path, published_redis_url)
    client = redis.Redis.from_url(published_redis_url)
    assert _check(env) == 1  # no worker yet
    process = subprocess.Popen(
        [sys.executable, "-m", "arq", "worker.settings.WorkerSettings"], env=env, cwd=REPO_ROOT
    )
    stop_later.append(process)
    _wait_healthy(client, process)
    assert _check(env) == 0

    # The worker in its own process answers a job the way the API enqueues it.
    version = client.get(keys.CURRENT_VERSION).decode()  # type: ignore[union-attr]

    async def ask() -> dict[str, object]:
        pool = await create_pool(arq_redis_settings(published_redis_url), default_queue_name=jobs.QUEUE_NAME)
        try:
            job = await pool.enqueue_job(
                jobs.RECOMMEND, version, 862, _job_id=jobs.recommend_job_id(version, 862)
            )
            assert job is not None
            result: dict[str, object] = await job.result(timeout=30, poll_delay=0.01)
            return result
        finally:
            await pool.aclose()

    answer = asyncio.run(ask())
    assert answer["titulo"] == "Toy Story" and len(answer["detalle"]) == 5  # type: ignore[arg-type]

    process.terminate()
    assert process.wait(15) == 0
    assert not client.exists(HEALTH_KEY)  # a clean shutdown withdraws the health key
    assert _check(env) == 1
    client.close()


def test_python_m_worker_starts_an_embedded_redis_when_redis_url_is_unset(
    tmp_path: Path, stop_later: list[subprocess.Popen[bytes]]
) -> None:
    env = _env(tmp_path, None)
    process = subprocess.Popen([sys.executable, "-m", "worker"], env=env, cwd=REPO_ROOT)
    stop_later.append(process)
    marker = tmp_path / "data" / "redis" / "redis.url"
    deadline = time.monotonic() + 30
    while not marker.exists():
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    url = marker.read_text().strip()
    assert not url.endswith(":6379/0")
    client = redis.Redis.from_url(url)
    _wait_healthy(client, process)
    # The arq command is no entry point: it never looks for (or starts) an embedded server...
    assert _check(env) == 2
    # ...and checks the one it is pointed at.
    assert _check({**env, "REDIS_URL": url}) == 0
    client.close()
    process.terminate()
    assert process.wait(15) == 0
    assert not marker.exists()  # the worker stopped the server it started
