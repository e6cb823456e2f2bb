"""A budget or revenue of 0 in the data is unknown: the bot says "sin datos", never "US$ 0"."""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd

from tests import independent as ind
from tests.bot.conftest import Backend, Harness
from tests.bot.spanish import es_dec, es_int


def _director_with_unknown_money() -> tuple[str, pd.DataFrame]:
    """A director of the sample with a one-page filmography mixing known and unknown money."""
    seen: set[int] = set()
    for crew in ind.credit_rows()["crew"]:
        for member in crew:
            if member["job"] != "Director" or member["id"] in seen:
                continue
            seen.add(member["id"])
            films = ind.director_films(member["id"])
            unknown = (films["budget"] <= 0) | (films["revenue"] <= 0)
            if 2 <= len(films) <= 10 and unknown.any() and (~unknown).any():
                return str(member["name"]), films
    raise AssertionError("the sample has no such director")


async def test_filmography_says_sin_datos(harness: Harness, backend: Backend) -> None:
    name, films = _director_with_unknown_money()
    answer = backend.api.get(f"/get_director/{quote(name, safe='')}")
    assert (answer["director"], len(answer["peliculas"])) == (name, len(films))
    [reply] = await harness.chat(5001).send(f"/director {name}")
    lines = reply["text"].split("\n")[2:]
    assert "US$ 0," not in reply["text"] and not reply["text"].endswith("US$ 0")
    for film, line in zip(films.itertuples(), lines, strict=True):
        head = f"• {film.title} ({film.date:%d/%m/%Y}): "
        cost = f"US$ {es_int(film.budget)}" if film.budget > 0 else "sin datos"
        takings = f"US$ {es_int(film.revenue)}" if film.revenue > 0 else "sin datos"
        if film.budget > 0 and film.revenue > 0:
            assert line == (
                f"{head}retorno {es_dec(film.revenue / film.budget)}, costo {cost}, "
                f"recaudación {takings}, ganancia US$ {es_int(film.revenue - film.budget)}"
            )
        else:
            assert line == f"{head}costo {cost}, recaudación {takings}"
    # The API's numbers stay as the contract fixes them: unknown is 0 there.
    assert any(p["costo"] == 0 or p["recaudacion"] == 0 for p in answer["peliculas"])
