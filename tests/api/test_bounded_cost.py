"""Bounded cost per request: crafted titles cost a fixed number of Redis commands, 404 suggestions are
remembered, over-long URLs answer 414 and a process refuses requests beyond its concurrency limit."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import redis
from redis.asyncio import Redis

from api.services.dataset import DatasetReader
from api.services.suggestions import CatalogCache
from api.services.titles import MAX_READINGS
from shared import keys
from shared.embedded_redis import EmbeddedRedis
from tests.api.conftest import serve_in_process, settings_for
from tests.api.test_answer_memo import from_memo, lookups
from tests.waiting import eventually

# Percent-encoded percent signs, trailing slashes and year suffixes: each used to multiply the
# readings of a title (thousands of lookups for one request).
CRAFTED = [
    "%2525" * 20 + "/" * 40,
    "Toy Story" + "%25" * 30 + " (1995)" * 8 + "/" * 30,
    "%252F%2520(1996)/" * 10,
]


def _commands(client: redis.Redis) -> int:
    stats = client.info("commandstats")
    # What the requests cost, not the INFO/CONFIG calls of this test.
    return sum(
        int(value["calls"]) for name, value in stats.items() if not name.endswith(("_info", "_config"))
    )


async def test_a_crafted_title_costs_a_bounded_number_of_redis_commands(
    restartable_redis: EmbeddedRedis,
) -> None:
    url = restartable_redis.url
    client = redis.Redis.from_url(url)
    # No answer memo: every request reaches Redis, as distinct crafted titles would.
    async with serve_in_process(settings_for(url, api_remember_answers=False)) as api:
        await api.get("/score_titulo/Toy%20Stori")  # suggestion catalogue loaded once per version
        for crafted in CRAFTED:
            client.config_resetstat()
            response = await api.get(f"/score_titulo/{crafted}")
            assert response.status_code == 404, response.text
            assert response.json()["error"] == "title_not_found"
            # One script call holding at most MAX_READINGS field reads, whatever was typed.
            assert _commands(client) <= MAX_READINGS + 2
    client.close()


async def test_a_repeated_typo_is_suggested_from_memory(restartable_redis: EmbeddedRedis) -> None:
    connection = Redis.from_url(restartable_redis.url)
    catalogs = CatalogCache(DatasetReader(connection))
    version = (await connection.get(keys.CURRENT_VERSION) or b"").decode()
    catalog = await catalogs.get("titles", version)
    searches: list[str] = []
    search = catalog.suggest

    def counted(query: str, limit: int = 5, per_key: int = 1) -> list[Any]:
        searches.append(query)
        return search(query, limit, per_key)

    # The catalogue is frozen; the test watches its one method from outside.
    object.__setattr__(catalog, "suggest", counted)
    first = (await catalogs.titles(version, "Toy Stori")).entries
    again = (await catalogs.titles(version, "TOY STORI")).entries
    await connection.aclose()
    assert any(s["titulo"] == "Toy Story" for s in first)
    assert again == first
    assert len(searches) == 1


async def test_a_url_longer_than_the_maximum_answers_414(restartable_redis: EmbeddedRedis) -> None:
    async with serve_in_process(settings_for(restartable_redis.url, api_max_url_length=256)) as api:
        long_path = await api.get("/score_titulo/" + "a" * 300)
        long_query = await api.get("/recomendacion/Toy%20Story", params={"x": "b" * 300})
        fine = await api.get("/score_titulo/Toy%20Story")
    for response in (long_path, long_query):
        assert response.status_code == 414
        body = response.json()
        assert body["error"] == "uri_too_long" and "256" in body["detail"]
    assert fine.status_code == 200


async def test_requests_beyond_the_concurrency_limit_are_refused_at_once(
    restartable_redis: EmbeddedRedis,
) -> None:
    # No worker: a recommendation waits RECOMMEND_WAIT_SECONDS, holding the only slot meanwhile.
    settings = settings_for(restartable_redis.url, api_max_concurrency=1, recommend_wait_seconds=3)
    async with serve_in_process(settings) as api:
        waiting = asyncio.create_task(api.get("/recomendacion/Toy%20Story"))
        refused: list[httpx.Response] = []

        async def refused_once() -> bool:
            response = await api.get("/healthz")
            if response.status_code == 503:
                refused.append(response)
            return bool(refused)

        await eventually(refused_once, "a request refused while the only slot is taken", within=3)
        assert refused[0].json()["error"] == "too_busy"
        assert refused[0].headers["Retry-After"] == "1"
        await waiting
        assert (await api.get("/healthz")).status_code == 200


async def test_a_crafted_title_suggests_the_title_it_hides(restartable_redis: EmbeddedRedis) -> None:
    async with serve_in_process(settings_for(restartable_redis.url)) as api:
        # Encoded twice, a year and trailing slashes around a typo: suggested as the typo alone is.
        crafted = await api.get("/votos_titulo/Toy%2520Stori%2520(1995)" + "/" * 20)
        plain = await api.get("/votos_titulo/Toy%20Stori")
    assert crafted.status_code == plain.status_code == 404
    assert crafted.json()["sugerencias"] == plain.json()["sugerencias"]
    assert crafted.json()["sugerencias"][0]["titulo"] == "Toy Story"


async def test_a_flood_of_distinct_crafted_titles_leaves_the_answers_in_memory(
    restartable_redis: EmbeddedRedis,
) -> None:
    url = restartable_redis.url
    # 1 MB of memo: an eighth of it (128 KB) for 404s, a few hundred of them.
    async with serve_in_process(settings_for(url, api_remember_megabytes=1)) as api:
        answer = await from_memo(api, url, "/score_titulo/Toy%20Story")
        flood = [f"/votos_titulo/{'%2525' * 30}{number}%20(1995)" + "/" * 30 for number in range(400)]
        for path in flood:
            assert (await api.get(path)).status_code == 404
        before = lookups(url)
        again = await api.get("/score_titulo/Toy%20Story")
        assert lookups(url) == before, "an answer was pushed out of the memo by 404s"
        assert again.json() == answer.json()
        # The latest 404s are remembered, the first ones made room for them.
        assert (await api.get(flood[-1])).status_code == 404
        assert lookups(url) == before
        await api.get(flood[0])
        assert lookups(url) > before
