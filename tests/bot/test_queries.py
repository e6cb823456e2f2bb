"""Each query command's exact reply, with expected numbers computed from the raw sample."""

from __future__ import annotations

from tests import independent as ind
from tests.bot.conftest import Backend, Harness, buttons
from tests.bot.spanish import es_dec, es_int


def _person_id(name: str, *, director: bool) -> int:
    for cast, crew in zip(ind.credit_rows()["cast"], ind.credit_rows()["crew"], strict=True):
        people = [m for m in crew if m["job"] == "Director"] if director else cast
        for member in people:
            if member["name"] == name:
                return int(member["id"])
    raise AssertionError(name)


async def test_month_and_weekday(harness: Harness) -> None:
    movies = ind.movies()
    january = int((movies["date"].dt.month == 1).sum())
    wednesday = int((movies["date"].dt.day_of_week == 2).sum())
    chat = harness.chat()
    expected = f"{es_int(january)} cantidad de películas fueron estrenadas en el mes de enero"
    assert await chat.ask("/mes enero") == expected
    assert await chat.ask("/cantidad_filmaciones_mes Enero") == expected
    assert await chat.ask("/mes 1") == expected
    expected_day = f"{es_int(wednesday)} cantidad de películas fueron estrenadas en los días miércoles"
    assert await chat.ask("/dia miercoles") == expected_day
    assert await chat.ask("/cantidad_filmaciones_dia Miércoles") == expected_day


async def test_invalid_month_and_day_list_the_options(harness: Harness) -> None:
    chat = harness.chat()
    answer = await chat.ask("/mes enro")
    assert answer.startswith(
        "«enro» no es un mes que conozca. Prueba con uno de estos: enero, febrero, marzo"
    )
    assert "diciembre" in answer
    answer = await chat.ask("/dia juernes")
    assert answer.startswith(
        "«juernes» no es un día de la semana que conozca. Prueba con uno de estos: lunes"
    )


async def test_score_and_votes(harness: Harness, backend: Backend) -> None:
    movies = ind.movies().set_index("id")
    toy = movies.loc[862]
    chat = harness.chat()
    popularity = es_dec(toy.popularity)
    expected = f"La película Toy Story fue estrenada en el año 1995 con un score/popularidad de {popularity}"
    assert await chat.ask("/score toy story") == expected
    assert await chat.ask("/score_titulo Toy Story") == expected
    assert await chat.ask("/votos Toy Story") == (
        "La película Toy Story fue estrenada en el año 1995. La misma cuenta con un total de "
        f"{es_int(toy.vote_count)} valoraciones, con un promedio de {es_dec(toy.vote_average)}"
    )
    below = (
        "La película Grumpier Old Men fue estrenada en el año 1995, pero no cumple la condición de tener "
        "al menos 2.000 valoraciones, por lo que no se informan sus votos ni su promedio"
    )
    assert await chat.ask("/votos_titulo Grumpier Old Men") == below
    # The bot and the API say it with the same sentence.
    assert backend.api.get("/votos_titulo/Grumpier%20Old%20Men")["mensaje"] == below


async def test_actor(harness: Harness) -> None:
    films = ind.actor_films(_person_id("Tom Hanks", director=False))
    total = float(films["ret"].sum())
    chat = harness.chat()
    expected = (
        f"El actor Tom Hanks ha participado de {len(films)} cantidad de filmaciones, el mismo ha conseguido "
        f"un retorno de {es_dec(total)} con un promedio de {es_dec(total / len(films))} por filmación"
    )
    assert await chat.ask("/actor tom hanks") == expected
    assert await chat.ask("/get_actor Tom Hanks") == expected


async def test_director_one_page(harness: Harness) -> None:
    films = ind.director_films(_person_id("John Lasseter", director=True))
    chat = harness.chat()
    [answer] = await chat.send("/get_director John Lasseter")
    lines = answer["text"].split("\n")
    noun = "película" if len(films) == 1 else "películas"
    assert lines[0] == (
        f"El director John Lasseter ha dirigido {len(films)} {noun}, "
        f"con un retorno total de {es_dec(float(films['ret'].sum()))}"
    )
    first = films.iloc[0]
    assert lines[2] == (
        f"• {first.title} ({first.date:%d/%m/%Y}): retorno {es_dec(first.ret)}, "
        f"costo US$ {es_int(first.budget)}, recaudación US$ {es_int(first.revenue)}, "
        f"ganancia US$ {es_int(first.revenue - first.budget)}"
    )
    assert len(lines) == 2 + len(films)
    assert "reply_markup" not in answer


async def test_long_filmography_is_paginated(harness: Harness) -> None:
    films = ind.director_films(_person_id("Robert Stevenson", director=True))
    assert len(films) > 10
    chat = harness.chat()
    [page] = await chat.send("/director Robert Stevenson")
    assert page["text"].endswith(f"Películas 1-10 de {len(films)}")
    assert [label for label, _ in buttons(page)] == ["Ver más ▸"]
    await chat.press(page, "Ver más ▸", expect=0)
    await harness.fake.wait_until(lambda: page["text"].endswith(f"Películas 11-{len(films)} de {len(films)}"))
    assert [label for label, _ in buttons(page)] == ["◂ Anterior"]
    second = [line for line in page["text"].split("\n") if line.startswith("• ")]
    assert [line[2:].split(" (")[0] for line in second] == list(films["title"])[10:]
    await chat.press(page, "◂ Anterior", expect=0)
    await harness.fake.wait_until(lambda: page["text"].endswith(f"Películas 1-10 de {len(films)}"))
