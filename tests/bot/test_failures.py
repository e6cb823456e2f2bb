"""Limits and failures: rate limit, admin refusal, the API down or failing, the error handler, posters."""

from __future__ import annotations

import asyncio
import logging
import re

import httpx
import pytest

from bot import texts
from shared.embedded_redis import free_port
from tests.bot.conftest import (
    ADMIN_CHAT,
    Backend,
    Harness,
    assert_no_token,
    bot_settings,
    buttons,
    running_bot,
)


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
    async with running_bot(bot_settings(backend.api.url, admin_token="not-the-api-token-5d1")) as bot:
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


def _api_answering(status: int, body: dict[str, object]) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(status, json=body))


async def test_api_errors_become_spanish_sentences() -> None:
    unavailable = _api_answering(503, {"error": "dataset_not_published", "detail": "Corré el ETL"})
    async with running_bot(bot_settings("http://api.test"), gateway_transport=unavailable) as bot:
        assert await bot.chat().ask("/dia lunes") == texts.API_UNAVAILABLE
    broken = _api_answering(500, {"error": "internal_error", "detail": "Ocurrió un error interno"})
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


def _film_api(request: httpx.Request) -> httpx.Response:
    """The API as branch api2 answers: a poster path and the directors next to the usual fields."""
    extra = {"poster_path": "/rhIRbceoE9lR4veEXuwCC2wARtG.jpg", "directores": ["John Lasseter"]}
    base = {"id": 862, "titulo": "Toy Story", "anio": 1995, "otras_coincidencias": [], **extra}
    if request.url.path.startswith("/score_titulo/"):
        return httpx.Response(200, json={**base, "score": 21.946943})
    return httpx.Response(200, json={**base, "cumple_minimo": True, "votos": 5415, "promedio": 7.7})


async def test_a_card_shows_the_poster_or_falls_back_to_text() -> None:
    card_text = "\n".join(
        [
            "Toy Story (1995)",
            "Estreno: 1995",
            "Score/popularidad: 21,95",
            "Valoraciones: 5.415, con un promedio de 7,70",
            "Director: John Lasseter",
        ]
    )
    async with running_bot(
        bot_settings("http://api.test"), gateway_transport=httpx.MockTransport(_film_api)
    ) as bot:
        chat = bot.chat()
        [photo] = await chat.send("Toy Story")
        assert photo["caption"] == card_text
        assert (
            photo["photo"][0]["file_id"] == "https://image.tmdb.org/t/p/w500/rhIRbceoE9lR4veEXuwCC2wARtG.jpg"
        )
        card_buttons = [("Quiero verla", "l:q:862"), ("Ya la vi", "l:v:862"), ("Más como esta", "r:862")]
        assert buttons(photo) == card_buttons
        bot.fake.reject_photos = True
        [text] = await chat.send("Toy Story")
        assert text["text"] == card_text and buttons(text) == card_buttons
    assert bot.errors == []


def _prolific_director(request: httpx.Request) -> httpx.Response:
    """A director whose name does not fit in a button's 64 bytes of data, with 15 films."""
    name = "Ñandú " * 12
    films = [
        {"id": i, "titulo": f"Film {i}", "fecha_estreno": f"20{i:02d}-01-01", "retorno": 0.0}
        | {"costo": 0.0, "recaudacion": 0.0, "ganancia": 0.0}
        for i in range(15)
    ]
    body = {"director": name, "id": 9, "retorno_total": 0.0, "peliculas": films, "otras_coincidencias": []}
    return httpx.Response(200, json=body)


async def test_a_long_name_gets_its_filmography_in_several_messages() -> None:
    transport = httpx.MockTransport(_prolific_director)
    async with running_bot(bot_settings("http://api.test"), gateway_transport=transport) as bot:
        first, second = await bot.chat().send("/director Ñandú", expect=2)
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
    await asyncio.sleep(0.3)  # time for a refused edit to reach the error handlers, if it did
    assert harness.errors == [] and len(chat.messages) == 1
