"""Month and weekday counts against the raw sample, in every way people type them."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from tests.api.expected import expected

MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
          "octubre", "noviembre", "diciembre"]  # fmt: skip
DAYS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


async def test_every_month_by_name_and_number(api: httpx.AsyncClient) -> None:
    counts = expected().movies["month"].value_counts()
    for number, name in enumerate(MONTHS, start=1):
        for typed in (name, name.upper(), f"  {name.capitalize()} ", str(number), f"{number:02d}"):
            response = await api.get("/cantidad_filmaciones_mes/" + quote(typed))
            assert response.status_code == 200, typed
            body = response.json()
            assert body["mes"] == name
            assert body["cantidad"] == int(counts[number])
            assert isinstance(body["cantidad"], int)
            count = _thousands(int(counts[number]))
            assert body["mensaje"] == f"{count} cantidad de películas fueron estrenadas en el mes de {name}"


async def test_setiembre_is_september(api: httpx.AsyncClient) -> None:
    september = (await api.get("/cantidad_filmaciones_mes/septiembre")).json()
    for typed in ("setiembre", "Setiembre", "SETIEMBRE"):
        assert (await api.get(f"/cantidad_filmaciones_mes/{typed}")).json() == september


async def test_every_weekday_with_or_without_accents(api: httpx.AsyncClient) -> None:
    counts = expected().movies["weekday"].value_counts()
    for number, name in enumerate(DAYS):
        plain = name.replace("é", "e").replace("á", "a")
        for typed in (name, plain, name.upper(), plain.capitalize()):
            response = await api.get("/cantidad_filmaciones_dia/" + quote(typed))
            assert response.status_code == 200, typed
            body = response.json()
            assert body == {
                "dia": name,
                "cantidad": int(counts[number]),
                "mensaje": f"{_thousands(int(counts[number]))} cantidad de películas fueron estrenadas "
                f"en los días {name}",
            }


@pytest.mark.parametrize("typed", ["enro", "13", "0", "-1", "1.5", "january", "lunes", "%20", "sept"])
async def test_invalid_month_is_422_with_options(api: httpx.AsyncClient, typed: str) -> None:
    response = await api.get("/cantidad_filmaciones_mes/" + quote(typed))
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_month"
    assert body["opciones"] == MONTHS
    assert "mes" in body["detail"]


@pytest.mark.parametrize("typed", ["lune", "monday", "8", "miercole", "feriado"])
async def test_invalid_day_is_422_with_options(api: httpx.AsyncClient, typed: str) -> None:
    response = await api.get("/cantidad_filmaciones_dia/" + quote(typed))
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_day"
    assert body["opciones"] == DAYS


async def test_empty_month_is_422_not_a_route_error(api: httpx.AsyncClient) -> None:
    response = await api.get("/cantidad_filmaciones_mes/")
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_month"
