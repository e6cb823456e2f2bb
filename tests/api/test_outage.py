"""Redis goes away and comes back: 503 in Spanish meanwhile, answers again without restarting the API."""

from __future__ import annotations

import asyncio
import time

import pytest

from shared.embedded_redis import EmbeddedRedis
from tests.api.conftest import ADMIN_TOKEN, serve_in_process, settings_for

PATHS = [
    "/cantidad_filmaciones_mes/enero",
    "/score_titulo/Toy%20Story",
    "/votos_titulo/Toy%20Story",
    "/get_actor/Tom%20Hanks",
    "/get_director/John%20Lasseter",
    "/recomendacion/Toy%20Story",
    "/score_titulo/Toy%20Stori",
]


async def test_redis_stopped_then_restarted_on_the_same_port(
    restartable_redis: EmbeddedRedis, caplog: pytest.LogCaptureFixture
) -> None:
    server = restartable_redis
    url = server.url
    async with serve_in_process(settings_for(url)) as api:
        before = {path: (await api.get(path)).status_code for path in PATHS[:5]}
        assert set(before.values()) == {200}

        server.stop()
        # Answers of the answer memo stop within a second of the connection loss (the
        # version watch's bound); from then on everything is 503.
        # Every path, not one: a path the memo never kept fails at once, a kept one only when the
        # watch has seen the loss.
        stopped = time.monotonic()
        while {(await api.get(path)).status_code for path in PATHS[:5]} != {503}:
            assert time.monotonic() - stopped < 1.0
            await asyncio.sleep(0.01)
        for path in PATHS:
            response = await api.get(path)
            assert response.status_code == 503, path
            body = response.json()
            assert body["error"] == "redis_unavailable"
            assert "no está disponible" in body["detail"]
        ready = await api.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["error"] == "redis_unavailable"
        assert (await api.get("/healthz")).status_code == 200
        admin = await api.get("/admin/jobs/x", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        assert admin.status_code == 503
        assert (await api.get("/metrics")).status_code == 200
        # Dozens of failed requests, a couple of log lines: an outage does not flood the log.
        warnings = [r for r in caplog.records if r.getMessage().startswith("Redis is unavailable")]
        assert 1 <= len(warnings) <= 3

        assert server.start() == url
        after = {path: (await api.get(path)).status_code for path in PATHS[:5]}
        assert after == before
        assert (await api.get("/readyz")).status_code == 200
        toy = (await api.get("/score_titulo/Toy%20Story")).json()
        assert toy["id"] == 862
