"""/usuarios/{user_id}/...: the bot's personal lists behind BOT_API_TOKEN, bounded, atomic, forgettable."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
import redis
from pydantic import ValidationError

from api.services.user_lists import MAX_FILMS
from etl.pipeline import Build
from shared import keys
from shared.settings import ApiSettings, BotSettings
from tests.api.conftest import ADMIN_TOKEN, serve_in_process, settings_for

BOT_TOKEN = "bot-service-token-for-tests-0123456789"
BOT = {"Authorization": f"Bearer {BOT_TOKEN}"}
USER = 555001


@pytest.fixture
async def lists_api(published_redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with serve_in_process(settings_for(published_redis_url, bot_api_token=BOT_TOKEN)) as client:
        yield client


async def test_tokens_missing_401_wrong_403_admin_token_403(lists_api: httpx.AsyncClient) -> None:
    routes = [
        ("GET", f"/usuarios/{USER}/lista"),
        ("PUT", f"/usuarios/{USER}/lista/vista/862"),
        ("DELETE", f"/usuarios/{USER}/lista/vista/862"),
        ("DELETE", f"/usuarios/{USER}"),
    ]
    for method, path in routes:
        missing = await lists_api.request(method, path)
        assert missing.status_code == 401, path
        assert missing.json()["error"] == "missing_token"
        for wrong in ("not-the-token", ADMIN_TOKEN):
            refused = await lists_api.request(method, path, headers={"Authorization": f"Bearer {wrong}"})
            assert refused.status_code == 403, (path, wrong)
            assert refused.json()["error"] == "invalid_token"


async def test_unconfigured_token_refuses_everyone(published_redis_url: str) -> None:
    async with serve_in_process(settings_for(published_redis_url)) as api:
        response = await api.get(f"/usuarios/{USER}/lista", headers=BOT)
    assert response.status_code == 403
    assert response.json()["error"] == "service_disabled"


@pytest.mark.parametrize("settings_class", [ApiSettings, BotSettings])
def test_short_placeholder_or_admin_bot_token_is_refused(
    settings_class: type[ApiSettings | BotSettings],
) -> None:
    for bad in ("corto", "changeme", "x" * 23):
        with pytest.raises(ValidationError):
            settings_class(bot_api_token=bad)
    with pytest.raises(ValidationError):
        settings_class(
            bot_api_token="the-same-secret-for-both-0123", admin_token="the-same-secret-for-both-0123"
        )
    accepted = settings_class(bot_api_token="x" * 24)
    assert accepted.bot_api_token is not None
    assert "x" * 24 not in repr(accepted)


async def test_mark_move_remove_and_read_back(lists_api: httpx.AsyncClient) -> None:
    put = await lists_api.put(f"/usuarios/{USER}/lista/quiero_verla/862", headers=BOT)
    assert put.status_code == 200
    assert put.json()["cambio"] is True
    again = await lists_api.put(f"/usuarios/{USER}/lista/quiero_verla/862", headers=BOT)
    assert again.json()["cambio"] is False
    await lists_api.put(f"/usuarios/{USER}/lista/quiero_verla/238", headers=BOT)
    moved = await lists_api.put(f"/usuarios/{USER}/lista/vista/862", headers=BOT)
    assert moved.json()["cantidades"] == {"quiero_verla": 1, "vista": 1}
    body = (await lists_api.get(f"/usuarios/{USER}/lista", headers=BOT)).json()
    assert body["quiero_verla"] == [{"id": 238, "titulo": "The Godfather", "anio": 1972, "disponible": True}]
    assert body["vista"] == [{"id": 862, "titulo": "Toy Story", "anio": 1995, "disponible": True}]
    removed = await lists_api.delete(f"/usuarios/{USER}/lista/vista/862", headers=BOT)
    assert removed.json()["cambio"] is True
    assert (await lists_api.get(f"/usuarios/{USER}/lista", headers=BOT)).json()["vista"] == []


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/usuarios/{USER}/lista/pendiente/862", 422),
        (f"/usuarios/{USER}/lista/vista/abc", 422),
        (f"/usuarios/{USER}/lista/vista/-3", 422),
        ("/usuarios/cero/lista/vista/862", 422),
        (f"/usuarios/{USER}/lista/vista/999999999", 404),
    ],
)
async def test_bad_input(lists_api: httpx.AsyncClient, path: str, status: int) -> None:
    response = await lists_api.put(path, headers=BOT)
    assert response.status_code == status
    assert response.json()["detail"]


async def test_a_film_missing_from_the_version_is_shown_as_such(
    lists_api: httpx.AsyncClient, published_redis_url: str
) -> None:
    client = redis.Redis.from_url(published_redis_url)
    try:
        # A film a later version dropped: the list keeps its id.
        client.zadd(keys.user_list(USER, "vista"), {"424242424": 1})
    finally:
        client.close()
    body = (await lists_api.get(f"/usuarios/{USER}/lista", headers=BOT)).json()
    assert body["vista"] == [{"id": 424242424, "titulo": None, "anio": None, "disponible": False}]


async def test_bounded_per_user(lists_api: httpx.AsyncClient, published_redis_url: str) -> None:
    client = redis.Redis.from_url(published_redis_url)
    try:
        client.zadd(keys.user_list(USER, "vista"), {str(900000 + i): i for i in range(MAX_FILMS)})
    finally:
        client.close()
    full = await lists_api.put(f"/usuarios/{USER}/lista/quiero_verla/862", headers=BOT)
    assert full.status_code == 409
    assert full.json()["error"] == "list_full"
    # Moving a film already listed is no growth: allowed.
    client = redis.Redis.from_url(published_redis_url)
    try:
        client.zrem(keys.user_list(USER, "vista"), "900000")
        client.zadd(keys.user_list(USER, "vista"), {"862": 0})
    finally:
        client.close()
    moved = await lists_api.put(f"/usuarios/{USER}/lista/quiero_verla/862", headers=BOT)
    assert moved.status_code == 200


async def test_concurrent_marks_lose_nothing(lists_api: httpx.AsyncClient, sample_build: Build) -> None:
    films = sorted(sample_build.artefacts.movies)[:10]
    users = range(700000, 700200)

    async def mark(user: int, state: str, film: int) -> None:
        response = await lists_api.put(f"/usuarios/{user}/lista/{state}/{film}", headers=BOT)
        assert response.status_code == 200

    async def use_the_list(user: int) -> None:
        # One person presses one button after another; the 200 people press theirs at once.
        for film in films:
            await mark(user, "quiero_verla", film)
        for film in films[:5]:
            await mark(user, "vista", film)

    await asyncio.gather(*(use_the_list(user) for user in users))
    for user in users:
        body = (await lists_api.get(f"/usuarios/{user}/lista", headers=BOT)).json()
        assert sorted(f["id"] for f in body["quiero_verla"]) == films[5:]
        assert sorted(f["id"] for f in body["vista"]) == films[:5]


async def test_forget_deletes_every_key_of_the_user(
    lists_api: httpx.AsyncClient, published_redis_url: str
) -> None:
    await lists_api.put(f"/usuarios/{USER}/lista/quiero_verla/862", headers=BOT)
    await lists_api.put(f"/usuarios/{USER}/lista/vista/238", headers=BOT)
    await lists_api.put(f"/usuarios/{USER + 1}/lista/vista/238", headers=BOT)
    gone = await lists_api.delete(f"/usuarios/{USER}", headers=BOT)
    assert gone.status_code == 200
    assert gone.json()["claves_borradas"] == 2
    client = redis.Redis.from_url(published_redis_url)
    try:
        left = [k.decode() for k in client.scan_iter(count=1000) if f":{USER}:" in k.decode()]
        others = list(client.scan_iter(match=keys.user_pattern(USER + 1)))
    finally:
        client.close()
    assert left == []
    assert others, "another user's list must stay"
