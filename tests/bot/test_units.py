"""Pure parts of the bot: number formatting, filmography pages, the rate limiter, the API client's URLs."""

from __future__ import annotations

import contextlib
import re

import httpx
import pytest

from bot.gateway import Gateway, InvalidInputError, NotFoundError
from bot.handlers.people import MAX_MESSAGE, filmography_pages
from bot.keyboards import fits
from bot.rate_limiter import RateLimiter
from shared.wording import bot as texts
from shared.wording import formats as numbers
from tests.bot.conftest import Backend


def test_spanish_numbers() -> None:
    assert numbers.integer(1234567) == "1.234.567"
    assert numbers.decimal(1234567.891) == "1.234.567,89"
    assert numbers.decimal(-0.5) == "-0,50"
    assert numbers.date("1995-10-30") == "30/10/1995"


def test_a_huge_filmography_fits_telegram_pages() -> None:
    films = [
        {
            "id": i,
            "titulo": f"A very long title number {i} " + "x" * 200,
            "fecha_estreno": "2001-01-01",
            "retorno": 1.5,
            "costo": 1e6,
            "recaudacion": 2e6,
            "ganancia": 1e6,
        }
        for i in range(95)
    ]
    pages = filmography_pages({"director": "Someone", "retorno_total": 142.5, "peliculas": films})
    assert all(len(page) <= MAX_MESSAGE for page in pages)
    assert len(pages) == 10
    assert sum(page.count("\n• ") for page in pages) == 95
    assert pages[-1].endswith("Películas 91-95 de 95")


def test_rate_limiter_window() -> None:
    now = [0.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert limiter.allow(1) and limiter.allow(1) and not limiter.allow(1)
    assert limiter.allow(2)
    assert limiter.should_warn(1) and not limiter.should_warn(1)
    now[0] = 60.0
    assert limiter.allow(1) and limiter.should_warn(1)


def test_callback_data_limit_is_bytes() -> None:
    assert fits("d:1:5834:" + "a" * 55) and not fits("d:1:5834:" + "a" * 56)
    assert not fits("d:1:5834:" + "é" * 28)


class _Recording(httpx.AsyncBaseTransport):
    """Passes every request on to the real API, noting the raw path it was sent with."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self._real = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.raw_path.decode())
        return await self._real.handle_async_request(request)

    async def aclose(self) -> None:
        await self._real.aclose()


async def test_gateway_escapes_every_title_and_reads_errors(backend: Backend) -> None:
    """Against the real API: odd titles arrive whole, and its 404 and 422 extras are read back.
    (Its 202 is read back end to end in test_concurrency, where the worker is held back.)"""
    recording = _Recording()
    gateway = Gateway(backend.api.url, transport=recording)
    for ask in (
        gateway.score("Face/Off"),
        gateway.votes("10%: What Makes a Hero?", 7),
        gateway.actor("#Horror"),
    ):
        with contextlib.suppress(NotFoundError):
            await ask
    assert recording.paths == [
        "/score_titulo/Face%2FOff",
        "/votos_titulo/10%25%3A%20What%20Makes%20a%20Hero%3F?id=7",
        "/get_actor/%23Horror",
    ]
    with pytest.raises(NotFoundError) as missing:
        await gateway.score("Toy Stori")
    assert {"id": 862, "titulo": "Toy Story", "anio": 1995} in missing.value.sugerencias
    with pytest.raises(InvalidInputError) as invalid:
        await gateway.month("enro")
    assert invalid.value.opciones is not None and "enero" in invalid.value.opciones
    await gateway.aclose()


def test_texts_use_tu_forms() -> None:
    """Neutral Spanish: `escribe`, `vuelve`, `prueba`; never the voseo `escribí`, `volvé`, `probá`."""
    samples = [value for value in vars(texts).values() if isinstance(value, str)]
    samples += [texts.rate_limited(5), texts.invalid_month("x", []), texts.recommendation_slow("x")]
    samples += [texts.title_not_found("x", False), texts.person_not_found("actor", "x", False)]
    samples += [texts.unknown_command("/x"), texts.invalid_input("x"), *texts.USAGE.values()]
    voseo = re.compile(
        r"\b(escribí|probá|volvé|podés|tenés|querés|elegí|revisá|esperá|mirá|usá|fijate)\b", re.I
    )
    assert not [text for text in samples if voseo.search(text)]
