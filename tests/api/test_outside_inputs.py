"""What an outside user types into the URL: every answer has the documented shape, in Spanish, never a 500."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from shared.text import MONTHS
from tests.api.expected import expected

LONG = "a" * 10_000
# Longer than any title or name allowed, shorter than the longest URL accepted (414 beyond it).
TOO_LONG_TEXT = "a" * 1_000
ROUTES_BY_TEXT = ["score_titulo", "votos_titulo", "recomendacion", "get_actor", "get_director"]


def _error(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text[:300]
    body = response.json()
    assert body["error"] == code
    assert isinstance(body["detail"], str) and 10 < len(body["detail"]) < 400
    assert "Traceback" not in response.text
    return body  # type: ignore[no-any-return]


@pytest.mark.parametrize("route", ROUTES_BY_TEXT)
@pytest.mark.parametrize("typed", ["%20", "%20%20%20", "%09", ""])
async def test_blank_text_is_422_asking_for_it(api: httpx.AsyncClient, route: str, typed: str) -> None:
    code = "empty_name" if route.startswith("get_") else "empty_title"
    body = _error(await api.get(f"/{route}/{typed}"), 422, code)
    assert str(body["detail"]).startswith("Falta el")


@pytest.mark.parametrize("route", ROUTES_BY_TEXT)
async def test_a_thousand_characters_are_refused_politely(api: httpx.AsyncClient, route: str) -> None:
    code = "name_too_long" if route.startswith("get_") else "title_too_long"
    body = _error(await api.get(f"/{route}/{TOO_LONG_TEXT}"), 422, code)
    assert "demasiado largo" in str(body["detail"])


@pytest.mark.parametrize("route", [*ROUTES_BY_TEXT, "cantidad_filmaciones_mes", "cantidad_filmaciones_dia"])
async def test_ten_thousand_characters_are_a_414(api: httpx.AsyncClient, route: str) -> None:
    body = _error(await api.get(f"/{route}/{LONG}"), 414, "uri_too_long")
    assert "demasiado larga" in str(body["detail"])


@pytest.mark.parametrize(
    ("route", "code"),
    [("cantidad_filmaciones_mes", "invalid_month"), ("cantidad_filmaciones_dia", "invalid_day")],
)
@pytest.mark.parametrize(
    "typed", [TOO_LONG_TEXT, "9" * 1000, "፩", "🎬", "13", "0", "-1", "1.5", "sab", "'; DROP TABLE x; --"]
)
async def test_calendar_nonsense_is_422_with_a_short_sentence(
    api: httpx.AsyncClient, route: str, code: str, typed: str
) -> None:
    body = _error(await api.get(f"/{route}/" + quote(typed, safe="")), 422, code)
    assert body["opciones"]
    assert "no es un" in str(body["detail"])


async def test_empty_month_says_it_is_missing(api: httpx.AsyncClient) -> None:
    body = _error(await api.get("/cantidad_filmaciones_mes/"), 422, "invalid_month")
    assert body["detail"] == (
        "Falta el mes: escribe su nombre en español (por ejemplo, enero) o su número del 1 al 12."
    )
    assert body["opciones"] == list(MONTHS)
    body = _error(await api.get("/cantidad_filmaciones_dia/%20"), 422, "invalid_day")
    assert str(body["detail"]).startswith("Falta el día")


@pytest.mark.parametrize(
    ("route", "typed", "field", "value"),
    [
        ("cantidad_filmaciones_mes", "Enero ", "mes", "enero"),
        ("cantidad_filmaciones_mes", " 03", "mes", "marzo"),
        ("cantidad_filmaciones_dia", "sabado", "dia", "sábado"),
        ("cantidad_filmaciones_dia", "SÁBADO", "dia", "sábado"),
        ("cantidad_filmaciones_dia", "Miércoles/", "dia", "miércoles"),
    ],
)
async def test_calendar_spellings_people_use(
    api: httpx.AsyncClient, route: str, typed: str, field: str, value: str
) -> None:
    response = await api.get(f"/{route}/" + quote(typed))
    assert response.status_code == 200
    assert response.json()[field] == value


@pytest.mark.parametrize("route", ROUTES_BY_TEXT)
@pytest.mark.parametrize(
    "typed", ["🎬🍿", "'; DROP TABLE movies; --", "1' OR '1'='1", "%00", "a\x00b", "...", "%"]
)
async def test_odd_text_is_a_plain_404(api: httpx.AsyncClient, route: str, typed: str) -> None:
    code = {"get_actor": "actor_not_found", "get_director": "director_not_found"}.get(
        route, "title_not_found"
    )
    body = _error(await api.get(f"/{route}/" + quote(typed, safe="")), 404, code)
    assert isinstance(body["sugerencias"], list)


@pytest.mark.parametrize(
    "path",
    [
        "/score_titulo/Toy%20Story%20%20%20",
        "/score_titulo/%20Toy%20Story",
        "/score_titulo/Toy%20Story%20(1995)",
        "/score_titulo/Toy%20Story/",
        "/score_titulo/toy%0Astory",
        "/score_titulo/Toy%20Story?anio=",
        "/score_titulo/Toy%20Story?id=&anio=1995",
        "/score_titulo/Toy%20Story?otra=cosa",
    ],
)
async def test_toy_story_however_it_is_typed(api: httpx.AsyncClient, path: str) -> None:
    response = await api.get(path)
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["titulo"], body["anio"]) == (862, "Toy Story", 1995)


async def test_trailing_slash_after_a_name(api: httpx.AsyncClient) -> None:
    response = await api.get("/get_director/Steven%20Spielberg/")
    assert response.status_code == 200
    films = expected().directors
    assert (
        response.json()["cantidad_peliculas"]
        == films.loc[films.name == "Steven Spielberg", "movie_id"].nunique()
    )


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("anio=abc", "validation_error"),
        ("id=abc", "validation_error"),
        ("id=99999999999999999999999", "validation_error"),
        ("anio=1995&anio=abc", "validation_error"),
    ],
)
async def test_bad_numbers_are_422(api: httpx.AsyncClient, query: str, code: str) -> None:
    body = _error(await api.get(f"/score_titulo/Toy%20Story?{query}"), 422, code)
    assert "debe ser un número entero" in str(body["detail"])


@pytest.mark.parametrize("query", ["id=-1", "anio=-1", "anio=1990", "id=0"])
async def test_numbers_that_pick_nothing_list_the_films_of_that_title(
    api: httpx.AsyncClient, query: str
) -> None:
    body = _error(await api.get(f"/votos_titulo/Toy%20Story?{query}"), 404, "title_not_found")
    assert body["sugerencias"] == [{"id": 862, "titulo": "Toy Story", "anio": 1995}]


async def test_person_id_that_picks_nobody(api: httpx.AsyncClient) -> None:
    body = _error(await api.get("/get_actor/Tom%20Hanks?id=-1"), 404, "actor_not_found")
    assert [s["id"] for s in body["sugerencias"]] == [31]  # type: ignore[attr-defined]


async def test_unknown_long_route_is_a_short_404(api: httpx.AsyncClient) -> None:
    body = _error(await api.get("/" + TOO_LONG_TEXT), 404, "not_found")
    assert "Consulta /docs" in str(body["detail"])
