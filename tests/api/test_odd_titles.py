"""Every real title works whatever characters it holds: a small catalogue of odd titles, through the ETL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pandas as pd
import pytest
import redis

from etl.pipeline import build_dataset
from etl.publish import publish
from shared.settings import SAMPLE_DATA
from tests.api.conftest import serve_in_process, settings_for

# (id, title, release date, vote count)
ODD = [
    (9001, "Face/Off", "1997-06-27", 3000),
    (9002, "50/50", "2011-09-30", 2500),
    (9003, "Who Framed Roger Rabbit?", "1988-06-21", 1800),
    (9004, "#Horror", "2015-11-20", 40),
    (9005, "10%: What Makes a Hero?", "2013-05-01", 5),
    (9006, "Taxi", "2004-10-06", 300),
    (9007, "Taxi!", "1932-01-23", 30),
    (9008, "Boston (1915)", "1915-03-01", 2),
    (9009, "Boston", "1915-04-01", 3),
    (9010, "100% Arabica", "1997-11-12", 4),
    (9011, "Amélie", "2001-04-25", 4000),
    (9012, "What's Up, Doc?", "1972-03-10", 700),
]


@pytest.fixture
async def odd_api(redis_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    movies = pd.read_csv(SAMPLE_DATA / "movies_metadata.csv.gz", dtype=str).head(len(ODD)).copy()
    credit_rows = pd.read_csv(SAMPLE_DATA / "credits.csv.gz", dtype=str).head(len(ODD)).copy()
    movies["id"] = [str(row[0]) for row in ODD]
    movies["title"] = [row[1] for row in ODD]
    movies["original_title"] = [row[1] for row in ODD]
    movies["release_date"] = [row[2] for row in ODD]
    movies["vote_count"] = [str(row[3]) for row in ODD]
    credit_rows["id"] = [str(row[0]) for row in ODD]
    source = tmp_path / "raw"
    source.mkdir()
    movies.to_csv(source / "movies_metadata.csv", index=False)
    credit_rows.to_csv(source / "credits.csv", index=False)
    build = build_dataset(source, tmp_path / "data")
    client = redis.Redis.from_url(redis_url)
    try:
        publish(client, build)
    finally:
        client.close()
    async with serve_in_process(settings_for(redis_url)) as api:
        yield api


async def test_every_odd_title_answers_on_every_title_route(odd_api: httpx.AsyncClient) -> None:
    for movie_id, title, date, votes in ODD:
        encoded = quote(title, safe="")
        for route in ("score_titulo", "votos_titulo"):
            response = await odd_api.get(f"/{route}/{encoded}")
            assert response.status_code == 200, (route, title, response.text)
            body = response.json()
            assert (body["id"], body["titulo"], body["anio"]) == (movie_id, title, int(date[:4]))
        votes_body = (await odd_api.get(f"/votos_titulo/{encoded}")).json()
        assert votes_body["cumple_minimo"] is (votes >= 2000)


async def test_punctuation_counts(odd_api: httpx.AsyncClient) -> None:
    assert (await odd_api.get("/score_titulo/taxi")).json()["id"] == 9006
    assert (await odd_api.get("/score_titulo/TAXI%21")).json()["id"] == 9007


async def test_title_that_really_ends_in_a_year(odd_api: httpx.AsyncClient) -> None:
    # The literal title wins; the same text with a year only picks "Boston" when no title matches.
    assert (await odd_api.get("/score_titulo/boston%20(1915)")).json()["id"] == 9008
    assert (await odd_api.get("/score_titulo/boston")).json()["id"] == 9009


async def test_unencoded_percent_and_slash(odd_api: httpx.AsyncClient) -> None:
    assert (await odd_api.get("/score_titulo/50/50")).json()["id"] == 9002
    assert (await odd_api.get("/score_titulo/100%25%20arabica")).json()["id"] == 9010


async def test_accents_optional(odd_api: httpx.AsyncClient) -> None:
    assert (await odd_api.get("/votos_titulo/AMELIE")).json()["votos"] == 4000
