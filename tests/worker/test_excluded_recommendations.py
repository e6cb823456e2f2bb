"""/recomendacion?excluir=: the API and a real worker leave the given films out and still answer 5."""

from __future__ import annotations

import redis

from shared import keys
from shared.settings import WorkerServiceSettings
from tests.api.conftest import serve_in_process, settings_for
from tests.worker.conftest import WorkerFactory, running


async def test_excluded_films_are_left_out_and_five_remain(
    published_redis_url: str, worker_settings: WorkerServiceSettings, make_worker: WorkerFactory
) -> None:
    settings = settings_for(published_redis_url, recommend_wait_seconds=20)
    async with running(make_worker(worker_settings, burst=False)), serve_in_process(settings) as api:
        plain = (await api.get("/recomendacion/Toy Story")).json()
        first_two = [film["id"] for film in plain["detalle"][:2]]
        query = {"excluir": ",".join(map(str, first_two))}
        without = await api.get("/recomendacion/Toy Story", params=query)
        assert without.status_code == 200, without.text
        body = without.json()
        ids = [film["id"] for film in body["detalle"]]
        assert len(ids) == 5 == len(body["recomendaciones"])
        assert not set(ids) & set(first_two)
        # The rest keep their order: the next best films move up.
        assert ids[:3] == [film["id"] for film in plain["detalle"][2:]]
        # Excluding films that are not among the five is the cached answer itself.
        unrelated = await api.get("/recomendacion/Toy Story", params={"excluir": "999999999"})
        assert unrelated.json()["detalle"] == plain["detalle"]

        # The per-movie cache still holds the five for everyone, not one user's exclusions.
        client = redis.Redis.from_url(published_redis_url)
        try:
            version = client.get(keys.CURRENT_VERSION).decode()  # type: ignore[union-attr]
            cached = client.hget(keys.recommendations(version), str(plain["id"]))
        finally:
            client.close()
        assert cached is not None and str(first_two[0]).encode() in cached


async def test_bad_exclusions_are_a_422(published_redis_url: str) -> None:
    async with serve_in_process(settings_for(published_redis_url)) as api:
        for value in ("abc", "1,-2", "1;2", ",".join(["7"] * 1001)):
            response = await api.get("/recomendacion/Toy Story", params={"excluir": value})
            assert response.status_code == 422, value
            assert response.json()["error"] == "invalid_exclusions"
        assert (await api.get("/recomendacion/Toy Story", params={"excluir": ""})).status_code != 422
