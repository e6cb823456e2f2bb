"""Title routes (score, votes) against the raw sample: every title, duplicates, typos, odd characters."""

from __future__ import annotations

import math
from urllib.parse import quote

import httpx
import pytest

from tests.api.expected import expected, fold


def _path(route: str, title: str) -> str:
    return f"/{route}/" + quote(title, safe="")


def _unambiguous_titles() -> list[tuple[str, list[dict[str, object]]]]:
    """Title keys whose most voted film is unique (a tie has no single right answer)."""
    out = []
    for key, films in expected().titles().items():
        if key and (len(films) == 1 or films[0]["votos"] != films[1]["votos"]):
            out.append((key, films))
    return out


async def test_score_of_every_title_matches_the_raw_files(api: httpx.AsyncClient) -> None:
    movies = expected().movies
    checked = 0
    for _key, films in _unambiguous_titles():
        best = films[0]
        response = await api.get(_path("score_titulo", str(best["titulo"])))
        assert response.status_code == 200, best
        body = response.json()
        row = movies.loc[best["id"]]
        assert body["id"] == best["id"]
        assert body["titulo"] == row["title"]
        assert body["anio"] == int(row["year"])
        assert math.isclose(body["score"], float(row["popularity"]), rel_tol=1e-9)
        assert (body["poster_path"], body["directores"]) == expected().card(best["id"])
        assert sorted(o["id"] for o in body["otras_coincidencias"]) == sorted(f["id"] for f in films[1:])
        assert body["mensaje"].startswith(
            f"La película {row['title']} fue estrenada en el año {int(row['year'])} "
            "con un score/popularidad de "
        )
        checked += 1
    assert checked > 1900


async def test_votes_of_every_title_meet_the_2000_rule(api: httpx.AsyncClient) -> None:
    movies = expected().movies
    above = 0
    for _key, films in _unambiguous_titles():
        best = films[0]
        body = (await api.get(_path("votos_titulo", str(best["titulo"])))).json()
        row = movies.loc[best["id"]]
        assert (body["id"], body["titulo"], body["anio"]) == (best["id"], row["title"], int(row["year"]))
        assert (body["poster_path"], body["directores"]) == expected().card(best["id"])
        if int(row["vote_count"]) >= 2000:
            above += 1
            assert body["cumple_minimo"] is True
            assert body["votos"] == int(row["vote_count"])
            assert math.isclose(body["promedio"], float(row["vote_average"]))
            assert body["mensaje"].startswith(
                f"La película {row['title']} fue estrenada en el año {int(row['year'])}. La misma cuenta con "
                "un total de "
            )
        else:
            assert body["cumple_minimo"] is False
            assert "votos" not in body and "promedio" not in body
            assert "no cumple" in body["mensaje"] and "2.000" in body["mensaje"]
    assert above > 20


async def test_card_fields_on_both_title_routes(api: httpx.AsyncClient) -> None:
    for route in ("score_titulo", "votos_titulo"):
        body = (await api.get(f"/{route}/toy%20story")).json()
        assert body["poster_path"] == "/rhIRbceoE9lR4veEXuwCC2wARtG.jpg"
        assert body["directores"] == ["John Lasseter"]
    movies = expected().movies
    # Films without a poster or without a known director answer null and [] (the keys are always there).
    no_poster = movies[movies["poster_path"] == ""].sort_values("vote_count", ascending=False).index[0]
    no_director = next(
        i for i in movies.sort_values("vote_count", ascending=False).index if not expected().card(int(i))[1]
    )
    several = expected().directors.groupby("movie_id")["person_id"].nunique()
    two_directors = int(several[several >= 2].index[0])
    for movie_id in (int(no_poster), int(no_director), two_directors):
        title = str(movies.loc[movie_id, "title"])
        for route in ("score_titulo", "votos_titulo"):
            response = await api.get(_path(route, title), params={"id": movie_id})
            assert response.status_code == 200
            body = response.json()
            assert body["id"] == movie_id
            assert (body["poster_path"], body["directores"]) == expected().card(movie_id)
    assert expected().card(int(no_poster))[0] is None
    assert expected().card(int(no_director))[1] == []
    assert len(expected().card(two_directors)[1]) >= 2


async def test_toy_story_votes_sentence(api: httpx.AsyncClient) -> None:
    body = (await api.get("/votos_titulo/toy%20story")).json()
    assert body["mensaje"] == (
        "La película Toy Story fue estrenada en el año 1995. La misma cuenta con un total de 5.415 "
        "valoraciones, con un promedio de 7,70"
    )


@pytest.mark.parametrize("typed", ["toy story", "TOY STORY", "  Toy   Story ", "Toy\tStory", "tóy störy"])
async def test_titles_ignore_case_accents_and_spacing(api: httpx.AsyncClient, typed: str) -> None:
    body = (await api.get(_path("score_titulo", typed))).json()
    assert body["id"] == 862


