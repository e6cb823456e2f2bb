"""`make run` outlives a Redis outage longer than its restart budget: every service keeps running,
answers 503 meanwhile, and serves again as soon as Redis is back, with nobody restarting anything."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from benchmarks.chaos.redis_server import FaultyRedis
from etl.pipeline import Build
from etl.publish import publish
from tests.launcher.conftest import LaunchFactory

# The old supervisor gave up after 5 restarts 1 + 2 + 4 + 8 + 16 s apart: about 31 s.
OUTAGE_SECONDS = 36
PATHS = ("/cantidad_filmaciones_mes/enero", "/score_titulo/Toy%20Story", "/recomendacion/Toy%20Story")


@pytest.fixture
def external_redis(tmp_path: Path, sample_build: Build) -> Iterator[FaultyRedis]:
    server = FaultyRedis(tmp_path / "external-redis")
    server.start()
    client = redis.Redis.from_url(server.url)
    publish(client, sample_build)
    client.close()
    yield server
    server.stop()


def test_services_outlive_a_long_redis_outage(
    launch: LaunchFactory, tmp_path: Path, external_redis: FaultyRedis
) -> None:
    run = launch(tmp_path / "var", "--no-etl", REDIS_URL=external_redis.url)
    run.wait_ready()
    run.wait_for(lambda: json.loads(run.get("/readyz")[1]).get("worker") is True, "a live worker")
    services = {marker: run.child(marker).pid for marker in ("-m api", "-m worker")}

    external_redis.kill()
    killed = time.monotonic()
    slowest = 0.0
    while time.monotonic() - killed < OUTAGE_SECONDS:
        for path in PATHS:
            asked = time.monotonic()
            status, body = run.get(path)
            slowest = max(slowest, time.monotonic() - asked)
            assert status == 503, (path, status, body)
            assert json.loads(body)["error"] == "redis_unavailable"
        time.sleep(0.5)
    assert slowest < 5

    external_redis.start()
    back = time.monotonic()
    run.wait_for(lambda: run.get("/readyz")[0] == 200, "/readyz after Redis came back", timeout=10)
    assert time.monotonic() - back < 2.5
    run.wait_for(lambda: json.loads(run.get("/readyz")[1]).get("worker") is True, "the worker", timeout=10)
    for path in PATHS:
        assert run.get(path)[0] == 200, path
    # A recommendation nobody cached: the worker computes it.
    status, body = run.get("/recomendacion/Toy%20Story?excluir=13")
    assert status == 200, body
    assert len(json.loads(body)["recomendaciones"]) == 5

    # Nothing was restarted, by the launcher or by hand.
    assert {marker: run.child(marker).pid for marker in services} == services
    assert run.process.poll() is None
    log = run.log()
    assert "stopped unexpectedly" not in log
    assert "Redis answers again" in log
    assert run.stop() == 0
    run.assert_everything_ended()


def test_the_embedded_redis_killed_under_the_services_is_started_again(
    published_data_dir: Path, launch: LaunchFactory
) -> None:
    run = launch(published_data_dir)
    run.wait_ready()
    services = {marker: run.child(marker).pid for marker in ("-m api", "-m worker")}
    url = run.redis_url()
    server = run.child("redis-server")
    server.kill()
    server.wait(10)

    run.wait_logged("the embedded Redis stopped (killed by SIGKILL); starting it again on its port")
    run.wait_logged("the embedded Redis is running again")
    # Same port, same password, its snapshot loaded: the services reconnect to the URL they hold.
    assert run.redis_url() == url
    run.wait_for(lambda: run.get("/score_titulo/Toy%20Story")[0] == 200, "answers after the restart", 10)
    run.wait_for(lambda: json.loads(run.get("/readyz")[1]).get("worker") is True, "the worker", 10)
    assert {marker: run.child(marker).pid for marker in services} == services
    assert run.stop() == 0
    run.assert_everything_ended()
