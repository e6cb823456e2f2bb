"""Typos are 404s whose `sugerencias` lead with what the person meant, never a silent correction."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from tests.api.expected import expected, fold

PERSON_TYPOS = [
    ("get_actor", "Tom Hanx", "Tom Hanks"),  # surname: a letter wrong and one missing
    ("get_actor", "Tom Hnaks", "Tom Hanks"),  # swapped letters
    ("get_actor", "Tim Hanks", "Tom Hanks"),  # first name
    ("get_actor", "Tomm Hanks", "Tom Hanks"),  # an extra letter
    ("get_actor", "TomHanks", "Tom Hanks"),  # missing space
    ("get_actor", "hanks", "Tom Hanks"),  # the surname alone: the best known Hanks first
    ("get_actor", "Hanks Tom", "Tom Hanks"),  # surname first
    ("get_actor", "Penelope Crus", "Penélope Cruz"),  # accent missing and a typo
    ("get_actor", "Morgan Freman", "Morgan Freeman"),
    ("get_actor", "leonardo di caprio", "Leonardo DiCaprio"),  # an extra space
    ("get_actor", "Scarlet Johanson", "Scarlett Johansson"),  # a letter missing in each word
    ("get_director", "Steven Spilberg", "Steven Spielberg"),
    ("get_director", "spielberg", "Steven Spielberg"),
    ("get_director", "Stevn Spielberg", "Steven Spielberg"),
    ("get_director", "Stephen Spielberg", "Steven Spielberg"),
    ("get_director", "StevenSpielberg", "Steven Spielberg"),
    ("get_director", "Quentin Tarantio", "Quentin Tarantino"),
    ("get_director", "almodovar", "Pedro Almodóvar"),
    ("get_director", "Álmodovar", "Pedro Almodóvar"),  # an accent too many
    ("get_director", "John Laseter", "John Lasseter"),
    ("get_actor", "Cruz Penelope", "Penélope Cruz"),  # surname first, accent missing
    ("get_director", "Almodovar Pedro", "Pedro Almodóvar"),
]

TITLE_TYPOS = [
    ("Toy Stori", "Toy Story"),
    ("jurasic park", "Jurassic Park"),
    ("Jurassic Prak", "Jurassic Park"),  # swapped letters
    ("toystory", "Toy Story"),  # missing space
    ("Toy  Storyy", "Toy Story"),
    ("the godfater", "The Godfather"),
    ("Godfather", "The Godfather"),  # a word left out
    ("titanc", "Titanic"),
    ("Star Wras", "Star Wars"),
    ("Pulp Fictoin", "Pulp Fiction"),
    ("Toy Stroy", "Toy Story"),
    ("Cafe au Lai", "Café au Lait"),  # accent missing and a letter
    ("Pret a Portr", "Prêt-à-Porter"),  # accents and hyphens missing, and a letter
    ("Park Jurassic", "Jurassic Park"),  # words in another order
    ("Indiana Jones and the Last Crusdae", "Indiana Jones and the Last Crusade"),  # a long title
    ("Austin Powers: Internacional Man of Mistery", "Austin Powers: International Man of Mystery"),
    (
        "Dr. Strangelove or: How I Learned to Stop Worying and Love the Bomb",
        "Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb",
    ),
]


def _films_of(name: str, role: str) -> int:
    """Distinct films of the people called `name` (the most prolific one), from the raw files."""
    table = expected().cast if role == "get_actor" else expected().directors
    people = table.loc[table["name"].map(fold) == fold(name), "person_id"].unique()
    return max(int(expected().person(table, int(p))["count"]) for p in people)


@pytest.mark.parametrize(("route", "typed", "wanted"), PERSON_TYPOS)
async def test_person_typo_suggests_the_person_first(
    api: httpx.AsyncClient, route: str, typed: str, wanted: str
) -> None:
    response = await api.get(f"/{route}/" + quote(typed))
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == ("actor_not_found" if route == "get_actor" else "director_not_found")
    assert "actor" not in body and "director" not in body  # never silently corrected
    assert typed in body["detail"] and "¿Quisiste decir" in body["detail"]
    first = body["sugerencias"][0]
    assert first == {"nombre": wanted, "cantidad_filmaciones": _films_of(wanted, route)}
    assert len(body["sugerencias"]) <= 5
    assert len({fold(s["nombre"]) for s in body["sugerencias"]}) == len(body["sugerencias"])


@pytest.mark.parametrize(("typed", "wanted"), TITLE_TYPOS)
async def test_title_typo_suggests_the_film_first(api: httpx.AsyncClient, typed: str, wanted: str) -> None:
    films = expected().titles()[fold(wanted)]
    for route in ("score_titulo", "votos_titulo", "recomendacion"):
        response = await api.get(f"/{route}/" + quote(typed, safe=""))
        assert response.status_code == 404, route
        body = response.json()
        assert body["error"] == "title_not_found"
        assert "titulo" not in body
        first = body["sugerencias"][0]
        assert first == {"id": films[0]["id"], "titulo": wanted, "anio": films[0]["anio"]}
        assert len(body["sugerencias"]) <= 5


async def test_a_title_shared_by_several_films_suggests_them_most_voted_first(api: httpx.AsyncClient) -> None:
    shared = next(
        films for films in expected().titles().values() if len(films) >= 2 and len(films[0]["titulo"]) >= 8
    )
    title = str(shared[0]["titulo"])
    typo = title[:-1]  # the last letter missing
    body = (await api.get("/score_titulo/" + quote(typo, safe=""))).json()
    suggested = [s["id"] for s in body["sugerencias"]]
    assert suggested[:2] == [shared[0]["id"], shared[1]["id"]]


@pytest.mark.parametrize("typed", ["zzzzqqqqxxxx", "🎬🍿", "xq", "'; DROP TABLE movies; --"])
async def test_nothing_near_gives_an_empty_list(api: httpx.AsyncClient, typed: str) -> None:
    for route in ("get_actor", "get_director", "score_titulo"):
        response = await api.get(f"/{route}/" + quote(typed, safe=""))
        assert response.status_code == 404
        body = response.json()
        assert body["sugerencias"] == []
        assert "¿Quisiste decir" not in body["detail"]