async def test_accented_title_typed_without_accents(api: httpx.AsyncClient) -> None:
    titles = expected().titles()
    accented = [films[0] for key, films in titles.items() if str(films[0]["titulo"]) != key.title() and
                any(ord(c) > 127 for c in str(films[0]["titulo"])) and len(films) == 1]  # fmt: skip
    assert accented, "the sample holds accented titles"
    for film in accented[:20]:
        plain = fold(str(film["titulo"])).upper()
        body = (await api.get(_path("score_titulo", plain))).json()
        assert body.get("id") == film["id"], (plain, body)


async def test_same_title_most_votes_answers_and_others_are_listed(api: httpx.AsyncClient) -> None:
    films = expected().titles()["hamlet"]
    assert len(films) == 2
    body = (await api.get("/score_titulo/hamlet")).json()
    assert body["id"] == films[0]["id"]
    assert body["otras_coincidencias"] == [
        {"id": films[1]["id"], "titulo": "Hamlet", "anio": films[1]["anio"]}
    ]


async def test_year_or_id_picks_among_same_title(api: httpx.AsyncClient) -> None:
    for key, films in expected().titles().items():
        if len(films) < 2:
            continue
        for film in films:
            title = str(film["titulo"])
            by_suffix = (await api.get(_path("score_titulo", f"{title} ({film['anio']})"))).json()
            by_year = (await api.get(_path("score_titulo", title), params={"anio": film["anio"]})).json()
            by_id = (await api.get(_path("votos_titulo", title), params={"id": film["id"]})).json()
            if sum(f["anio"] == film["anio"] for f in films) == 1:
                assert by_suffix["id"] == film["id"], key
                assert by_year["id"] == film["id"], key
            assert by_id["id"] == film["id"], key
            assert film["id"] not in [o["id"] for o in by_id["otras_coincidencias"]]


async def test_year_that_matches_no_film_is_404_listing_the_films(api: httpx.AsyncClient) -> None:
    response = await api.get("/score_titulo/Hamlet", params={"anio": 1950})
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "title_not_found"
    assert {s["id"] for s in body["sugerencias"]} == {f["id"] for f in expected().titles()["hamlet"]}
    response = await api.get("/score_titulo/Hamlet", params={"id": 862})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("typed", "wanted"), [("Toy Stori", 862), ("Jumaji", 8844), ("the usual suspect", 629)]
)
async def test_typo_is_404_with_suggestions_never_a_silent_fix(
    api: httpx.AsyncClient, typed: str, wanted: int
) -> None:
    response = await api.get(_path("score_titulo", typed))
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "title_not_found"
    assert 1 <= len(body["sugerencias"]) <= 5
    assert wanted in [s["id"] for s in body["sugerencias"]]
    assert set(body["sugerencias"][0]) == {"id", "titulo", "anio"}
    assert typed in body["detail"]


async def test_a_prefix_is_not_a_match(api: httpx.AsyncClient) -> None:
    assert "toy" not in expected().titles()
    response = await api.get("/score_titulo/Toy")
    assert response.status_code == 404
    assert "id" not in response.json()


@pytest.mark.parametrize(
    "title", ["Face/Off", "Victor/Victoria", "Shall We Dance?", "JLG/JLG: Self-Portrait in December"]
)
async def test_titles_with_slashes_and_question_marks(api: httpx.AsyncClient, title: str) -> None:
    film = expected().titles()[fold(title)][0]
    for route in ("score_titulo", "votos_titulo"):
        body = (await api.get(_path(route, title))).json()
        assert body["id"] == film["id"], (route, title, body)


async def test_slash_left_unencoded_still_works(api: httpx.AsyncClient) -> None:
    assert (await api.get("/score_titulo/Face/Off")).json()["titulo"] == "Face/Off"


async def test_twice_encoded_title_is_understood(api: httpx.AsyncClient) -> None:
    assert (await api.get("/score_titulo/Face%252FOff")).json()["titulo"] == "Face/Off"


@pytest.mark.parametrize("path", ["/score_titulo/", "/score_titulo/%20%20", "/votos_titulo/"])
async def test_empty_title_is_422(api: httpx.AsyncClient, path: str) -> None:
    response = await api.get(path)
    assert response.status_code == 422
    assert response.json()["error"] == "empty_title"


async def test_bad_year_parameter_is_422_in_the_common_shape(api: httpx.AsyncClient) -> None:
    response = await api.get("/score_titulo/Hamlet", params={"anio": "mil"})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_error"
    assert body["errores"] == [{"campo": "anio", "problema": "int_parsing"}]
    assert "anio" in body["detail"]


async def test_huge_title_is_refused_politely(api: httpx.AsyncClient) -> None:
    response = await api.get(_path("score_titulo", "x" * 1000))
    assert response.status_code == 422
    assert response.json()["error"] == "title_too_long"


async def test_card_fields_are_documented(api: httpx.AsyncClient) -> None:
    schemas = (await api.get("/openapi.json")).json()["components"]["schemas"]
    for name in ("ScoreAnswer", "VotesAnswer"):
        properties = schemas[name]["properties"]
        assert {"poster_path", "directores"} <= set(schemas[name]["required"])
        for field in ("poster_path", "directores"):
            assert properties[field]["description"] and properties[field]["examples"]
        example = schemas[name]["examples"][0]
        assert example["poster_path"].endswith(".jpg") and example["directores"] == ["John Lasseter"]
