"""GET /buscar: ranked title search from the ETL's index, as typed, in the usual error shape."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from etl.pipeline import Build
from shared.text import fold
from shared.title_match import tier
from tests.api.conftest import serve_in_process, settings_for


async def search(api: httpx.AsyncClient, q: str, **params: Any) -> list[dict[str, Any]]:
    response = await api.get("/buscar", params={"q": q, **params})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["consulta"] == q.strip()
    results: list[dict[str, Any]] = body["resultados"]
    return results


def expected_prefix_matches(build: Build, typed: str) -> list[int]:
    """Every film whose title matches `typed` at a word start, ranked as the contract says, from the
    clean table itself (not from the index the API reads)."""
    folded = fold(typed)
    ranked = []
    for movie in build.artefacts.movies.values():
        found = tier(fold(movie["titulo"]), folded)
        if found is not None:
            ranked.append((found, -movie["votos"], movie["id"]))
    return [movie_id for *_rank, movie_id in sorted(ranked)]


async def test_typed_so_far_finds_the_film_with_its_card(api: httpx.AsyncClient) -> None:
    results = await search(api, "toy sto")
    assert results[0]["titulo"] == "Toy Story"
    assert set(results[0]) == {"id", "titulo", "anio", "score", "votos", "poster_path"}
    assert (results[0]["id"], results[0]["anio"]) == (862, 1995)
    assert results[0]["poster_path"]


@pytest.mark.parametrize("typed", ["t", "the", "s", "lo", "god", "star", "a", "man", "the g"])
async def test_ranking_matches_the_clean_table(
    api: httpx.AsyncClient, sample_build: Build, typed: str
) -> None:
    for limit in (1, 10, 25):
        results = await search(api, typed, limite=limit)
        expected = expected_prefix_matches(sample_build, typed)[:limit]
        assert [r["id"] for r in results[: len(expected)]] == expected


async def test_case_accents_and_spaces_do_not_matter(api: httpx.AsyncClient) -> None:
    plain = await search(api, "toy story")
    assert await search(api, "  TÓY   Stóry ") == plain


async def test_word_match_and_article(api: httpx.AsyncClient) -> None:
    # A later word matches (`story`), and `godf` finds The Godfather by its start after `the`.
    assert "Toy Story" in [r["titulo"] for r in await search(api, "story")]
    assert (await search(api, "godf"))[0]["titulo"] == "The Godfather"


async def test_typo_is_filled_in_by_fuzzy_titles(api: httpx.AsyncClient) -> None:
    results = await search(api, "toy stori")
    assert results and results[0]["titulo"] == "Toy Story"


async def test_nothing_matches_is_an_empty_list(api: httpx.AsyncClient) -> None:
    assert await search(api, "zzqxqzzqx") == []
    # A lone combining mark folds to nothing at all.
    assert await search(api, "\u00b8") == []


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"q": ""}, "empty_query"),
        ({"q": "   "}, "empty_query"),
        ({}, "empty_query"),
        ({"q": "x" * 101}, "query_too_long"),
        ({"q": "toy", "limite": "0"}, "validation_error"),
        ({"q": "toy", "limite": "26"}, "validation_error"),
        ({"q": "toy", "limite": "diez"}, "validation_error"),
    ],
)
async def test_bad_input_is_a_spanish_422(api: httpx.AsyncClient, params: dict[str, str], code: str) -> None:
    response = await api.get("/buscar", params=params)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == code
    assert body["detail"] and "Traceback" not in response.text


async def test_default_limit_is_ten(api: httpx.AsyncClient) -> None:
    assert len(await search(api, "t")) == 10
    assert len(await search(api, "t", limite=25)) == 25


async def test_no_dataset_is_503(redis_url: str) -> None:
    async with serve_in_process(settings_for(redis_url)) as api:
        response = await api.get("/buscar", params={"q": "toy"})
    assert response.status_code == 503
    assert response.json()["error"] == "dataset_not_published"
