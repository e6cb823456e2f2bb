"""Limits and failures: rate limit, admin refusal, the API down or failing, the error handler, posters."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from etl.pipeline import build_dataset
from shared.embedded_redis import free_port
from shared.wording import bot as texts
from tests import independent as ind
from tests.bot.conftest import (
    ADMIN_CHAT,
    ApiProcess,
    Backend,
    Harness,
    assert_no_token,
    bot_settings,
    buttons,
    database_url,
    publish_sample,
    running_bot,
)
from tests.bot.spanish import es_dec, es_int
from tests.etl import raw_rows as raw


async def test_rate_limit_is_polite_and_said_once(backend: Backend) -> None:
    async with running_bot(bot_settings(backend.api.url, bot_rate_limit_per_minute=3)) as bot:
        chat, other = bot.chat(), bot.chat(2002)
        for _ in range(3):
            assert (await chat.ask("/mes enero")).endswith("en el mes de enero")
        assert await chat.ask("/mes enero") == texts.rate_limited(3)
        bot.fake.user_sends(chat.user, "/mes enero")
        # Another user is not limited; by the time they are answered, the first got no second warning.
        assert (await other.ask("/mes enero")).endswith("en el mes de enero")
        assert [m["text"] for m in chat.messages].count(texts.rate_limited(3)) == 1
        # A button pressed over the limit is still answered, with the same polite sentence.
        query = bot.fake.user_presses(chat.user, chat.messages[0], "t:s:862")
        await bot.fake.wait_until(lambda: query in bot.fake.callback_answers)
        assert bot.fake.callback_answers[query]["text"] == texts.rate_limited(3)
    assert bot.errors == []


async def test_admin_refresh(harness: Harness) -> None:
    assert await harness.chat().ask("/actualizar") == texts.ADMIN_ONLY
    answer = await harness.chat(ADMIN_CHAT).ask("/actualizar")
    assert re.fullmatch(
        r"Pedí la actualización de los datos \(tarea refresh:\S+, estado: (en cola|en curso|terminada)\)\.",
        answer,
    )


async def test_admin_refresh_with_a_token_the_api_refuses(backend: Backend) -> None:
    settings = bot_settings(backend.api.url, admin_token="not-the-api-token-of-this-run-5d1")
    async with running_bot(settings) as bot:
        assert await bot.chat(ADMIN_CHAT).ask("/actualizar") == texts.ADMIN_REFUSED
    assert bot.errors == []


async def test_messages_without_text_get_a_hint(harness: Harness) -> None:
    chat = harness.chat()
    before = len(chat.messages)
    harness.fake.user_sends(chat.user, None)
    await harness.fake.wait_until(lambda: len(chat.messages) > before)
    assert chat.messages[-1]["text"] == texts.ONLY_TEXT


async def test_api_down(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    async with running_bot(bot_settings(f"http://127.0.0.1:{free_port()}")) as bot:
        chat = bot.chat()
        assert await chat.ask("/mes enero") == texts.API_UNAVAILABLE
        [status] = await chat.send("/recomendacion Toy Story")
        await bot.fake.wait_until(lambda: status["text"] == texts.API_UNAVAILABLE)
        assert await chat.ask("Toy Story") == texts.API_UNAVAILABLE
    assert bot.errors == []
    assert any("is not ready yet" in r.getMessage() for r in caplog.get_records("call"))
    assert_no_token(caplog)


async def test_an_api_without_a_dataset_gets_a_spanish_sentence(
    embedded_redis_url: str, tmp_path: Path
) -> None:
    """The real API on an empty database answers 503 `dataset_not_published`."""
    url = database_url(embedded_redis_url, 8)
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()
    api = ApiProcess(url, tmp_path, wait=1, until="/healthz")
    try:
        async with httpx.AsyncClient(base_url=api.url) as client:
            answer = await client.get("/cantidad_filmaciones_dia/lunes")
        assert answer.status_code == 503 and answer.json()["error"] == "dataset_not_published"
        async with running_bot(bot_settings(api.url)) as bot:
            assert await bot.chat().ask("/dia lunes") == texts.API_UNAVAILABLE
        assert bot.errors == []
    finally:
        api.stop()


async def test_an_api_failing_inside_gets_an_apology() -> None:
    """A 500 the real API cannot be made to answer on purpose: the only answer faked here."""
    broken = httpx.MockTransport(
        lambda request: httpx.Response(500, json={"error": "internal_error", "detail": "Ocurrió un error"})
    )
    async with running_bot(bot_settings("http://api.test"), gateway_transport=broken) as bot:
        assert await bot.chat().ask("/actor Tom Hanks") == texts.SOMETHING_FAILED
    assert bot.errors == []


async def test_the_error_handler_logs_and_apologises(caplog: pytest.LogCaptureFixture) -> None:
    def explode(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/readyz":
            return httpx.Response(200, json={"estado": "ok"})
        raise RuntimeError("a bug in the bot")

    async with running_bot(
        bot_settings("http://api.test"), gateway_transport=httpx.MockTransport(explode)
    ) as bot:
        assert await bot.chat().ask("/mes enero") == texts.SOMETHING_FAILED
    assert [type(error) for error in bot.errors] == [RuntimeError]
    [record] = [r for r in caplog.records if r.name == "bot.handlers.errors"]
    assert record.exc_info is not None and "a bug in the bot" not in texts.SOMETHING_FAILED


async def test_a_card_shows_the_poster_or_falls_back_to_text(harness: Harness) -> None:
    movie = ind.movies().set_index("id").loc[862]
    [crew] = ind.credit_rows().query("id == 862")["crew"]
    directors = [member["name"] for member in crew if member["job"] == "Director"]
    card_text = "\n".join(
        [
            "Toy Story (1995)",
            "Estreno: 1995",
            f"Score/popularidad: {es_dec(movie.popularity)}",
            f"Valoraciones: {es_int(movie.vote_count)}, con un promedio de {es_dec(movie.vote_average)}",
            f"Director: {' y '.join(directors)}",
        ]
    )
    chat = harness.chat()
    [photo] = await chat.send("Toy Story")
    assert photo["caption"] == card_text
    assert photo["photo"][0]["file_id"] == f"https://image.tmdb.org/t/p/w500{movie.poster_path}"
    card_buttons = [("Quiero verla", "l:q:862"), ("Ya la vi", "l:v:862"), ("Más como esta", "r:862")]
    assert buttons(photo) == card_buttons
    harness.fake.reject_photos = True  # Telegram cannot fetch the poster: the card comes as text
    [text] = await chat.send("Toy Story")
    assert text["text"] == card_text and buttons(text) == card_buttons


LONG_NAME = " ".join(["Ñandú"] * 12)


@pytest.fixture(scope="module")
def prolific_api(embedded_redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiProcess]:
    """The real API over a dataset of 15 films by a director whose name does not fit in a button."""
    source = tmp_path_factory.mktemp("prolific-source")
    rows = [raw.movie(str(100 + i), f"Film {i}", f"20{i:02d}-01-01") for i in range(15)]
    raw.write_movies(source, rows)
    raw.write_credits(source, [(str(100 + i), [], [raw.director(9, LONG_NAME)]) for i in range(15)])
    url = database_url(embedded_redis_url, 9)
    publish_sample(url, build_dataset(source, tmp_path_factory.mktemp("prolific-data")))
    api = ApiProcess(url, tmp_path_factory.mktemp("prolific-api"), wait=1)
    yield api
    api.stop()


async def test_a_long_name_gets_its_filmography_in_several_messages(prolific_api: ApiProcess) -> None:
    async with running_bot(bot_settings(prolific_api.url)) as bot:
        first, second = await bot.chat().send(f"/director {LONG_NAME.lower()}", expect=2)
        assert first["text"].startswith(f"El director {LONG_NAME} ha dirigido 15 películas")
        assert first["text"].endswith("Películas 1-10 de 15") and second["text"].endswith(
            "Películas 11-15 de 15"
        )
        assert "reply_markup" not in first and "reply_markup" not in second
    assert bot.errors == []


async def test_a_double_tap_on_a_page_button(harness: Harness) -> None:
    chat = harness.chat()
    [page] = await chat.send("/director Robert Stevenson")
    stale = dict(page)  # the message as the user's app still shows it
    await chat.press(page, "Ver más ▸", expect=0)
    await harness.fake.wait_until(lambda: page["text"].endswith("Películas 11-14 de 14"))
    await chat.press(stale, "Ver más ▸", expect=0)
    await harness.fake.wait_until(lambda: [m for m, _ in harness.fake.calls].count("editMessageText") == 2)
    await harness.settled(3)  # the command and both taps, a refused edit's error handling included
    assert harness.errors == [] and len(chat.messages) == 1
