"""Actor and director routes against the raw sample: cast membership only, homonyms, typos."""

from __future__ import annotations

import math
import random
from urllib.parse import quote

import httpx
import pytest

from tests.api.expected import expected, fold


def _people(table_name: str) -> dict[str, list[tuple[int, str]]]:
    table = getattr(expected(), table_name).drop_duplicates("person_id")
    out: dict[str, list[tuple[int, str]]] = {}
    for person_id, name in zip(table["person_id"], table["name"], strict=True):
        out.setdefault(fold(name), []).append((int(person_id), name))
    return out


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


async def test_actors_match_cast_membership(api: httpx.AsyncClient) -> None:
    data = expected()
    people = _people("cast")
    credited = data.cast.drop_duplicates(["person_id", "movie_id"])
    joined = credited.merge(data.movies[["return"]], left_on="movie_id", right_index=True)
    totals = joined.groupby("person_id")["return"].agg(["count", "sum"])
    rng = random.Random(7)
    names = sorted(k for k, v in people.items() if len(v) == 1)
    frequent = [k for k in names if totals.loc[people[k][0][0], "count"] >= 5]
    for key in frequent + rng.sample(names, 150):
        person_id, name = people[key][0]
        count, total = int(totals.loc[person_id, "count"]), float(totals.loc[person_id, "sum"])
        stats = {"count": count, "total": total, "average": total / count}
        response = await api.get("/get_actor/" + quote(name, safe=""))
        assert response.status_code == 200, name
        body = response.json()
        assert body["actor"] == name
        assert body["id"] == person_id
        assert body["cantidad_filmaciones"] == stats["count"]
        assert _close(body["retorno_total"], stats["total"])
        assert _close(body["retorno_promedio"], stats["average"])
        assert body["mensaje"].startswith(
            f"El actor {name} ha participado de {stats['count']} cantidad de filmaciones, el mismo ha "
            "conseguido un retorno de "
        )
        assert body["mensaje"].endswith(" por filmación")
    assert len(frequent) > 50


async def test_tom_hanks_sentence(api: httpx.AsyncClient) -> None:
    data = expected()
    stats = data.person(data.cast, 31)
    body = (await api.get("/get_actor/TOM%20hanks")).json()
    total = f"{stats['total']:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    average = f"{stats['average']:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    assert body["mensaje"] == (
        f"El actor Tom Hanks ha participado de {stats['count']} cantidad de filmaciones, el mismo ha "
        f"conseguido un retorno de {total} con un promedio de {average} por filmación"
    )


async def test_homonyms_most_films_answers_others_listed(api: httpx.AsyncClient) -> None:
    data = expected()
    homonyms = {k: v for k, v in _people("cast").items() if len(v) > 1}
    assert homonyms
    for _key, persons in homonyms.items():
        counts = {pid: data.person(data.cast, pid)["count"] for pid, _name in persons}
        if len(set(counts.values())) < len(counts):
            continue  # a tie has no single right answer
        best = max(counts, key=lambda pid: counts[pid])
        body = (await api.get("/get_actor/" + quote(persons[0][1], safe=""))).json()
        assert body["id"] == best
        assert sorted(o["id"] for o in body["otras_coincidencias"]) == sorted(p for p in counts if p != best)
        for other, count in counts.items():
            path = "/get_actor/" + quote(persons[0][1], safe="")
            picked = (await api.get(path, params={"id": other})).json()
            assert picked["id"] == other
            assert picked["cantidad_filmaciones"] == count


async def test_directors_films_and_returns(api: httpx.AsyncClient) -> None:
    data = expected()
    people = _people("directors")
    for _key, persons in sorted(people.items())[:400]:
        person_id, name = persons[0]
        films = data.directors.loc[data.directors.person_id == person_id, "movie_id"].drop_duplicates()
        rows = data.movies.loc[list(films)].sort_values("date", kind="stable")
        body = (await api.get("/get_director/" + quote(name.lower(), safe=""))).json()
        assert body["director"] == name
        assert _close(body["retorno_total"], float(rows["return"].sum()))
        assert sorted(f["id"] for f in body["peliculas"]) == sorted(int(i) for i in rows.index)
        dates = [f["fecha_estreno"] for f in body["peliculas"]]
        assert dates == sorted(dates)
        for film in body["peliculas"]:
            row = data.movies.loc[film["id"]]
            assert film["titulo"] == row["title"]
            assert film["fecha_estreno"] == row["date"].strftime("%Y-%m-%d")
            assert _close(film["retorno"], float(row["return"]))
            assert _close(film["costo"], float(row["budget"]))
            assert _close(film["recaudacion"], float(row["revenue"]))
            assert _close(film["ganancia"], float(row["revenue"] - row["budget"]))
        assert body["mensaje"].startswith(f"El director {name} ha dirigido {len(rows)} ")


async def test_directing_is_not_acting(api: httpx.AsyncClient) -> None:
    data = expected()
    only_directors = set(data.directors.person_id) - set(data.cast.person_id)
    cast_names = {fold(n) for n in data.cast["name"]}
    checked = 0
    for person_id in sorted(only_directors):
        name = data.directors.loc[data.directors.person_id == person_id, "name"].iloc[0]
        if fold(name) in cast_names:
            continue
        response = await api.get("/get_actor/" + quote(name, safe=""))
        assert response.status_code == 404, name
        assert response.json()["error"] == "actor_not_found"
        checked += 1
        if checked == 20:
            break
    assert checked == 20


@pytest.mark.parametrize(("route", "typed", "wanted"), [
    ("get_actor", "Tom Hank", "Tom Hanks"),
    ("get_actor", "tim alen", "Tim Allen"),
    ("get_director", "John Laseter", "John Lasseter"),
])  # fmt: skip
async def test_typo_in_a_name_gives_suggestions(
    api: httpx.AsyncClient, route: str, typed: str, wanted: str
) -> None:
    response = await api.get(f"/{route}/" + quote(typed))
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == ("actor_not_found" if route == "get_actor" else "director_not_found")
    assert 1 <= len(body["sugerencias"]) <= 5
    assert wanted in [s["nombre"] for s in body["sugerencias"]]


async def test_unknown_person_without_any_near_name(api: httpx.AsyncClient) -> None:
    response = await api.get("/get_director/zzzzqqqqxxxx")
    assert response.status_code == 404
    body = response.json()
    assert body["sugerencias"] == []
    assert "zzzzqqqqxxxx" in body["detail"]
