"""Property-based fuzzing of every documented route (schemathesis): no input makes the API answer 500.

Runs against `python -m api` as a real process (uvicorn, real HTTP and percent-encoding) over a
Redis with the sample published by the ETL; bounded by a small number of examples per route.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from etl.pipeline import Build
from etl.publish import publish
from shared.embedded_redis import EmbeddedRedis, free_port
from shared.settings import REPO_ROOT
from tests.api.conftest import ADMIN_TOKEN

EXAMPLES_PER_ROUTE = 30


@pytest.fixture(scope="module")
def live_api(tmp_path_factory: pytest.TempPathFactory, sample_build: Build) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    server = EmbeddedRedis(folder / "redis", persistent=False)
    url = server.start()
    client = redis.Redis.from_url(url)
    publish(client, sample_build)
    client.close()
    port = free_port()
    env = {
        **os.environ,
        "REDIS_URL": url,
        "API_HOST": "127.0.0.1",
        "API_PORT": str(port),
        "ADMIN_TOKEN": ADMIN_TOKEN,
        "RECOMMEND_WAIT_SECONDS": "0.05",
        "LOG_LEVEL": "WARNING",
        "DATA_DIR": str(folder / "data"),
    }
    process = subprocess.Popen([sys.executable, "-m", "api"], cwd=REPO_ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "python -m api did not start"
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(10)
        server.stop()


def test_python_m_api_serves_the_published_dataset(live_api: str) -> None:
    body = httpx.get(live_api + "/score_titulo/Toy%20Story").json()
    assert body["id"] == 862
    assert httpx.get(live_api + "/score_titulo/Face%2FOff").json()["titulo"] == "Face/Off"
    assert httpx.get(live_api + "/healthz").headers["x-request-id"]


@pytest.mark.slow
def test_no_input_makes_any_route_fail_with_500(live_api: str) -> None:
    schema = schemathesis.openapi.from_url(live_api + "/openapi.json")
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    statuses: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_ROUTE,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call(base_url=live_api, timeout=15)
            statuses.append(response.status_code)
            case.validate_response(response, checks=checks)

        check()
    assert len(statuses) > 5 * len(operations)
    assert {200, 404, 422} <= set(statuses)
