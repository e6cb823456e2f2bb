"""`python -m api` as a real process: it stops only the Redis it started, and logs in LOG_FORMAT."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from shared.embedded_redis import EmbeddedRedis, free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
_CLEARED = {"REDIS_URL", "DATA_DIR", "API_HOST", "API_PORT", "ADMIN_TOKEN", "LOG_FORMAT", "LOG_LEVEL"}

pytestmark = pytest.mark.timeout(120)


class ApiProcess:
    def __init__(self, data_dir: Path, log: Path, **env: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        values = {k: v for k, v in os.environ.items() if k not in _CLEARED}
        values.update(PYTHONPATH=str(REPO_ROOT), DATA_DIR=str(data_dir), API_PORT=str(self.port), **env)
        self.log = log
        self._out = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "api"],
            env=values,
            cwd=REPO_ROOT,
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )

    def wait_serving(self, timeout: float = 45) -> None:
        deadline = time.monotonic() + timeout
        while True:
            assert self.process.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "the API never answered /healthz"
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(30)
        self._out.close()
        return code

    def lines(self) -> list[str]:
        return self.log.read_text().splitlines()


@pytest.fixture
def started() -> Iterator[list[ApiProcess]]:
    processes: list[ApiProcess] = []
    yield processes
    for api in processes:
        if api.process.poll() is None:
            api.process.kill()
            api.process.wait()


def _answers(url: str) -> bool:
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def test_stopping_the_api_never_stops_a_redis_it_joined(tmp_path: Path, started: list[ApiProcess]) -> None:
    """Another entry point's embedded Redis in the same DATA_DIR is joined, and outlives the API."""
    data_dir = tmp_path / "var"
    owner = EmbeddedRedis(data_dir / "redis")  # as `python -m worker` leaves it running
    url = owner.start()
    try:
        api = ApiProcess(data_dir, tmp_path / "api.log")
        started.append(api)
        api.wait_serving()
        assert api.stop() == 0
        assert _answers(url), "the API stopped a Redis it did not start"
        assert (data_dir / "redis" / "redis.url").read_text().strip() == url
    finally:
        owner.stop()


def test_stopping_the_api_never_stops_the_redis_at_redis_url(
    redis_url: str, tmp_path: Path, started: list[ApiProcess]
) -> None:
    api = ApiProcess(tmp_path / "var", tmp_path / "api.log", REDIS_URL=redis_url)
    started.append(api)
    api.wait_serving()
    assert api.stop() == 0
    assert _answers(redis_url)
    assert not (tmp_path / "var" / "redis").exists(), "no embedded Redis was started"


def test_the_api_stops_the_redis_it_started(tmp_path: Path, started: list[ApiProcess]) -> None:
    data_dir = tmp_path / "var"
    api = ApiProcess(data_dir, tmp_path / "api.log")
    started.append(api)
    api.wait_serving()
    url = (data_dir / "redis" / "redis.url").read_text().strip()
    assert _answers(url)
    assert api.stop() == 0
    assert not _answers(url)
    assert not (data_dir / "redis" / "redis.url").exists()


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_every_line_names_the_service_and_request_lines_their_request_id(
    log_format: str, published_redis_url: str, tmp_path: Path, started: list[ApiProcess]
) -> None:
    api = ApiProcess(
        tmp_path / "var", tmp_path / "api.log", REDIS_URL=published_redis_url, LOG_FORMAT=log_format
    )
    started.append(api)
    api.wait_serving()
    answer = httpx.get(
        f"{api.base}/score_titulo/Toy%20Story", headers={"X-Request-ID": "trace-77"}, timeout=10
    )
    assert answer.status_code == 200
    assert api.stop() == 0
    lines = api.lines()
    assert lines, "the API logged nothing"
    if log_format == "json":
        entries = [json.loads(line) for line in lines]  # every line is one JSON object
        assert all(entry["service"] == "api" and entry["request_id"] for entry in entries), entries
        access = [e for e in entries if e["logger"] == "api.access" and e["request_id"] == "trace-77"]
        assert len(access) == 1
        assert access[0]["status"] == 200 and access[0]["route"] == "/score_titulo/{titulo:text}"
        assert {"ts", "level", "message", "method", "path", "duration_ms"} <= set(access[0])
    else:
        assert all(line.split(" ")[2] == "api" for line in lines if line[:1].isdigit()), lines
        access = [line for line in lines if " api.access [trace-77] " in line]
        assert len(access) == 1 and "status=200" in access[0]
        assert all(not line.startswith("{") for line in lines)


def test_create_app_never_starts_a_redis(tmp_path: Path) -> None:
    from api.main import create_app
    from shared.settings import ApiSettings

    with pytest.raises(ValueError, match="REDIS_URL"):
        create_app(ApiSettings(redis_url=None, data_dir=tmp_path / "var"))
    assert not (tmp_path / "var").exists()


def test_api_main_app_reads_the_environment_when_a_server_asks_not_at_import(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    env.update(PYTHONPATH=str(REPO_ROOT), DATA_DIR=str(tmp_path / "var"))
    imported = subprocess.run(
        [sys.executable, "-c", "import api.main"], env=env, cwd=REPO_ROOT, capture_output=True, check=False
    )
    assert imported.returncode == 0, imported.stderr
    served = subprocess.run(
        [sys.executable, "-m", "uvicorn", "api.main:app", "--port", str(free_port())],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert served.returncode != 0
    assert "set REDIS_URL" in served.stderr
    assert not (tmp_path / "var").exists()  # no embedded Redis: only `python -m api` starts one
